package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.select.RubyRequires.Call;
import io.minify.select.RubyRequires.Require;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one scanner of Ruby code: the interpreter's library, gems and the app are read alike. */
class RubyRequiresTest {

  private static RubyRequires.Scan scan(String source) {
    return RubyRequires.of(source.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Require> of(String source) {
    return scan(source).requires();
  }

  private static Require feature(String name) {
    return new Require(Call.REQUIRE, name, false, false);
  }

  private static Require autoload(String name) {
    return new Require(Call.AUTOLOAD, name, false, false);
  }

  @Test
  void everyLiteralFormAnywhereInTheText() {
    assertEquals(List.of(feature("json"), feature("net/http"), feature("set"), feature("yaml"),
        new Require(Call.REQUIRE_RELATIVE, "helpers", true, false), autoload("pstore"), autoload("logger"),
        feature("csv"), feature("strscan.so")),
        of("""
            require 'json'
            require "net/http"
            require('set') unless defined?(Set)
            Kernel.require 'yaml'
            require_relative 'helpers'
            autoload :PStore, 'pstore'
            Object.autoload(:Logger, "logger")
            get '/export' do
              require 'csv'
              CSV.generate { |c| c << [1] }
            end
            def parse; require "strscan.so"; end
            """));
  }

  @Test
  void computedNamesAreDynamicWithTheirLiteralStart() {
    assertEquals(List.of(new Require(Call.REQUIRE, "rubygems/defaults/", false, true),
        new Require(Call.REQUIRE, "", false, true), new Require(Call.REQUIRE, "x/", false, true),
        new Require(Call.AUTOLOAD, "", false, true), new Require(Call.REQUIRE_RELATIVE, "plugins/", true, true)),
        of("""
            require "rubygems/defaults/#{RUBY_ENGINE}"
            Dir[File.join(__dir__, "plugins/*.rb")].each { |f| require f }
            require File.join(base, name)
            require 'x/' + name
            autoload :Journey
            require_relative "plugins/#{name}"
            """));
  }

  @Test
  void requireHandedOnAsAMethodAndZeitwerkAreSaid() {
    RubyRequires.Scan plain = scan("require 'rack'\n");
    assertFalse(plain.sendsRequire());
    assertFalse(plain.zeitwerk());
    RubyRequires.Scan sent = scan("""
        names.each(&:require)
        loader = Zeitwerk::Loader.for_gem
        """);
    assertTrue(sent.sendsRequire());
    assertTrue(sent.zeitwerk());
    assertEquals(List.of(), sent.requires());
  }

  @Test
  void pathsWrittenBesideTheFileAreRelative() {
    assertEquals(List.of(new Require(Call.AUTOLOAD, "set/sorted_set", true, false),
        new Require(Call.AUTOLOAD, "rubygems/installer", true, false),
        new Require(Call.REQUIRE, "requirement", true, false), new Require(Call.REQUIRE, "version", true, false)),
        of("""
            autoload :SortedSet, "#{__dir__}/set/sorted_set"
            autoload :Installer, File.expand_path('rubygems/installer', __dir__)
            require File.expand_path("../requirement", __FILE__)
            require File.join(__dir__, 'version')
            """));
  }

  @Test
  void commentsDocumentationDefinitionsAndOtherMethodsAreNotRequires() {
    assertEquals(List.of(feature("kept")), of("""
        # require 'commented'
        =begin
        require 'documented'
        =end
        def require(path)
        params.require(:user)
        gem 'rack', require: false
        module X; def call; items.each { require_relative } end; end
        warn "use `require \\"did_you_mean/experimental\\"' instead"
        require 'kept'
        __END__
        require 'data'
        """));
  }

  @Test
  void aCExtensionRequiresWhatItsStringsName() {
    byte[] so = "\u007fELF\0\0psych/syntax_error\0Psych\0rb_require\0date_core\0x/\0a/b c\0psych/versions\0"
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertEquals(List.of("psych/syntax_error", "psych/versions"), List.copyOf(RubyRequires.inExtension(so)));
  }
}
