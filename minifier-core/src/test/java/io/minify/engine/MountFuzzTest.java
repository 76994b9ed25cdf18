package io.minify.engine;

import io.minify.fuzz.Fuzzer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --mount}: a mount, or an IllegalArgumentException naming the bad part. */
class MountFuzzTest {

  @Test
  void mountSpecs() {
    Fuzzer.ofText("--mount", List.of(",", "=", "type=", "bind", "volume", "source=", "src=", "target=", "dst=",
            "destination=", "readonly", "ro=", "true", "0", "/", "..", "\u0000", " "))
        .seeds("type=bind,source=./data,target=/data,readonly", "type=volume,source=cache,target=/var/cache",
            "target=/tmp,ro=1", "type=bind,src=/etc,dst=/host-etc,readonly=false", "type=tmpfs,target=/x", ",", "")
        .allowing(IllegalArgumentException.class)
        .run(text -> ContainerSpec.Mount.parse(text, Path.of("/srv/project")));
  }
}
