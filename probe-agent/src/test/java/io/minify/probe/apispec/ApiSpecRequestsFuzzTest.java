package io.minify.probe.apispec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.fuzz.Fuzzer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --http-probe-apispec}: a spec may be served by the app itself, so it is image
 * input; a bad one is an IllegalArgumentException saying why.
 */
class ApiSpecRequestsFuzzTest {

  /** What the unit tests' spec leaves out: a templated server, $ref parameters, a schema in its own allOf. */
  private static final String OPENAPI_REFS_YAML = """
      openapi: 3.1.0
      servers: [{url: "http://example.com/api/{v}"}]
      paths:
        /things:
          get:
            parameters: [{$ref: '#/components/parameters/Page'}]
          put:
            requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
      components:
        parameters:
          Page: {name: page, in: query, required: true, schema: {type: integer, default: 20}}
        schemas:
          Thing:
            properties:
              parts: {allOf: [{$ref: '#/components/schemas/Thing'}, {type: object}]}
      """;

  private static final String SWAGGER_JSON = """
      {"swagger": "2.0", "basePath": "/v1",
       "paths": {
         "/users/{name}": {"get": {"parameters": [
             {"name": "name", "in": "path", "required": true, "type": "string"},
             {"name": "verbose", "in": "query", "type": "boolean", "default": false}]}},
         "/users": {"put": {"parameters": [{"name": "u", "in": "body",
             "schema": {"$ref": "#/definitions/User"}}]}}},
       "definitions": {"User": {"properties": {"age": {"type": "integer", "example": 42},
           "friend": {"$ref": "#/definitions/User"}, "boss": {"$ref": "#/definitions/User"},
           "team": {"type": "array", "items": {"$ref": "#/definitions/User"}}}}}}
      """;

  @Test
  void apiSpecs() {
    Fuzzer.ofText("http-probe-apispec", List.of("{", "}", "[", "]", ":", ",", "\n  ", "- ", "&a ", "*a", "!!",
            "$ref", "'#/components/schemas/Item'", "\"#/definitions/User\"", "#/", "~1", "~0", "allOf", "oneOf",
            "properties", "items", "type: object", "{name: {$ref: '#/components/schemas/Item'}}", "in: path",
            "in: body", "{x}", "\"x\": {\"$ref\": \"#/definitions/User\"}, ", "%", "example", "enum: []",
            "minimum: -9e99", "maximum"))
        .seeds(ApiSpecRequestsTest.OPENAPI_3_YAML, OPENAPI_REFS_YAML, SWAGGER_JSON, selfReferringSpec(4),
            "openapi: 3.1.0\npaths: {}", "{\"openapi\": \"3.0.0\", \"paths\": {\"/\": {\"get\": {}}}}", "a: &a [*a]",
            "")
        .allowing(IllegalArgumentException.class)
        .run(ApiSpecRequests::fromText);
  }

  /** A body schema whose properties all refer back to it. */
  static String selfReferringSpec(int properties) {
    StringBuilder refs = new StringBuilder();
    for (int i = 0; i < properties; i++) {
      refs.append(i == 0 ? "" : ", ").append("\"p").append(i).append("\": {\"$ref\": \"#/definitions/U\"}");
    }
    return "{\"swagger\": \"2.0\", \"paths\": {\"/u\": {\"put\": {\"parameters\": [{\"name\": \"u\", "
        + "\"in\": \"body\", \"schema\": {\"$ref\": \"#/definitions/U\"}}]}}},"
        + " \"definitions\": {\"U\": {\"properties\": {" + refs + "}}}}";
  }

  /**
   * Found by {@link #apiSpecs} from the four-property seed (it allocated over its bound): the
   * example grew as properties^depth, and six properties exhausted a 512 MiB heap.
   */
  @Test
  void selfReferringSchemaGivesABoundedBody() {
    int length = ApiSpecRequests.fromText(selfReferringSpec(6)).get(0).body().length();
    assertTrue(length < 1 << 20, length + " bytes");
  }

  /** Found by {@link #apiSpecs}: SnakeYAML's reader broke on an unpaired surrogate at char 1023. */
  @Test
  void unpairedSurrogateAtTheEndOfTheYamlBufferIsABadSpec() {
    String spec = "a: " + "x".repeat(1020) + "\ud800\"";
    assertEquals("holds an unpaired UTF-16 surrogate at character 1023",
        assertThrows(IllegalArgumentException.class, () -> ApiSpecRequests.fromText(spec)).getMessage());
  }
}
