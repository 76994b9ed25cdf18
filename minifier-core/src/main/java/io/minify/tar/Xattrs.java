package io.minify.tar;

import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The extended attributes of one file, as tar carries them (PAX {@code SCHILY.xattr.NAME}
 * records): names and values are bytes. Values often are not text: a file capability
 * ({@code security.capability}) is a little-endian struct, a POSIX ACL
 * ({@code system.posix_acl_access}) a binary list of entries. Immutable, sorted by name
 * bytes (the order they are written in), with value equality.
 */
public final class Xattrs {
  private static final Comparator<byte[]> BYTE_ORDER = Arrays::compareUnsigned;
  public static final Xattrs NONE = new Xattrs(List.of());

  /** One attribute. Both arrays are owned by the record: never handed out mutable. */
  public record Xattr(byte[] name, byte[] value) {
    public Xattr {
      name = name.clone();
      value = value.clone();
    }

    @Override
    public byte[] name() {
      return name.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    /** The name for people to read ("security.capability"). */
    public String displayName() {
      return UnixPath.display(name);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Xattr x && Arrays.equals(name, x.name) && Arrays.equals(value, x.value);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(name) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return displayName() + "=" + value.length + " bytes";
    }
  }

  private final List<Xattr> attributes;

  private Xattrs(List<Xattr> sorted) {
    this.attributes = sorted;
  }

  /** From name/value pairs; a name given twice keeps its last value (as a later PAX record wins). */
  public static Xattrs of(Map<byte[], byte[]> byName) {
    TreeMap<byte[], byte[]> sorted = new TreeMap<>(BYTE_ORDER);
    sorted.putAll(byName);
    return fromSorted(sorted);
  }

  /** Builds an instance by adding attributes one at a time. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects attributes; a later value of the same name replaces the earlier one. */
  public static final class Builder {
    private final TreeMap<byte[], byte[]> sorted = new TreeMap<>(BYTE_ORDER);

    public Builder put(byte[] name, byte[] value) {
      sorted.put(name.clone(), value.clone());
      return this;
    }

    public Xattrs build() {
      return fromSorted(sorted);
    }
  }

  private static Xattrs fromSorted(TreeMap<byte[], byte[]> sorted) {
    if (sorted.isEmpty()) {
      return NONE;
    }
    List<Xattr> list = new ArrayList<>(sorted.size());
    sorted.forEach((name, value) -> list.add(new Xattr(name, value)));
    return new Xattrs(Collections.unmodifiableList(list));
  }

  /** The attributes, sorted by name bytes. */
  public List<Xattr> list() {
    return attributes;
  }

  public boolean isEmpty() {
    return attributes.isEmpty();
  }

  public int size() {
    return attributes.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Xattrs x && attributes.equals(x.attributes);
  }

  @Override
  public int hashCode() {
    return attributes.hashCode();
  }

  @Override
  public String toString() {
    return attributes.toString();
  }
}
