package io.minify.analysis;

import io.minify.digest.Digest;
import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.packages.InstalledPackage;
import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * A CycloneDX 1.5 SBOM of an image: its OS packages and versions from the image's own dpkg
 * or apk database (in a slim image, the trimmed one: exactly what is shipped), and every
 * regular file no package lists, with its SHA-256 (the app, pip and npm installs, data).
 * Written through the CycloneDX library, which also validates it against the schema.
 *
 * <p>No serial number and no timestamp: the same image gives the same bytes.
 */
public final class CycloneDxSbom {
  public static final Version SPEC = Version.VERSION_15;
  private static final UnixPath OS_RELEASE = UnixPath.of("/etc/os-release");
  private static final UnixPath USR_OS_RELEASE = UnixPath.of("/usr/lib/os-release");

  private final String toolVersion;

  /** @param toolVersion minify's version, named as the tool that wrote the SBOM */
  public CycloneDxSbom(String toolVersion) {
    this.toolVersion = toolVersion;
  }

  /** The SBOM as JSON text. */
  public String toJson(String imageName, Digest imageId, ImageFilesystem fs) throws IOException {
    try {
      return BomGeneratorFactory.createJson(SPEC, bom(imageName, imageId, fs)).toJsonString();
    } catch (GeneratorException e) {
      throw new IllegalStateException("the SBOM model does not serialise: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the SBOM of {@code image} to {@code file} (whole or not at all), as one JSON
   * document and a newline.
   *
   * @param imageName what the SBOM calls the image (the slim tag after a build)
   */
  public void write(OpenedImage image, String imageName, Path file) throws IOException {
    DocumentFiles.writeText(file, toJson(imageName, image.imageId(), image.filesystem()) + "\n");
  }

  Bom bom(String imageName, Digest imageId, ImageFilesystem fs) throws IOException {
    OsRelease os = OsRelease.of(fs);
    Optional<PackageDatabase> db = PackageDatabase.read(fs);
    List<Component> components = new ArrayList<>();
    if (!os.id().isEmpty()) {
      Component system = new Component();
      system.setType(Component.Type.OPERATING_SYSTEM);
      system.setName(os.id());
      system.setVersion(os.versionId());
      system.setBomRef("os:" + os.id());
      components.add(system);
    }
    if (db.isPresent()) {
      for (InstalledPackage pkg : db.get().packages()) {
        components.add(packageComponent(pkg, db.get().kind(), os));
      }
    }
    for (FileEntry entry : fs.entries()) {
      if (entry.type() == EntryType.FILE && (db.isEmpty() || !db.get().isOwned(entry.path()))) {
        components.add(fileComponent(entry, fs));
      }
    }
    Component image = new Component();
    image.setType(Component.Type.CONTAINER);
    image.setName(imageName);
    image.setVersion(imageId.toString());
    image.setBomRef("image:" + imageId);
    Component tool = new Component();
    tool.setType(Component.Type.APPLICATION);
    tool.setName("minify");
    tool.setVersion(toolVersion);
    ToolInformation tools = new ToolInformation();
    tools.setComponents(List.of(tool));
    Metadata metadata = new Metadata();
    metadata.setTimestamp(null); // the library stamps "now"; the same image must give the same bytes
    metadata.setComponent(image);
    metadata.setToolChoice(tools);
    Bom bom = new Bom();
    bom.setMetadata(metadata);
    bom.setComponents(components);
    return bom;
  }

  private static Component packageComponent(InstalledPackage pkg, PackageDatabase.Kind kind, OsRelease os) {
    Component component = new Component();
    component.setType(Component.Type.LIBRARY);
    component.setName(pkg.name());
    component.setVersion(pkg.version());
    // package URL types and the distribution each database form usually comes with
    String type = switch (kind) {
      case DPKG, DPKG_STATUS_D -> "deb";
      case APK -> "apk";
      case RPM -> "rpm";
    };
    String usual = switch (kind) {
      case DPKG, DPKG_STATUS_D -> "debian";
      case APK -> "alpine";
      case RPM -> "fedora";
    };
    String namespace = os.id().isEmpty() ? usual : os.id();
    String purl = "pkg:" + type + "/" + encode(namespace) + "/" + encode(pkg.name()) + "@" + encode(pkg.version())
        + (pkg.architecture().isEmpty() ? "" : "?arch=" + encode(pkg.architecture()));
    component.setPurl(purl);
    component.setBomRef(purl);
    return component;
  }

  private static Component fileComponent(FileEntry entry, ImageFilesystem fs) throws IOException {
    MessageDigest sha256 = Digest.Algorithm.SHA256.newHasher();
    try (InputStream in = fs.open(entry)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        sha256.update(buffer, 0, n);
      }
    }
    Component component = new Component();
    component.setType(Component.Type.FILE);
    component.setName(entry.path().toString());
    component.setBomRef("file:" + entry.path());
    component.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, Digest.of(sha256).hex())));
    return component;
  }

  /** A purl segment: percent-encoded as the purl spec asks (spaces as %20, not '+'). */
  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
  }

  /** ID and VERSION_ID of the image's os-release (text by its format), "" when absent. */
  record OsRelease(String id, String versionId) {
    static OsRelease of(ImageFilesystem fs) throws IOException {
      for (UnixPath candidate : List.of(OS_RELEASE, USR_OS_RELEASE)) {
        var resolved = fs.resolve(candidate);
        Optional<FileEntry> file = resolved.exists() ? fs.entry(resolved.resolved()).filter(FileEntry::hasContent)
            : Optional.empty();
        if (file.isEmpty()) {
          continue;
        }
        String text;
        try (InputStream in = fs.open(file.get())) {
          text = new String(in.readNBytes(64 << 10), StandardCharsets.UTF_8);
        }
        return new OsRelease(value(text, "ID"), value(text, "VERSION_ID"));
      }
      return new OsRelease("", "");
    }

    private static String value(String text, String key) {
      for (String line : text.split("\n")) {
        if (line.startsWith(key + "=")) {
          String value = line.substring(key.length() + 1).strip();
          return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
              ? value.substring(1, value.length() - 1) : value;
        }
      }
      return "";
    }
  }
}
