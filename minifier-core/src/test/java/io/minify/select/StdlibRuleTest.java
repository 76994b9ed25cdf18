package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.image.ImageConfig;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StdlibRule} for Ruby and Perl on synthetic images laid out as Debian bookworm lays
 * them out: Ruby 3.1's library in /usr/lib/ruby/3.1.0 and its extensions in
 * /usr/lib/x86_64-linux-gnu/ruby/3.1.0; Perl 5.36 in perl-base, /usr/share/perl/5.36.0 (with
 * the 5.36 link), /usr/lib/x86_64-linux-gnu/perl/5.36.0 (XS modules and auto/) and
 * /usr/share/perl5.
 */
class StdlibRuleTest {
  private static final String LIB = "usr/lib/ruby/3.1.0/";
  private static final String EXT = "usr/lib/x86_64-linux-gnu/ruby/3.1.0/";
  private static final String BASE = "usr/lib/x86_64-linux-gnu/perl-base/";
  private static final String SHARE = "usr/share/perl/5.36.0/";
  private static final String ARCH = "usr/lib/x86_64-linux-gnu/perl/5.36.0/";
  private static final String PERL5 = "usr/share/perl5/";

  @TempDir
  Path dir;

  private LayeredImageFilesystem image() throws Exception {
    TestLayer layer = new TestLayer().dir("usr").dir("usr/lib").dir("usr/share").dir("usr/lib/x86_64-linux-gnu")
        // Ruby: the library, its extension dir, a Debian-packaged library and a bundled gem
        .dir("usr/lib/ruby").dir(LIB).dir("usr/lib/x86_64-linux-gnu/ruby").dir(EXT)
        .file(LIB + "rubygems.rb", "require 'rbconfig'\nrequire_relative 'rubygems/specification'\n"
            + "require \"rubygems/defaults/#{RUBY_ENGINE}\"\ndef self.fetch\n  require 'net/http'\nend\n")
        .dir(LIB + "rubygems").file(LIB + "rubygems/specification.rb", "x").file(LIB + "rubygems/installer.rb", "x")
        .file(LIB + "json.rb", "require 'json/common'\nrequire 'json/ext'\n").dir(LIB + "json")
        .file(LIB + "json/common.rb", "x").file(LIB + "json/ext.rb", "require 'json/ext/parser'\n")
        .file(LIB + "csv.rb", "require 'forwardable'\nrequire_relative 'csv/parser'\n").dir(LIB + "csv")
        .file(LIB + "csv/parser.rb", "require \"strscan\"\nrequire_relative '../csv_table'\n")
        .file(LIB + "csv_table.rb", "x").file(LIB + "csv/writer.rb", "x")
        .file(LIB + "forwardable.rb", "x")
        .file(LIB + "yaml.rb", "require 'psych'\n").file(LIB + "psych.rb", "require 'psych.so'\n")
        .file(LIB + "pstore.rb", "x")
        .file(LIB + "digest.rb", "def self.const_missing(name)\n  lib = File.join('digest', name.to_s.downcase)\n"
            + "  require lib\nend\n")
        .dir(LIB + "digest").file(LIB + "digest/version.rb", "x")
        .file(LIB + "unused.rb", "x").dir(LIB + "net").file(LIB + "net/http.rb", "x")
        .file(EXT + "rbconfig.rb", "x").file(EXT + "psych.so", "ELF").file(EXT + "strscan.so", "ELF")
        .dir(EXT + "json").dir(EXT + "json/ext").file(EXT + "json/ext/parser.so", "ELF")
        .file(EXT + "json/ext/generator.so", "ELF")
        .dir(EXT + "digest").file(EXT + "digest/sha2.so", "ELF").file(EXT + "zlib.so", "ELF")
        .dir(EXT + "enc").file(EXT + "enc/encdb.so", "ELF").file(EXT + "enc/utf_16le.so", "ELF")
        .dir("usr/lib/ruby/vendor_ruby").file("usr/lib/ruby/vendor_ruby/rack.rb", "require 'zlib'\n")
        .dir("usr/lib/ruby/gems").dir("usr/lib/ruby/gems/3.1.0").dir("usr/lib/ruby/gems/3.1.0/gems")
        .dir("usr/lib/ruby/gems/3.1.0/gems/rss-0.2.9").dir("usr/lib/ruby/gems/3.1.0/gems/rss-0.2.9/lib")
        .file("usr/lib/ruby/gems/3.1.0/gems/rss-0.2.9/lib/rss.rb", "x")
        .file("usr/lib/ruby/gems/3.1.0/gems/rss-0.2.9/README.md", "x")
        .dir("usr/lib/ruby/gems/3.1.0/specifications")
        .file("usr/lib/ruby/gems/3.1.0/specifications/rss-0.2.9.gemspec", "x")
        .dir("srv").dir("srv/rb")
        .file("srv/rb/app.rb", """
            require 'rack'
            require_relative 'helpers'
            autoload :PStore, 'pstore'
            get '/export' do
              require 'csv'
              CSV.generate { |csv| csv << [1] }
            end
            get '/json' do
              require "json"
            end
            def digest = (require 'digest'; Digest::SHA256)
            def feed = require('rss')
            # require 'unused'
            __END__
            require 'net/http'
            """)
        .file("srv/rb/helpers.rb", "Kernel.require('yaml')\n").file("srv/rb/views.rb", "require 'unused'\n")
        // Perl
        .dir("usr/share/perl").dir(SHARE).symlink("usr/share/perl/5.36", "5.36.0")
        .dir("usr/lib/x86_64-linux-gnu/perl").dir(ARCH).symlink("usr/lib/x86_64-linux-gnu/perl/5.36", "5.36.0")
        .dir(BASE).file(BASE + "strict.pm", "x").file(BASE + "warnings.pm", "use strict;\n")
        .file(BASE + "XSLoader.pm", "x").file(BASE + "base.pm", "require $fn;\n")
        .file(BASE + "POSIX.pm", "use XSLoader;\nXSLoader::load();\n")
        .dir(BASE + "auto").dir(BASE + "auto/POSIX").file(BASE + "auto/POSIX/POSIX.so", "ELF")
        .dir(BASE + "unicore").file(BASE + "unicore/Name.pl", "x").dir(BASE + "unicore/lib")
        .file(BASE + "unicore/lib/Word.pl", "x")
        .file(SHARE + "strict.pm", "x").dir(SHARE + "Text").file(SHARE + "Text/Wrap.pm", "use Text::Tabs;\n")
        .file(SHARE + "Text/Tabs.pm", "x").file(SHARE + "Unused.pm", "x").dir(SHARE + "Pod")
        .file(SHARE + "Pod/Only.pm", "x")
        .file(SHARE + "Legacy.pm", "use AutoLoader 'AUTOLOAD';\n").file(SHARE + "AutoLoader.pm", "x")
        .dir(SHARE + "auto").dir(SHARE + "auto/Legacy").file(SHARE + "auto/Legacy/autosplit.ix", "x")
        .file(SHARE + "auto/Legacy/helper.al", "x").dir(SHARE + "auto/Legacy/Sub")
        .file(SHARE + "auto/Legacy/Sub/other.al", "x")
        .dir(ARCH + "Data").file(ARCH + "Data/Dumper.pm", "require XSLoader;\n")
        .dir(ARCH + "auto").dir(ARCH + "auto/Data").dir(ARCH + "auto/Data/Dumper")
        .file(ARCH + "auto/Data/Dumper/Dumper.so", "ELF")
        .file(ARCH + "Encode.pm", "sub find { eval \"require Encode::$mod\" }\n").dir(ARCH + "Encode")
        .file(ARCH + "Encode/JP.pm", "x").dir(ARCH + "auto/Encode").dir(ARCH + "auto/Encode/JP")
        .file(ARCH + "auto/Encode/JP/JP.so", "ELF")
        .dir(PERL5).dir(PERL5 + "Mojo").file(PERL5 + "Mojo/Base.pm", "sub load { eval \"require $class; 1\" }\n")
        .dir(PERL5 + "Mojo/Plugin").file(PERL5 + "Mojo/Plugin/Thing.pm", "x").dir(PERL5 + "MRO")
        .file(PERL5 + "MRO/Compat.pm", "x")
        .dir("srv/pl")
        .file("srv/pl/app", """
            #!/usr/bin/perl -w
            use strict;
            use warnings;
            use POSIX qw(floor);
            use base qw(Mojo::Base Text::Wrap);
            use if $] < 5.010, 'MRO::Compat';
            use Legacy;
            sub dump { require Data::Dumper; Data::Dumper::Dumper(@_) }
            sub bytes { require Encode; Encode::encode('UTF-8', shift) }

            =head1 SYNOPSIS

              use Pod::Only;

            =cut

            __END__
            use Unused;
            """.getBytes(StandardCharsets.UTF_8), 0755, Map.of());
    return LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("layer.tar"))));
  }

  private KeepSet select(List<String> files) throws Exception {
    AccessLog log = new AccessLog(new TreeSet<>(files.stream().map(UnixPath::of).toList()), new TreeSet<>(),
        new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), files.size());
    ImageConfig config = new ImageConfig(List.of(), List.of(), List.of("PATH=/usr/bin:/bin"), "", "", List.of(),
        List.of(), Map.of(), null);
    try (var fs = image()) {
      return new KeepSetSelector(fs, config, KeepRules.none().withUnits(EnumSet.of(KeepUnit.INTERPRETER_STDLIB)))
          .select(log);
    }
  }

  private KeepSet ruby() throws Exception {
    return select(List.of("/srv/rb/app.rb", "/" + LIB + "rubygems.rb", "/" + LIB + "rubygems/specification.rb",
        "/" + EXT + "rbconfig.rb", "/" + EXT + "enc/encdb.so"));
  }

  private KeepSet perl() throws Exception {
    return select(List.of("/srv/pl/app", "/" + BASE + "strict.pm", "/" + BASE + "unicore/Name.pl"));
  }

  private static void kept(KeepSet keep, String path, String why) {
    assertEquals(Optional.of(KeepReason.STDLIB), keep.reasonOf(UnixPath.of("/" + path)), path + ": " + why);
  }

  private static void notKept(KeepSet keep, String path, String why) {
    assertFalse(keep.contains(UnixPath.of("/" + path)), path + ": " + why);
  }

  private static String found(KeepSet keep, String language) {
    return FoundLines.of(keep).get(KeepUnit.INTERPRETER_STDLIB).stream().filter(l -> l.startsWith(language + " "))
        .findFirst().orElseThrow();
  }

  @Test
  void rubyRequireInsideARouteBlockKeepsTheFeatureAndWhatItRequires() throws Exception {
    KeepSet keep = ruby();
    kept(keep, LIB + "csv.rb", "required inside a get block");
    kept(keep, LIB + "forwardable.rb", "what csv requires");
    kept(keep, LIB + "csv/parser.rb", "require_relative in a kept library file");
    kept(keep, LIB + "csv_table.rb", "require_relative up the tree ('../csv_table')");
    kept(keep, EXT + "strscan.so", "a feature that is an extension in the ext dir, required transitively");
    notKept(keep, LIB + "csv/writer.rb", "in csv/ but required by nothing");
    assertEquals("ruby library /usr/lib/ruby/3.1.0, required by /srv/rb/app.rb",
        keep.reasons().get(UnixPath.of("/" + LIB + "csv.rb")).detail());
  }

  @Test
  void rubyRequireRelativeAutoloadAndKernelRequire() throws Exception {
    KeepSet keep = ruby();
    kept(keep, "srv/rb/helpers.rb", "require_relative of the app");
    kept(keep, LIB + "yaml.rb", "Kernel.require in helpers.rb");
    kept(keep, LIB + "psych.rb", "yaml requires psych");
    kept(keep, EXT + "psych.so", "psych requires psych.so, in the ext dir");
    kept(keep, LIB + "pstore.rb", "autoload");
    notKept(keep, "srv/rb/views.rb", "nothing requires it");
  }

  @Test
  void rubyFeaturesResolveAcrossLibExtVendorAndGemDirs() throws Exception {
    KeepSet keep = ruby();
    kept(keep, LIB + "json.rb", "required in a route");
    kept(keep, LIB + "json/common.rb", "json requires json/common");
    kept(keep, LIB + "json/ext.rb", "json requires json/ext");
    kept(keep, EXT + "json/ext/parser.so", "json/ext requires json/ext/parser");
    notKept(keep, EXT + "json/ext/generator.so", "nothing requires it");
    kept(keep, "usr/lib/ruby/vendor_ruby/rack.rb", "a Debian-packaged library in vendor_ruby");
    kept(keep, EXT + "zlib.so", "what rack requires");
    kept(keep, "usr/lib/ruby/gems/3.1.0/gems/rss-0.2.9/README.md", "a feature in a bundled gem keeps the gem");
    kept(keep, "usr/lib/ruby/gems/3.1.0/specifications/rss-0.2.9.gemspec", "rubygems finds the gem by it");
  }

  @Test
  void rubyUnrequiredAndCommentedFeaturesAreNotKept() throws Exception {
    KeepSet keep = ruby();
    notKept(keep, LIB + "unused.rb", "only a comment and an unkept file require it");
    notKept(keep, LIB + "net/http.rb", "required after __END__, and lazily by rubygems, whose requires serve gem commands");
  }

  @Test
  void rubySubtreesLoadedByComputedNamesAreKeptWholeAndReported() throws Exception {
    KeepSet keep = ruby();
    kept(keep, EXT + "enc/utf_16le.so", "encodings are loaded by name");
    kept(keep, LIB + "rubygems/installer.rb", "rubygems was loaded: kept whole");
    kept(keep, EXT + "digest/sha2.so", "digest.rb requires by a computed name: digest/ whole, ext dir too");
    kept(keep, LIB + "digest/version.rb", "digest/ whole in the lib dir");
    String line = found(keep, "ruby");
    assertTrue(line.startsWith("ruby /usr/lib/ruby/3.1.0: "), line);
    assertTrue(line.contains("/" + EXT + "enc (encodings are loaded by name at run time)"), line);
    assertTrue(line.contains("/" + LIB + "rubygems (rubygems is loaded at every start)"), line);
    assertTrue(line.contains("/" + EXT + "digest (computed require in /" + LIB + "digest.rb)"), line);
  }

  @Test
  void rubyLibraryIsNotKeptWholeAnyMore() throws Exception {
    KeepSet keep = select(List.of("/" + LIB + "rubygems.rb", "/" + EXT + "rbconfig.rb"));
    notKept(keep, LIB + "csv.rb", "no kept code requires csv");
    notKept(keep, EXT + "psych.so", "no kept code requires psych");
    kept(keep, LIB + "rubygems/installer.rb", "rubygems whole");
  }

  @Test
  void perlUseRequireAndParentClasses() throws Exception {
    KeepSet keep = perl();
    kept(keep, BASE + "warnings.pm", "use warnings: a pragma is a file");
    kept(keep, BASE + "POSIX.pm", "use POSIX qw(...)");
    kept(keep, BASE + "XSLoader.pm", "what POSIX uses");
    kept(keep, ARCH + "Data/Dumper.pm", "require inside a sub");
    kept(keep, PERL5 + "Mojo/Base.pm", "a class of use base qw(...)");
    kept(keep, SHARE + "Text/Wrap.pm", "a class of use base qw(...)");
    kept(keep, SHARE + "Text/Tabs.pm", "what Text::Wrap uses");
    kept(keep, BASE + "base.pm", "use base");
    kept(keep, PERL5 + "MRO/Compat.pm", "use if COND, 'X'");
    notKept(keep, SHARE + "Unused.pm", "used after __END__");
    notKept(keep, SHARE + "Pod/Only.pm", "named in POD");
  }

  @Test
  void perlXsAndAutoLoaderPartsOfKeptModules() throws Exception {
    KeepSet keep = perl();
    kept(keep, BASE + "auto/POSIX/POSIX.so", "XSLoader loads auto/POSIX/POSIX.so");
    kept(keep, ARCH + "auto/Data/Dumper/Dumper.so", "in another @INC dir than strict.pm");
    kept(keep, SHARE + "auto/Legacy/autosplit.ix", "AutoLoader's index");
    kept(keep, SHARE + "auto/Legacy/helper.al", "an autoloaded sub");
    notKept(keep, SHARE + "auto/Legacy/Sub/other.al", "belongs to Legacy::Sub, which nothing uses");
  }

  @Test
  void perlSubtreesLoadedByComputedNamesAreKeptWholeAndReported() throws Exception {
    KeepSet keep = perl();
    kept(keep, PERL5 + "Mojo/Plugin/Thing.pm", "Mojo::Base requires by a computed name: Mojo/ whole");
    kept(keep, ARCH + "Encode/JP.pm", "Encode loads encodings by name");
    kept(keep, ARCH + "auto/Encode/JP/JP.so", "and their XS parts");
    kept(keep, BASE + "unicore/lib/Word.pl", "a unicore table was loaded: tables load by computed names");
    String line = found(keep, "perl");
    assertTrue(line.contains("/" + PERL5 + "Mojo (computed require in /" + PERL5 + "Mojo/Base.pm)"), line);
    assertTrue(line.contains("/" + BASE + "unicore ("), line);
    assertTrue(line.contains("computed requires not followed: /" + BASE + "base.pm"), line);
  }
}
