package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.select.PerlRequires.Require;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerlRequiresTest {

  private static List<Require> of(String source) {
    return PerlRequires.of(source.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> files(String source) {
    return of(source).stream().filter(r -> !r.dynamic()).map(Require::file).toList();
  }

  @Test
  void useNoRequireAndTheClassesOfParentBaseAndIf() {
    assertEquals(List.of("strict.pm", "warnings.pm", "POSIX.pm", "parent.pm", "Mojo/Base.pm", "base.pm",
        "Exporter.pm", "Text/Wrap.pm", "if.pm", "MRO/Compat.pm", "Data/Dumper.pm", "Getopt/Long.pm", "utf8_heavy.pl"),
        files("""
            use strict;
            use warnings;
            use v5.36;
            use POSIX qw(floor ceil);
            use parent -norequire, 'Mojo::Base';
            use base qw(
              Exporter Text::Wrap
            );
            no strict 'refs';
            use if $] < 5.010, 'MRO::Compat';
            sub dump {
              require Data::Dumper;
              require 5.006;
              require "Getopt/Long.pm";
              do { require 'utf8_heavy.pl' };
            }
            """));
  }

  @Test
  void computedNamesAreDynamicWithTheirNamespace() {
    assertEquals(List.of(new Require("", true), new Require("Storable/", true), new Require("Encode/", true),
        new Require("Mojo/Plugin/", true)),
        of("""
            sub load { my $class = shift; require $class; }
            require Storable::$backend;
            eval "require Encode::$name; 1" or die;
            eval qq{use Mojo::Plugin::$plugin};
            $obj->require($x);
            """));
  }

  @Test
  void podCommentsAndDataAreNotCode() {
    assertEquals(List.of("Kept.pm"), files("""
        # use Commented;
        =head1 SYNOPSIS

          use Documented;

        =cut
        use Kept;
        __END__
        use AfterEnd;
        """));
    assertEquals(List.of(), files("print 1;\n__DATA__\nuse Data::Only;\n"));
  }
}
