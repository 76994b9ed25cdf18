/*
 * minify-sensor: the file monitor of minify, for engines whose containers are not processes
 * of minify's machine (docker-in-docker, a remote engine). It runs INSIDE the engine as a
 * small container (--pid=host --cap-add SYS_ADMIN --cap-add SYS_PTRACE) and does what
 * FanotifyMonitor.java does on the host; minify reads its stdout over the engine API and
 * parses it with io.minify.sensor.remote.SensorOutput.
 *
 * Usage:
 *   minify-sensor watch PID    mark the root mount of process PID (a gated container's
 *                              init), release its start gate, report opens until SIGTERM
 *   minify-sensor sigcgt PID   print the SigCgt mask of process PID
 *
 * Output (stdout, ASCII only, one record per line):
 *   armed                      the mark is set and the gate released
 *   e FLAGS HEXPATH            a path gained FLAGS, a non-empty subset of "doxw" in this
 *                              order: d directory opened, o non-directory opened, x executed,
 *                              w closed after writing (a directory gets only d); HEXPATH is
 *                              the path's bytes as lowercase hex
 *   lost REASON                events were lost: the list is incomplete (first reason only)
 *   end EVENTS                 stopped by SIGTERM/SIGINT after a last drain; EVENTS read
 *   error MESSAGE              failed (before "armed": nothing was watched); exit status 1
 *   sigcgt HEX                 the answer to "sigcgt"
 *
 * Constraints that shape this file:
 *  - Paths are bytes, and an engine's log or attach stream may re-encode what is not UTF-8,
 *    so a path travels as hex; reasons and messages escape every byte that is not printable
 *    ASCII as \xHH.
 *  - Lines are written with write(2) from one buffer per drain of the fanotify queue (not
 *    per event: a drain can hold thousands), and only whole lines go into a write, so the
 *    reader never sees a torn line and nothing sits in a stdio buffer at exit.
 *  - Each path is printed once per flag: the sensor keeps the flags it already printed for a
 *    path, so the stream grows with the number of distinct files, not with the number of
 *    opens (an interpreter opens the same module directories thousands of times).
 *  - Linked statically (the sensor container's image may be anything, even scratch) and
 *    untranslated error texts (strerrordesc_np), as in minify-gate.c.
 *  - The start gate's FIFO is reached through the target's root with openat2(RESOLVE_IN_ROOT):
 *    /.minify/release is looked up inside the container's file system, and an image that puts
 *    an absolute symlink on that path gets a path inside its own root, never a host file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The same event choice as FanotifyMonitor.java (see its comment for why no FAN_ACCESS). */
#define MASK (FAN_OPEN | FAN_OPEN_EXEC | FAN_CLOSE_WRITE | FAN_ONDIR)
#define POLL_MILLIS 100
#define READ_BUFFER_SIZE (16 * 1024)
#define FDS_OF_OUR_OWN 32 /* stdio, the pin, fanotify, signalfd, and room for what we inherited */
#define GATE_FIFO ".minify/release" /* relative to the target's root: see release_gate() */
#define GATE_RETRY_MILLIS 5
#define GATE_TIMEOUT_MILLIS 10000

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

#define FLAG_D 1u
#define FLAG_O 2u
#define FLAG_X 4u
#define FLAG_W 8u

/*
 * One line: "e doxw " + 2 hex digits per path byte + newline fits; texts (reasons,
 * messages) are cut to fit, never split over two lines.
 */
#define LINE_CAPACITY (2 * (PATH_MAX + 1) + 64)
/* Output is flushed at the end of each drain, or earlier when this much is pending. */
#define OUT_FLUSH_AT (64 * 1024)

static const char *const FLAG_LETTERS = "doxw";
static const char DELETED_SUFFIX[] = " (deleted)";

/* ---- output ---------------------------------------------------------------------------- */

struct line {
  size_t len;
  char text[LINE_CAPACITY];
};

