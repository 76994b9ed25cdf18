/*
 * minify-gate: holds a container's entrypoint until the host-side file monitor is armed.
 *
 * Usage (inside the container): /.minify/minify-gate CMD [ARG...]
 *
 * The gate opens the FIFO /.minify/release read-only, which blocks until the host opens
 * it for writing. One byte means "go": the gate closes the FIFO and execs CMD with the
 * same argv, environment, working directory and credentials, the way the engine would
 * have started it. End of file without a byte means the host gave up: exit 125.
 *
 * Constraints that shape this file:
 *  - Linked statically and opens nothing but the FIFO before the release, so the monitor
 *    sees exactly what the application opens, from its very first exec (no dynamic
 *    loader, no locale, no NSS lookups).
 *  - The FIFO lives on a bind mount, not on the container's root mount, so the gate's own
 *    open is not recorded; after the release it is gone (O_CLOEXEC as well as close()).
 *  - PATH lookup follows the engine (runc uses Go's exec.LookPath): the first PATH entry
 *    holding a non-directory with an execute bit wins, then one execve and no fallback.
 *    glibc's execvp would instead run a script without "#!" through /bin/sh on ENOEXEC
 *    and go on searching after EACCES, which the engine does not do.
 *  - Exit codes follow `docker run`: 127 command not found, 126 found but not
 *    executable, 125 the gate itself failed (usage, abort, FIFO problems).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The FIFO path is fixed for the shipped gate. The integration test build (a separate gcc
 * run into target/, never packaged) defines GATE_FIFO_FROM_ARGV so the FIFO path is taken
 * from argv[1] and the tests can run the real gate code on the host with a temporary FIFO.
 * An environment variable would have been simpler, but the application would inherit it;
 * a compile-time switch cannot leak into production.
 */
#ifndef GATE_FIFO
#define GATE_FIFO "/.minify/release"
#endif

extern char **environ;

/*
 * Prints "minify-gate: " + the parts + newline as ONE write, so the line is not torn.
 * No stdio (nothing buffered) and strerrordesc_np (untranslated, so no gettext/locale
 * files are touched even on the failure path).
 */
static void say(const char *a, const char *b, const char *c, const char *d) {
  const char *parts[] = {"minify-gate: ", a, b, c, d, "\n"};
  char line[1024];
  size_t len = 0;
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    if (parts[i] == NULL) {
      continue;
    }
    size_t n = strlen(parts[i]);
    if (n > sizeof line - 1 - len) {
      n = sizeof line - 1 - len;
    }
    memcpy(line + len, parts[i], n);
    len += n;
  }
  if (len > 0 && line[len - 1] != '\n') {
    line[len - 1] = '\n'; /* truncated: keep the newline */
  }
  ssize_t ignored = write(STDERR_FILENO, line, len);
  (void)ignored;
}

static const char *describe(int err) {
  const char *text = strerrordesc_np(err);
  return text != NULL ? text : "unknown error";
}

static int wait_for_release(const char *fifo) {
  int fd;
  do {
    fd = open(fifo, O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    say("cannot open ", fifo, ": ", describe(errno));
    return 125;
  }
  char go;
  ssize_t n;
  do {
    n = read(fd, &go, 1);
  } while (n < 0 && errno == EINTR);
  int saved = errno;
  close(fd);
  if (n == 1) {
    return 0;
  }
  if (n == 0) {
    say("aborted: the host closed the start gate without releasing it", NULL, NULL, NULL);
  } else {
    say("cannot read ", fifo, ": ", describe(saved));
  }
  return 125;
}

static int is_executable_candidate(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && !S_ISDIR(st.st_mode) && (st.st_mode & 0111) != 0;
}

/* Returns only on failure, with errno set. */
static void exec_like_engine(char *const argv[]) {
  const char *cmd = argv[0];
  if (cmd[0] == '\0') {
    errno = ENOENT;
    return;
  }
  if (strchr(cmd, '/') != NULL) {
    execve(cmd, argv, environ);
    return;
  }
  const char *path = getenv("PATH");
  if (path == NULL) {
    /* runc never starts a process without PATH (the engine sets a default); match Go's
       LookPath with an empty PATH: nothing is found. */
    errno = ENOENT;
    return;
  }
  size_t cmd_len = strlen(cmd);
  for (const char *dir = path;; ) {
    const char *end = strchr(dir, ':');
    size_t dir_len = end != NULL ? (size_t)(end - dir) : strlen(dir);
    char candidate[PATH_MAX];
    if (dir_len == 0) {
      /* An empty PATH entry means the working directory, as in Go and POSIX. */
      dir = ".";
      dir_len = 1;
    }
    if (dir_len + 1 + cmd_len < sizeof candidate) {
      memcpy(candidate, dir, dir_len);
      candidate[dir_len] = '/';
      memcpy(candidate + dir_len + 1, cmd, cmd_len + 1);
      if (is_executable_candidate(candidate)) {
        execve(candidate, argv, environ);
        return;
      }
    }
    if (end == NULL) {
      break;
    }
    dir = end + 1;
  }
  errno = ENOENT;
}

int main(int argc, char *argv[]) {
  const char *fifo = GATE_FIFO;
#ifdef GATE_FIFO_FROM_ARGV
  if (argc < 2) {
    say("usage: minify-gate-test FIFO COMMAND [ARG...]", NULL, NULL, NULL);
    return 125;
  }
  fifo = argv[1];
  argc--;
  argv++;
#endif
  if (argc < 2) {
    say("usage: minify-gate COMMAND [ARG...] (holds COMMAND until the host releases ", GATE_FIFO, ")", NULL);
    return 125;
  }
  int rc = wait_for_release(fifo);
  if (rc != 0) {
    return rc;
  }
  exec_like_engine(argv + 1);
  int err = errno;
  say("cannot exec ", argv[1], ": ", describe(err));
  return err == ENOENT ? 127 : 126;
}
