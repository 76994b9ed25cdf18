#!/bin/sh
# Rebuilds the ELF fixtures of ElfStripPlanTest (x86-64 Linux, gcc 12, binutils 2.40).
# Small on purpose: no separate code segment, 4 KiB pages, no build id.
set -eu
cd "$(dirname "$0")"
F="-g -O0 -Wl,-z,noseparate-code -Wl,-z,max-page-size=0x1000 -Wl,--build-id=none"
gcc $F -shared -fPIC -o libgreet.so greet.c
gcc $F -o hello hello.c -L. -lgreet -Wl,-rpath,'$ORIGIN'
strip -o hello-stripped hello
# an allocated section numbered after the debug sections: not strippable by minify
objcopy --add-section .late=late.bin --set-section-flags .late=alloc,contents hello hello-alloc-late
# the same program as ELF32 (x32): does not run, but has the 32-bit structures
objcopy -O elf32-x86-64 hello hello-x32