static char out[OUT_FLUSH_AT + LINE_CAPACITY];
static size_t out_len;

static const char *describe(int err) {
  const char *text = strerrordesc_np(err);
  return text != NULL ? text : "unknown error";
}

/* stdout is gone (minify stopped reading): nobody can be told anything, so just leave. */
static void stdout_broken(int err) {
  const char *parts[] = {"minify-sensor: cannot write to stdout: ", describe(err), "\n"};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    ssize_t ignored = write(STDERR_FILENO, parts[i], strlen(parts[i]));
    (void)ignored;
  }
  _exit(1);
}

static void flush_out(void) {
  size_t done = 0;
  while (done < out_len) {
    ssize_t n = write(STDOUT_FILENO, out + done, out_len - done);
    if (n > 0) {
      done += (size_t)n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      /* A non-blocking stdout (inherited that way): wait until it takes more. */
      struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
      (void)poll(&p, 1, -1);
    } else {
      stdout_broken(n < 0 ? errno : EIO);
    }
  }
  out_len = 0;
}

static void line_start(struct line *l, const char *keyword) {
  l->len = 0;
  size_t n = strlen(keyword);
  memcpy(l->text, keyword, n);
  l->len = n;
}

/* Room left for text, keeping one byte for the newline. */
static size_t room(const struct line *l) {
  return sizeof l->text - 1 - l->len;
}

static void put(struct line *l, const char *s) {
  size_t n = strlen(s);
  if (n > room(l)) {
    n = room(l);
  }
  memcpy(l->text + l->len, s, n);
  l->len += n;
}

/* Bytes for people to read: printable ASCII as it is, '\' and everything else as \xHH. */
static void put_escaped(struct line *l, const unsigned char *b, size_t n) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    unsigned c = b[i];
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      if (room(l) < 1) {
        return;
      }
      l->text[l->len++] = (char)c;
    } else {
      if (room(l) < 4) {
        return;
      }
      l->text[l->len++] = '\\';
      l->text[l->len++] = 'x';
      l->text[l->len++] = hex[c >> 4];
      l->text[l->len++] = hex[c & 15];
    }
  }
}

static void put_hex(struct line *l, const unsigned char *b, size_t n) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n && room(l) >= 2; i++) {
    l->text[l->len++] = hex[b[i] >> 4];
    l->text[l->len++] = hex[b[i] & 15];
  }
}

static void put_u64(struct line *l, uint64_t v) {
  char digits[21];
  size_t i = sizeof digits;
  digits[--i] = '\0';
  do {
    digits[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  put(l, digits + i);
}

/* Queues the line (with its newline); the buffer is flushed first when it would overflow. */
static void emit(struct line *l) {
  l->text[l->len++] = '\n';
  if (out_len + l->len > sizeof out) {
    flush_out();
  }
  memcpy(out + out_len, l->text, l->len);
  out_len += l->len;
  if (out_len >= OUT_FLUSH_AT) {
    flush_out();
  }
}

static struct line scratch; /* one line at a time; static: it is 8 KiB */

/* "error " + the parts, flushed with whatever is pending, then exit 1. */
static void fail(const char *a, const char *b, const char *c, const char *d, const char *e) {
  const char *parts[] = {a, b, c, d, e};
  line_start(&scratch, "error ");
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    if (parts[i] != NULL) {
      put(&scratch, parts[i]);
    }
  }
  emit(&scratch);
  flush_out();
  exit(1);
}

/* ---- what was printed already ------------------------------------------------------- */

/*
 * An open-addressing hash set of paths with the flags printed for each. It only shortens
 * the output: when memory runs out, a path is printed again rather than lost.
 */
struct seen {
  unsigned char *path; /* NULL: free slot */
  size_t len;
  uint32_t hash;
  unsigned flags;
};

static struct seen *table;
static size_t table_size; /* a power of two */
static size_t table_used;

static uint32_t fnv1a(const unsigned char *b, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h = (h ^ b[i]) * 16777619u;
  }
  return h;
}

