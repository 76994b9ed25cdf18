#!/usr/bin/env bash
# The image of the files workload the cost benchmarks share (scripts/bench-monitor.sh,
# scripts/bench-seccomp.sh): FROM minify-base:bookworm, 100,000 distinct small files in /data
# (100 directories of 1,000) and /usr/local/bin/monitor-workload, a static C program that opens
# and reads each once, then all of them AGAIN more times, and reports its own elapsed time
# (measured inside, so the engine's exec or start is not in it). Tagged
# minify-bench/monitor-files:1 and kept; rebuilt when the workload's source changes. Prints the
# image's name on stdout.
#
# Usage: scripts/bench-files-image.sh
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/monitor-workload.c" <<'EOF'
/* monitor-workload create DIR: 100 directories of 1,000 files of a few distinct bytes.
 * monitor-workload run DIR AGAIN: open, read and close every file once, then AGAIN more times;
 * prints "first=S again=S" (seconds of the first pass and of the others). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { DIRS = 100, FILES = 1000 };
static char paths[DIRS * FILES][64];

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void open_all(void) {
  char buf[64];
  for (int i = 0; i < DIRS * FILES; i++) {
    int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, buf, sizeof buf) <= 0) { perror(paths[i]); exit(1); }
    close(fd);
  }
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: monitor-workload create|run DIR [AGAIN]\n"); return 2; }
  for (int d = 0; d < DIRS; d++)
    for (int f = 0; f < FILES; f++)
      snprintf(paths[d * FILES + f], sizeof paths[0], "%s/d%03d/f%04d", argv[2], d, f);
  if (strcmp(argv[1], "create") == 0) {
    char dir[64];
    if (mkdir(argv[2], 0755) != 0) { perror(argv[2]); return 1; }
    for (int d = 0; d < DIRS; d++) {
      snprintf(dir, sizeof dir, "%s/d%03d", argv[2], d);
      if (mkdir(dir, 0755) != 0) { perror(dir); return 1; }
      for (int f = 0; f < FILES; f++) {
        FILE *out = fopen(paths[d * FILES + f], "w");
        if (!out || fprintf(out, "file %d %d\n", d, f) < 0 || fclose(out) != 0) { perror(paths[d * FILES + f]); return 1; }
      }
    }
    return 0;
  }
  int again = argc > 3 ? atoi(argv[3]) : 10;
  double start = now();
  open_all();
  double first = now();
  for (int i = 0; i < again; i++) open_all();
  printf("first=%.4f again=%.4f\n", first - start, now() - first);
  return 0;
}
EOF
cat > "$work/Dockerfile" <<'EOF'
FROM minify-base:bookworm
COPY monitor-workload /usr/local/bin/monitor-workload
RUN ["/usr/local/bin/monitor-workload", "create", "/data"]
CMD ["sleep", "infinity"]
EOF
source_hash=$(cat "$work/monitor-workload.c" "$work/Dockerfile" | sha256sum | cut -c1-16)
image=minify-bench/monitor-files:1
if [ "$(docker image inspect -f '{{index .Config.Labels "io.minify.bench.source"}}' "$image" 2>/dev/null)" != "$source_hash" ]; then
  echo "bench: building $image (100,000 files)" >&2
  gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static -o "$work/monitor-workload" "$work/monitor-workload.c"
  docker build -q --label io.minify.bench=monitor --label "io.minify.bench.source=$source_hash" \
    -t "$image" "$work" >/dev/null
fi

echo "$image"
