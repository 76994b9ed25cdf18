package io.minify.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageConfigJsonTest {

  @Test
  void readsEveryFieldMinifyUses() throws Exception {
    String json = """
        {"Entrypoint":["/entry.sh"],"Cmd":["serve","--port","8080"],
         "Env":["PATH=/opt/bin:/usr/bin","A=1","A=2"],"User":"app:app","WorkingDir":"/srv",
         "ExposedPorts":{"8080/tcp":{},"53/udp":{},"9090/tcp":{}},"Volumes":{"/data":{}},
         "Labels":{"k":"v"},"StopSignal":"SIGQUIT"}""";
    ImageConfig c = ImageConfigJson.parse(new ObjectMapper().readTree(json));
    assertEquals(List.of("/entry.sh", "serve", "--port", "8080"), c.command());
    assertEquals("/opt/bin:/usr/bin", c.path());
    assertEquals("2", c.envValue("A"));
    assertEquals("app:app", c.user());
    assertEquals("/srv", c.workingDir());
    assertEquals(List.of(8080, 9090), c.exposedTcpPorts());
    assertEquals(List.of("/data"), c.volumes());
    assertEquals(Map.of("k", "v"), c.labels());
    assertEquals("SIGQUIT", c.stopSignal());
  }

  @Test
  void nullFieldsMeanUnset() throws Exception {
    ImageConfig c = ImageConfigJson.parse(new ObjectMapper().readTree(
        "{\"Entrypoint\":null,\"Cmd\":null,\"Env\":null,\"ExposedPorts\":null,\"User\":\"\"}"));
    assertEquals(List.of(), c.command());
    assertEquals(ImageConfig.DEFAULT_PATH, c.path());
    assertEquals("", c.user());
    assertNull(c.stopSignal());
  }
}
