package io.minify.probe.apispec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.probe.HttpProbe;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiSpecRequestsTest {

  private static String describe(HttpProbe p) {
    return p.method() + " " + p.path()
        + (p.body().isEmpty() ? "" : " " + new String(p.body().bytes(), StandardCharsets.UTF_8));
  }

  /** Parameters of every kind and a JSON body by $ref; also a seed of ApiSpecRequestsFuzzTest. */
  static final String OPENAPI_3_YAML = """
      openapi: 3.0.3
      servers: [{url: "http://example.com/api"}]
      paths:
        /items/{id}:
          parameters:
            - {name: id, in: path, required: true, schema: {type: integer, minimum: 5}}
          get:
            parameters:
              - {name: q, in: query, required: true, schema: {type: string, enum: [red, blue]}}
              - {name: page, in: query, schema: {type: integer}}
              - {name: size, in: query, schema: {type: integer, default: 20}}
          delete: {}
        /items:
          post:
            requestBody:
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Item"}
      components:
        schemas:
          Item:
            type: object
            properties:
              name: {type: string, example: apple}
              price: {type: number}
              tags: {type: array, items: {type: string, format: uuid}}
              fresh: {type: boolean}
      """;

  @Test
  void openApi3YamlFillsParametersAndBodies() {
    String yaml = OPENAPI_3_YAML;
    List<String> got = ApiSpecRequests.fromText(yaml).stream().map(ApiSpecRequestsTest::describe).toList();
    assertEquals(List.of("GET /api/items/5?q=red&size=20", "DELETE /api/items/5",
        "POST /api/items {\"name\":\"apple\",\"price\":1.5,\"tags\":[\"00000000-0000-4000-8000-000000000001\"],"
            + "\"fresh\":true}"), got);
    assertEquals("application/json", ApiSpecRequests.fromText(yaml).get(2).headers().get("Content-Type"));
  }

  @Test
  void swagger2JsonUsesBasePathExamplesAndBodyParameters() {
    String json = """
        {"swagger": "2.0", "basePath": "/v1",
         "paths": {
           "/users/{name}": {"get": {"parameters": [
               {"name": "name", "in": "path", "required": true, "type": "string", "x-example": "no"},
               {"name": "verbose", "in": "query", "type": "boolean", "default": false}]}},
           "/users": {"put": {"parameters": [{"name": "u", "in": "body",
               "schema": {"$ref": "#/definitions/User"}}]}}},
         "definitions": {"User": {"properties": {"age": {"type": "integer", "example": 42}}}}}
        """;
    List<String> got = ApiSpecRequests.fromText(json).stream().map(ApiSpecRequestsTest::describe).toList();
    assertEquals(List.of("GET /v1/users/example?verbose=false", "PUT /v1/users {\"age\":42}"), got);
  }

  @Test
  void badDocumentsSayWhy() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ApiSpecRequests.fromText("paths: [a: b: c"))
        .getMessage().startsWith("does not parse as YAML"));
    assertEquals("neither OpenAPI 3 ('openapi: 3.x') nor Swagger 2 ('swagger: \"2.0\"')",
        assertThrows(IllegalArgumentException.class, () -> ApiSpecRequests.fromText("{\"info\": {}}")).getMessage());
    assertEquals("has no 'paths' object",
        assertThrows(IllegalArgumentException.class, () -> ApiSpecRequests.fromText("openapi: 3.1.0")).getMessage());
  }
}