static int grow(void) {
  size_t size = table_size == 0 ? 4096 : table_size * 2;
  struct seen *bigger = calloc(size, sizeof *bigger);
  if (bigger == NULL) {
    return -1;
  }
  for (size_t i = 0; i < table_size; i++) {
    if (table[i].path != NULL) {
      size_t j = table[i].hash & (size - 1);
      while (bigger[j].path != NULL) {
        j = (j + 1) & (size - 1);
      }
      bigger[j] = table[i];
    }
  }
  free(table);
  table = bigger;
  table_size = size;
  return 0;
}

/* The flags printed so far for the path, NULL when there is no memory to remember it. */
static unsigned *printed_flags(const unsigned char *path, size_t len) {
  if (table_used * 2 >= table_size && grow() != 0 && table_used + 1 >= table_size) {
    return NULL;
  }
  uint32_t h = fnv1a(path, len);
  size_t j = h & (table_size - 1);
  while (table[j].path != NULL) {
    if (table[j].hash == h && table[j].len == len && memcmp(table[j].path, path, len) == 0) {
      return &table[j].flags;
    }
    j = (j + 1) & (table_size - 1);
  }
  unsigned char *copy = malloc(len);
  if (copy == NULL) {
    return NULL;
  }
  memcpy(copy, path, len);
  table[j] = (struct seen){.path = copy, .len = len, .hash = h, .flags = 0};
  table_used++;
  return &table[j].flags;
}

/* ---- the monitor ------------------------------------------------------------------------ */

/*
 * FAN_REPORT_FD_ERROR (Linux 6.13): when the kernel cannot open an event's file, it reports the
 * event with -errno as its fd. Without it the kernel drops that event and ends the read early
 * with the events before it, so the loss is silent (measured on 6.18 with RLIMIT_NOFILE at 8:
 * files missing, no error). Older kernels refuse the flag (EINVAL); then read_size below keeps
 * EMFILE out of reach, and only ENFILE/ENOMEM could still drop an event unseen.
 */
#ifndef FAN_REPORT_FD_ERROR
#define FAN_REPORT_FD_ERROR 0x00002000
#endif

static int fan_fd = -1;
static size_t read_size; /* bytes per read: never more events than fds we may still open */
static uint64_t events;
static int loss_reported;

/* Only the first loss is printed: one is enough to make the list unusable. */
static struct line *lost_start(void) {
  if (loss_reported) {
    return NULL;
  }
  loss_reported = 1;
  line_start(&scratch, "lost ");
  return &scratch;
}

static void lost(const char *a, const char *b) {
  struct line *l = lost_start();
  if (l != NULL) {
    put(l, a);
    put(l, b);
    emit(l);
  }
}

