package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRequiresTest {

  private static NodeRequires.Scan of(String source) {
    return NodeRequires.of(source.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyFormOfLoadingByALiteralName() {
    NodeRequires.Scan scan = of("""
        const a = require('a');
        const b = require("b/sub");
        import c, { d } from 'c';
        import 'side-effect';
        export * from "./re-exported.js";
        function later() {
          return import('./lazy.mjs') && require.resolve('resolved') && require(`./template`);
        }
        module.require('old-style');
        x.require('not-node');
        """);
    assertEquals(List.of("a", "b/sub", "./lazy.mjs", "resolved", "./template", "old-style", "c", "./re-exported.js",
        "side-effect"), scan.specifiers());
    assertEquals(List.of(), scan.computed());
  }

  @Test
  void aNameThatIsNotOneLiteralIsComputedWithItsLiteralPrefix() {
    NodeRequires.Scan scan = of("""
        require(name);
        require('./locale/' + lang);
        require(`./drivers/${driver}`);
        import(path.join(__dirname, x));
        """);
    assertEquals(List.of(new NodeRequires.Computed("require", ""), new NodeRequires.Computed("require", "./locale/"),
        new NodeRequires.Computed("require", "./drivers/"), new NodeRequires.Computed("import()", "")),
        scan.computed());
    assertTrue(scan.usesDirname());
  }

  @Test
  void plainStringsThatMayNameFilesAreListedButNotTheSpecifiers() {
    NodeRequires.Scan scan = of("const t = fs.readFileSync('./data/table.json'); require('./x');");
    assertTrue(scan.literals().contains("./data/table.json"));
    assertFalse(scan.literals().contains("./x"));
    assertFalse(scan.usesDirname());
  }

  @Test
  void builtinsAndPackageNames() {
    assertTrue(NodeRequires.isBuiltin("fs"));
    assertTrue(NodeRequires.isBuiltin("node:test"));
    assertFalse(NodeRequires.isBuiltin("express"));
    assertEquals("@scope/name", NodeRequires.packageName("@scope/name/sub/x.js"));
    assertEquals("lodash", NodeRequires.packageName("lodash/fp"));
  }
}
