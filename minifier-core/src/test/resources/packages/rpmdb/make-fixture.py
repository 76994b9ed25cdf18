#!/usr/bin/env python3
"""Writes the rpm sqlite databases RpmDatabaseTest reads, next to this script.

    python3 make-fixture.py

rpmdb.sqlite: four packages as rpm 4.16+ stores them (table Packages(hnum, blob) with rpm's
AUTOINCREMENT, a Name index table, WAL mode checkpointed on close, 4096-byte pages):
  bash          5.2.26-3.fc40 x86_64, files under /usr/bin and /usr/share/doc
  glibc-common  2.39-17.fc40 x86_64, 1500 locale files: a header blob of some 17 KB, so its row
                spills into a chain of overflow pages
  openssl-libs  1:3.2.2-3.fc40 x86_64 (an epoch), listed as /lib64/... (merged /usr: the
                image's /lib64 is a symlink to usr/lib64), one file name not valid UTF-8
  gpg-pubkey    a key rpm imported: no files, no architecture
rpmdb-many.sqlite: 300 small packages, so the Packages table has an interior page.

The header blobs are built by hand: rpm's header without its 8-byte magic, i.e. int32 index
count, int32 data length, 16-byte index entries (tag, type, offset, count), the data store;
all big-endian. Only Python's standard library is used. The output depends on the SQLite
version (its number is in the file header); the tests only rely on the content.
"""
import os
import sqlite3
import struct

INT32, STRING, BIN, STRING_ARRAY, I18NSTRING = 4, 6, 7, 8, 9
HEADERIMMUTABLE = 63
NAME, VERSION, RELEASE, EPOCH, SUMMARY, SIZE, ARCH = 1000, 1001, 1002, 1003, 1004, 1009, 1022
DIRINDEXES, BASENAMES, DIRNAMES = 1116, 1117, 1118

HERE = os.path.dirname(os.path.abspath(__file__))


def header_blob(entries):
    """entries: (tag, type, value); value is bytes, a list of bytes or a list of ints."""
    index = []
    data = bytearray()
    for tag, kind, value in sorted(entries, key=lambda e: e[0]):
        if kind == INT32:
            data += b"\0" * (-len(data) % 4)  # rpm aligns integers
            offset, count = len(data), len(value)
            data += b"".join(struct.pack(">I", v) for v in value)
        elif kind == STRING:
            offset, count = len(data), 1
            data += value + b"\0"
        elif kind in (STRING_ARRAY, I18NSTRING):
            offset, count = len(data), len(value)
            data += b"".join(v + b"\0" for v in value)
        else:
            raise ValueError(kind)
        index.append((tag, kind, offset, count))
    # rpm's immutable region: a first entry pointing at a 16-byte trailer at the end of the
    # data; readers that do not know the tag skip it
    trailer_offset = len(data)
    data += struct.pack(">iiii", HEADERIMMUTABLE, BIN, -16 * (len(index) + 1), 16)
    index.insert(0, (HEADERIMMUTABLE, BIN, trailer_offset, 16))
    return (struct.pack(">ii", len(index), len(data))
            + b"".join(struct.pack(">iiii", *e) for e in index) + bytes(data))


def package(name, version, release, arch, size, paths, epoch=None):
    entries = [(NAME, STRING, name), (VERSION, STRING, version), (RELEASE, STRING, release),
               (SUMMARY, I18NSTRING, [b"the " + name + b" package"]), (SIZE, INT32, [size])]
    if arch is not None:
        entries.append((ARCH, STRING, arch))
    if epoch is not None:
        entries.append((EPOCH, INT32, [epoch]))
    if paths:
        dirnames, dirindexes, basenames = [], [], []
        for path in paths:
            slash = path.rindex(b"/") + 1
            dirname, basename = path[:slash], path[slash:]
            if dirname not in dirnames:
                dirnames.append(dirname)
            dirindexes.append(dirnames.index(dirname))
            basenames.append(basename)
        entries += [(DIRINDEXES, INT32, dirindexes), (BASENAMES, STRING_ARRAY, basenames),
                    (DIRNAMES, STRING_ARRAY, dirnames)]
    return name, header_blob(entries)


def write(file_name, packages):
    path = os.path.join(HERE, file_name)
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path)
    db.execute("PRAGMA page_size = 4096")
    db.execute("PRAGMA journal_mode = WAL")
    # rpm's own schema (lib/backend/sqlite.c)
    db.execute("CREATE TABLE IF NOT EXISTS 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT, "
               "blob BLOB NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS 'Name' (key 'TEXT' NOT NULL, hnum INTEGER NOT NULL, "
               "idx INTEGER NOT NULL, FOREIGN KEY (hnum) REFERENCES 'Packages'(hnum))")
    db.execute("CREATE INDEX IF NOT EXISTS 'Name_key_idx' ON 'Name'(key ASC)")
    for name, blob in packages:
        hnum = db.execute("INSERT INTO Packages (blob) VALUES (?)", (blob,)).lastrowid
        db.execute("INSERT INTO Name (key, hnum, idx) VALUES (?, ?, 0)", (name.decode(), hnum))
    db.commit()
    db.execute("PRAGMA wal_checkpoint = TRUNCATE")  # what rpm does when it closes the database
    db.close()
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    print(file_name, os.path.getsize(path), "bytes,", len(packages), "packages")


def main():
    locales = [b"/usr/share/i18n/locales/%s_%s" % (lang, region)
               for lang in (b"de", b"en", b"es", b"fr", b"it", b"nl", b"pt", b"sv", b"fi", b"da", b"pl", b"cs", b"sk",
                            b"hu", b"ro", b"bg", b"el", b"tr", b"ru", b"uk", b"ja", b"ko", b"zh", b"he", b"ar")
               for region in [b"R%02d" % i for i in range(60)]]
    write("rpmdb.sqlite", [
        package(b"bash", b"5.2.26", b"3.fc40", b"x86_64", 8_310_411,
                [b"/usr/bin/bash", b"/usr/bin/sh", b"/usr/share/doc/bash", b"/usr/share/doc/bash/README"]),
        package(b"glibc-common", b"2.39", b"17.fc40", b"x86_64", 1_140_000,
                [b"/usr/share/i18n", b"/usr/share/i18n/locales"] + locales),
        package(b"openssl-libs", b"3.2.2", b"3.fc40", b"x86_64", 7_901_234,
                [b"/lib64/libssl.so.3", b"/lib64/libcrypto.so.3", b"/usr/share/doc/openssl/caf\xe9"], epoch=1),
        package(b"gpg-pubkey", b"a15b79cc", b"63d04c2c", None, 0, []),
    ])
    write("rpmdb-many.sqlite", [
        package(b"pkg-%03d" % i, b"1.0", b"1", b"noarch", 1000 + i,
                [b"/usr/share/pkg-%03d/data" % i, b"/usr/share/pkg-%03d/README" % i]) for i in range(300)
    ])


if __name__ == "__main__":
    main()