/* "/proc/self/fd/" + the decimal fd into buf, which holds at least 32 bytes. */
static void fd_link_name(char *buf, int fd) {
  const char prefix[] = "/proc/self/fd/";
  char digits[12];
  size_t i = sizeof digits;
  digits[--i] = '\0';
  unsigned v = (unsigned)fd;
  do {
    digits[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  size_t p = sizeof prefix - 1;
  memcpy(buf, prefix, p);
  memcpy(buf + p, digits + i, sizeof digits - i);
}

static void record(int event_fd, uint64_t mask) {
  static unsigned char target[PATH_MAX + 1];
  char link[32];
  fd_link_name(link, event_fd);
  ssize_t n = readlink(link, (char *)target, sizeof target);
  if (n < 0 || (size_t)n >= sizeof target) {
    struct line *l = lost_start();
    if (l != NULL) {
      put(l, "cannot resolve ");
      put(l, link);
      put(l, ": ");
      put(l, n < 0 ? describe(errno) : "path too long");
      emit(l);
    }
    return;
  }
  size_t len = (size_t)n;
  /*
   * The type comes from the open file itself: the kernel never reports FAN_ONDIR back in fd
   * mode, it only filters with it (see FanotifyMonitor.java).
   */
  struct stat st;
  if (fstat(event_fd, &st) != 0) {
    int err = errno;
    struct line *l = lost_start();
    if (l != NULL) {
      put(l, "cannot stat ");
      put_escaped(l, target, len);
      put(l, " through ");
      put(l, link);
      put(l, ": ");
      put(l, describe(err));
      emit(l);
    }
    return;
  }
  /*
   * The kernel appends " (deleted)" to the link of an unlinked file; the path opened is the
   * one before the suffix, but only when the file has no links left: a file may be named
   * "x (deleted)".
   */
  size_t suffix = sizeof DELETED_SUFFIX - 1;
  if (st.st_nlink == 0 && len >= suffix && memcmp(target + len - suffix, DELETED_SUFFIX, suffix) == 0) {
    len -= suffix;
  }
  if (len == 0 || target[0] != '/') {
    struct line *l = lost_start();
    if (l != NULL) {
      put(l, "the kernel reported a path that is not absolute: ");
      put_escaped(l, target, len);
      emit(l);
    }
    return;
  }
  unsigned flags;
  if (S_ISDIR(st.st_mode)) {
    flags = FLAG_D;
  } else {
    /* The kernel merges queued events of one file, so one event may carry several bits. */
    flags = ((mask & (FAN_OPEN | FAN_OPEN_EXEC)) ? FLAG_O : 0) | ((mask & FAN_OPEN_EXEC) ? FLAG_X : 0)
        | ((mask & FAN_CLOSE_WRITE) ? FLAG_W : 0);
  }
  unsigned *printed = printed_flags(target, len);
  unsigned gained = printed != NULL ? flags & ~*printed : flags;
  if (gained == 0) {
    return;
  }
  if (printed != NULL) {
    *printed |= gained;
  }
  line_start(&scratch, "e ");
  for (unsigned bit = 0; bit < 4; bit++) {
    if (gained & (1u << bit)) {
      scratch.text[scratch.len++] = FLAG_LETTERS[bit];
    }
  }
  put(&scratch, " ");
  put_hex(&scratch, target, len);
  emit(&scratch);
}

/* A fault of the kernel interface is fatal: what was found so far is printed, then the error. */
static void parse_events(const char *buf, ssize_t length) {
  const struct fanotify_event_metadata *m = (const struct fanotify_event_metadata *)buf;
  ssize_t left = length;
  while (left >= (ssize_t)FAN_EVENT_METADATA_LEN) {
    if (m->vers != FANOTIFY_METADATA_VERSION) {
      fail("unsupported fanotify metadata version (expected " STRINGIFY(FANOTIFY_METADATA_VERSION) ")", NULL, NULL,
          NULL, NULL);
    }
    if (m->event_len < FAN_EVENT_METADATA_LEN || (ssize_t)m->event_len > left) {
      fail("malformed fanotify event (length beyond the read)", NULL, NULL, NULL, NULL);
    }
    events++;
    if (m->mask & FAN_Q_OVERFLOW) {
      lost("the kernel queue overflowed (FAN_Q_OVERFLOW)", "");
      if (m->fd >= 0) {
        close(m->fd);
      }
    } else if (m->fd == FAN_NOFD) {
      lost("an event arrived without a file descriptor", "");
    } else if (m->fd < 0) {
      lost("the kernel could not open an event's file: ", describe(-m->fd));
    } else {
      record(m->fd, m->mask);
      close(m->fd);
    }
    m = FAN_EVENT_NEXT(m, left);
  }
}

/* Reads until the queue is empty (the fd is non-blocking). */
static void drain(void) {
  /* 16 KiB = 682 events per read; the kernel opens one fd per event, so keep it modest. */
  static char buf[READ_BUFFER_SIZE] __attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
  for (;;) {
    ssize_t n = read(fan_fd, buf, read_size);
    if (n < 0) {
      int err = errno;
      if (err == EAGAIN) {
        return;
      }
      if (err == EINTR) {
        continue;
      }
      if (err == EMFILE || err == ENFILE || err == ENOMEM) {
        /* The kernel could not open an event's file: that event is dropped. Keep reading:
           the queue still has to be drained. */
        lost("read failed: ", describe(err));
        continue;
      }
      fail("reading the fanotify queue failed: ", describe(err), NULL, NULL, NULL);
    }
    if (n == 0) {
      return;
    }
    parse_events(buf, n);
  }
}

/* ---- arming ------------------------------------------------------------------------------ */

/* "1234" only: digits, no sign, no spaces, 1..INT_MAX. */
static int parse_pid(const char *text) {
  long v = 0;
  if (*text == '\0' || strlen(text) > 10) {
    return -1;
  }
  for (const char *p = text; *p != '\0'; p++) {
    if (*p < '0' || *p > '9') {
      return -1;
    }
    v = v * 10 + (*p - '0');
  }
  return v > 0 && v <= INT_MAX ? (int)v : -1;
}

/* A dead process's pinned /proc directory answers ESRCH (or ENOENT), even if its pid is reused. */
static int alive(int pin_fd) {
  struct stat st;
  return fstatat(pin_fd, "stat", &st, 0) == 0;
}

static long long now_millis(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Whether SIGTERM or SIGINT came (they are blocked and read from the signalfd). */
static int stop_signal_came(int sig_fd, int wait_millis) {
  struct pollfd p = {.fd = sig_fd, .events = POLLIN};
  if (poll(&p, 1, wait_millis) <= 0 || !(p.revents & POLLIN)) {
    return 0;
  }
  struct signalfd_siginfo info;
  while (read(sig_fd, &info, sizeof info) == (ssize_t)sizeof info) {
  }
  return 1;
}

/*
 * Lets the gated app start: the gate (minify-gate.c) waits in open(O_RDONLY) of /.minify/release
 * in the container. The FIFO is opened through the target's root so the lookup stays inside the
 * container's file system: RESOLVE_IN_ROOT resolves ".." and absolute symlinks against that root,
 * RESOLVE_NO_MAGICLINKS refuses /proc/<pid>/root-style jumps out of it. O_NONBLOCK makes a writer
 * open fail with ENXIO while nobody reads instead of blocking, which is how the gate is polled.
 */
static void release_gate(int pin_fd, const char *pid, int sig_fd) {
  int root_fd = openat(pin_fd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) {
    fail("cannot open the root of process ", pid, ": ", describe(errno), NULL);
  }
  struct open_how how = {
      .flags = O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY,
      .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
  };
  long long deadline = now_millis() + GATE_TIMEOUT_MILLIS;
  int fd;
  for (;;) {
    fd = (int)syscall(SYS_openat2, root_fd, GATE_FIFO, &how, sizeof how);
    if (fd >= 0) {
      break;
    }
    int err = errno;
    if (err == ENOSYS) {
      fail("cannot open the start gate: openat2 failed: ", describe(err),
          " (kernel older than 5.6, or a seccomp profile that forbids openat2)", NULL, NULL);
    }
    /* EAGAIN: RESOLVE_IN_ROOT saw a concurrent rename and asks for a retry. */
    if (err != ENXIO && err != EINTR && err != EAGAIN) {
      fail("cannot open the start gate /" GATE_FIFO " in the root of process ", pid, ": ", describe(err),
          err == EPERM ? " (a seccomp profile that forbids openat2?)" : NULL);
    }
    if (!alive(pin_fd)) {
      fail("process ", pid, " exited before it reached the start gate", NULL, NULL);
    }
    if (now_millis() > deadline) {
      fail("process ", pid, " never reached the start gate within 10 s (nothing opened /" GATE_FIFO
          " for reading; is its entrypoint the gate?)", NULL, NULL);
    }
    if (stop_signal_came(sig_fd, GATE_RETRY_MILLIS)) {
      fail("stopped by a signal before the monitor was armed", NULL, NULL, NULL, NULL);
    }
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    fail("cannot stat the start gate /" GATE_FIFO " of process ", pid, ": ", describe(errno), NULL);
  }
  if (!S_ISFIFO(st.st_mode)) {
    fail("/" GATE_FIFO " in the root of process ", pid, " is not a FIFO: not releasing it", NULL, NULL);
  }
  ssize_t n;
  do {
    n = write(fd, "1", 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) {
    fail("cannot release the start gate of process ", pid, ": write failed: ", n < 0 ? describe(errno) : "short write",
        NULL);
  }
  close(fd);
  close(root_fd);
}

static int watch(const char *pid) {
  if (parse_pid(pid) < 0) {
    fail("not a process id: ", pid, NULL, NULL, NULL);
  }
  /*
   * SIGTERM and SIGINT are blocked and read from a signalfd, so the poll loop sees them
   * without a handler racing it. Blocked signals are also delivered when the sensor is PID 1
   * of its own namespace (the kernel ignores only unblocked default-action signals there).
   */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  if (sigprocmask(SIG_BLOCK, &stop, NULL) != 0) {
    fail("cannot block SIGTERM: ", describe(errno), NULL, NULL, NULL);
  }
  int sig_fd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sig_fd < 0) {
    fail("signalfd failed: ", describe(errno), NULL, NULL, NULL);
  }
  /*
   * The kernel opens one fd per event it hands over: allow as many as the hard limit, and read
   * no more events at once than fds are left (a failed open loses the event, see
   * FAN_REPORT_FD_ERROR).
   */
  struct rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &files);
  }
  read_size = READ_BUFFER_SIZE;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY
      && files.rlim_cur < FDS_OF_OUR_OWN + READ_BUFFER_SIZE / FAN_EVENT_METADATA_LEN) {
    size_t spare = files.rlim_cur > FDS_OF_OUR_OWN ? files.rlim_cur - FDS_OF_OUR_OWN : 1;
    read_size = spare * FAN_EVENT_METADATA_LEN;
  }

  /* 1. Pin: the directory fd names this process even after its pid is reused. */
  char proc_dir[32] = "/proc/";
  strcat(proc_dir, pid);
  int pin_fd = open(proc_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (pin_fd < 0) {
    int err = errno;
    fail("cannot pin process ", pid, ": ", describe(err),
        err == ENOENT ? " (no such process: did it exit, or is the sensor not in the host's pid namespace?)" : NULL);
  }

  /* 2. fanotify on the mount of the process's root. */
  unsigned init_flags = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK | FAN_UNLIMITED_QUEUE;
  unsigned event_flags = O_RDONLY | O_CLOEXEC | O_LARGEFILE;
  fan_fd = fanotify_init(init_flags | FAN_REPORT_FD_ERROR, event_flags);
  if (fan_fd < 0 && errno == EINVAL) {
    fan_fd = fanotify_init(init_flags, event_flags); /* a kernel before 6.13 */
  }
  if (fan_fd < 0) {
    int err = errno;
    if (err == EPERM) {
      fail("fanotify_init failed: ", describe(err), ": watching a container's files needs CAP_SYS_ADMIN", NULL, NULL);
    }
    if (err == ENOSYS) {
      fail("fanotify is not available in this kernel (CONFIG_FANOTIFY): ", describe(err), NULL, NULL, NULL);
    }
    fail("fanotify_init failed: ", describe(err), NULL, NULL, NULL);
  }
  char root[48];
  fd_link_name(root, pin_fd);
  strcat(root, "/root");
  if (fanotify_mark(fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, MASK, AT_FDCWD, root) != 0) {
    int err = errno;
    fail("cannot watch the root of process ", pid, ": fanotify_mark failed: ", describe(err),
        err == EINVAL  ? " (kernel older than 5.0 without FAN_OPEN_EXEC?)"
        : err == EACCES ? " (reading another process's root needs CAP_SYS_PTRACE)"
        : err == ENOENT || err == ESRCH ? " (did the process exit?)"
                                        : NULL);
  }

  /* 3. The mark is on the right mount only if the pinned process still lives. */
  if (!alive(pin_fd)) {
    fail("process ", pid, " exited before the monitor was armed", NULL, NULL);
  }

  /* 4. and 5. */
  release_gate(pin_fd, pid, sig_fd);
  line_start(&scratch, "armed");
  emit(&scratch);
  flush_out();

  /* 6. and 7. */
  for (;;) {
    struct pollfd p[2] = {{.fd = fan_fd, .events = POLLIN}, {.fd = sig_fd, .events = POLLIN}};
    if (poll(p, 2, POLL_MILLIS) < 0 && errno != EINTR) {
      fail("poll on the fanotify fd failed: ", describe(errno), NULL, NULL, NULL);
    }
    /*
     * The signal is read BEFORE the drain: fanotify queues an event in the opening task, so
     * every open that completed before the stop request is in this last drain.
     */
    int last = (p[1].revents & POLLIN) && stop_signal_came(sig_fd, 0);
    drain();
    if (last) {
      line_start(&scratch, "end ");
      put_u64(&scratch, events);
      emit(&scratch);
      flush_out();
      return 0;
    }
    flush_out();
  }
}

/* ---- sigcgt ---------------------------------------------------------------------------- */

static int sigcgt(const char *pid) {
  if (parse_pid(pid) < 0) {
    fail("not a process id: ", pid, NULL, NULL, NULL);
  }
  char path[40] = "/proc/";
  strcat(path, pid);
  strcat(path, "/status");
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fail("cannot read ", path, ": ", describe(errno), NULL);
  }
  static char status[64 * 1024];
  size_t len = 0;
  for (;;) {
    ssize_t n = read(fd, status + len, sizeof status - 1 - len);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      fail("cannot read ", path, ": ", describe(errno), NULL);
    }
    if (n == 0 || (len += (size_t)n) == sizeof status - 1) {
      break;
    }
  }
  close(fd);
  status[len] = '\0';
  const char *key = "\nSigCgt:"; /* never the first line: "Name:" is */
  const char *at = strstr(status, key);
  if (at == NULL) {
    fail("no SigCgt line in ", path, NULL, NULL, NULL);
  }
  const char *p = at + strlen(key);
  while (*p == ' ' || *p == '\t') {
    p++;
  }
  size_t digits = strspn(p, "0123456789abcdefABCDEF");
  if (digits == 0 || digits > 32 || (p[digits] != '\n' && p[digits] != '\0')) {
    fail("unreadable SigCgt line in ", path, NULL, NULL, NULL);
  }
  line_start(&scratch, "sigcgt ");
  put_escaped(&scratch, (const unsigned char *)p, digits);
  emit(&scratch);
  flush_out();
  return 0;
}

int main(int argc, char *argv[]) {
  /* A closed stdout must be an EPIPE from write(2), not a silent death by SIGPIPE. */
  signal(SIGPIPE, SIG_IGN);
  if (argc == 3 && strcmp(argv[1], "watch") == 0) {
    return watch(argv[2]);
  }
  if (argc == 3 && strcmp(argv[1], "sigcgt") == 0) {
    return sigcgt(argv[2]);
  }
  const char usage[] = "usage: minify-sensor watch PID | minify-sensor sigcgt PID\n";
  ssize_t ignored = write(STDERR_FILENO, usage, sizeof usage - 1);
  (void)ignored;
  return 2;
}
