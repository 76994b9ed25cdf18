package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GemRequiresTest {

  private static GemRequires.Scan of(String source) {
    return GemRequires.of(source.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void literalRequiresAnywhereAndAutoloadWithAPath() {
    GemRequires.Scan scan = of("""
        require 'rack'
        require("rack/utils")
        require_relative 'helpers'
        module X
          autoload :Parser, 'x/parser'
          def call
            items.each do |i|
              require "x/lazy"
            end
          end
        end
        gem 'y', require: false
        """);
    assertEquals(List.of("rack", "rack/utils", "x/parser", "x/lazy"), scan.features());
    assertEquals(List.of("helpers"), scan.relatives());
    assertEquals(List.of(), scan.computed());
    assertFalse(scan.zeitwerk());
  }

  @Test
  void computedLoads() {
    GemRequires.Scan scan = of("""
        Dir[File.join(__dir__, '*.rb')].each { |f| require f }
        require "x/#{name}"
        autoload :Journey
        def require(path)
          super
        end
        loader = Zeitwerk::Loader.for_gem
        """);
    assertEquals(List.of(new GemRequires.Computed("require", ""), new GemRequires.Computed("require", "x/"),
        new GemRequires.Computed("autoload", "")), scan.computed());
    assertTrue(scan.zeitwerk());
  }
}
