package io.minify.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.image.FileEntry;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Part of {@link KeepUnit#CODE_UNITS}: the dependencies the app's own manifest declares, at
 * its code roots, whether or not the run loaded them. A dependency {@code require()}d inside a
 * route handler (iconv-lite, to decode a body in another charset) is loaded only when that
 * route runs; the manifest names it all the same.
 * <ul>
 *   <li>Node: {@code dependencies}, {@code optionalDependencies} and
 *       {@code peerDependencies} of the root's {@code package.json}, resolved as Node does
 *       (the nearest {@code node_modules/NAME} upwards), each kept as {@link NodePackages}
 *       keeps a package: by what its entry points load. Development dependencies are not.
 *   <li>Ruby: the gems of the root's {@code Gemfile.lock} ({@code NAME (VERSION)} under
 *       {@code specs:}), found as {@code gems/NAME-VERSION} beside a {@code specifications}
 *       directory, each kept as {@link RubyGems} keeps a gem.
 * </ul>
 * (Python's {@code requirements.txt} is read by {@link CodeUnitRule}, which knows the site
 * directories.)
 */
final class ManifestDependencies {
  private static final int MAX_MANIFEST_BYTES = 4 << 20;
  private static final Pattern GEM_SPEC = Pattern.compile("^ {4}([A-Za-z0-9_.-]+) \\(([^)\\s]+)\\)$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestDependencies() {}

  static List<FoundUnit> keep(UnitContext ctx, List<AppRoots.Root> roots, NodePackages node, RubyGems gems) {
    List<FoundUnit> found = new ArrayList<>();
    for (AppRoots.Root root : roots) {
      UnixPath manifest = root.path().child("package.json");
      if (ctx.fs().entry(manifest).filter(FileEntry::hasContent).isPresent()) {
        found.add(node(ctx, root.path(), manifest, node));
      }
      UnixPath lock = root.path().child("Gemfile.lock");
      if (ctx.fs().entry(lock).filter(FileEntry::hasContent).isPresent()) {
        found.add(gems(ctx, lock, gems));
      }
    }
    return found;
  }

  private static FoundUnit node(UnitContext ctx, UnixPath root, UnixPath manifest, NodePackages node) {
    TreeSet<String> names = dependencies(ctx, manifest);
    List<String> unresolved = new ArrayList<>();
    int packages = 0;
    for (String name : names) {
      if (node.requirePackage(root, name, ", a dependency in " + manifest).isPresent()) {
        packages++;
      } else {
        unresolved.add(name);
      }
    }
    // the bytes are the packages': their own lines count them
    return new FoundUnit.Part("node dependencies of " + manifest, names.size() + " named, " + packages + " installed"
        + (unresolved.isEmpty() ? "" : " (not installed: " + String.join(", ", unresolved) + ")"), OptionalLong.empty());
  }

  /** The names a package.json depends on at run time, sorted; none when it is absent or unreadable. */
  static TreeSet<String> dependencies(UnitContext ctx, UnixPath manifest) {
    TreeSet<String> names = new TreeSet<>();
    Optional<byte[]> bytes = ctx.fs().entry(manifest).filter(FileEntry::hasContent)
        .flatMap(e -> ctx.head(manifest, MAX_MANIFEST_BYTES));
    if (bytes.isEmpty()) {
      return names;
    }
    try {
      JsonNode json = JSON.readTree(bytes.get());
      for (String field : List.of("dependencies", "optionalDependencies", "peerDependencies")) {
        JsonNode deps = json == null ? null : json.get(field);
        if (deps != null && deps.isObject()) {
          for (Iterator<String> it = deps.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
          }
        }
      }
    } catch (IOException e) {
      // a package.json Node itself could not read names nothing to keep
    }
    return names;
  }

  private static FoundUnit gems(UnitContext ctx, UnixPath lock, RubyGems gems) {
    Set<String> wanted = new TreeSet<>();
    String text = ctx.head(lock, MAX_MANIFEST_BYTES).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
    for (String line : text.lines().toList()) {
      Matcher m = GEM_SPEC.matcher(line);
      if (m.matches()) {
        wanted.add(m.group(1) + "-" + m.group(2));
      }
    }
    int kept = 0;
    for (FileEntry e : ctx.fs().entries()) {
      UnixPath p = e.path();
      if (!e.isDirectory() || !p.parent().nameEquals("gems")
          || !ctx.isDirectory(p.parent().parent().child("specifications"))) {
        continue;
      }
      String name = p.toUtf8().map(t -> t.substring(t.lastIndexOf('/') + 1)).orElse("");
      // a platform gem is NAME-VERSION-PLATFORM; the lock names it NAME (VERSION-PLATFORM)
      if (!wanted.contains(name)) {
        continue;
      }
      gems.locked(p, ", locked in " + lock);
      kept++;
    }
    return new FoundUnit.Part("ruby gems of " + lock, wanted.size() + " locked, " + kept + " found", OptionalLong.empty());
  }
}
