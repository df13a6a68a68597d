// paintwait — start a GUI program and time it from exec to its first painted
// window, then measure its memory. Used by bench/startup/run.sh, the same way
// for every app it compares.
//
//   paintwait [-c COLOURS] [-i POLL_MS] [-t TIMEOUT_S] [-s SETTLE_S] [-o SHOT.ppm] [-l LOG] [-q CLOSE_S] [-v] -- CMD ARGS…
//
// It forks, puts the child in its own process group and execs CMD. Every
// POLL_MS (30) it looks for a viewable top-level window whose _NET_WM_PID is
// the child, grabs the window's pixels with XGetImage and counts distinct
// colours. "Painted" is the first grab with at least COLOURS (200) distinct
// colours: a web view that has not painted yet is one flat background colour,
// a page with text, images and coloured elements has hundreds. Then it waits
// SETTLE_S (2) seconds and sums the proportional set size (Pss in
// /proc/PID/smaps_rollup) of the child and all its descendants
// (WebKitWebProcess, WebKitNetworkProcess), then kills the process group.
// Prints one line (map_ms: the window is viewable; first_ms: the first grab
// that is not one flat colour; paint_ms: the first with >= COLOURS colours):
//   map_ms=… first_ms=… paint_ms=… colours=… pss_kb=… procs=name:kb,…
// -l appends the program's stdout and stderr to LOG; -v traces every grab.
// -q CLOSE_S: instead of killing the program, close its window as a user
// does (WM_DELETE_WINDOW, the window's close button) and wait up to CLOSE_S
// seconds for it to exit; prints a second line "close_ms=… status=…" (exit
// 1 when it does not exit in time).
// Exit status 1 when the child exits early or nothing paints before TIMEOUT_S.
// Grabs go through MIT-SHM when the server has it (cheap enough to poll often).
// Build: cc -O2 -o paintwait paintwait.c -lX11 -lXext
#define _GNU_SOURCE
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int ignore_xerror(Display *d, XErrorEvent *e) {
  (void)d;
  (void)e;
  return 0;
}

static long window_pid(Display *dpy, Window w, Atom pid_atom) {
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  long pid = -1;
  if (XGetWindowProperty(dpy, w, pid_atom, 0, 1, False, XA_CARDINAL, &type, &format, &n, &after, &data) == Success &&
      data && n == 1 && format == 32)
    pid = (long)*(unsigned long *)data;
  if (data) XFree(data);
  return pid;
}

// The largest viewable top-level window of pid, or 0.
static Window find_window(Display *dpy, pid_t pid, Atom pid_atom, int *w, int *h) {
  Window root = DefaultRootWindow(dpy), r, p, *kids = NULL, best = 0;
  unsigned int n = 0;
  long best_area = 0;
  if (!XQueryTree(dpy, root, &r, &p, &kids, &n)) return 0;
  for (unsigned int i = 0; i < n; i++) {
    XWindowAttributes a;
    if (!XGetWindowAttributes(dpy, kids[i], &a) || a.map_state != IsViewable || a.width < 50 || a.height < 50) continue;
    if (window_pid(dpy, kids[i], pid_atom) != pid) continue;
    if ((long)a.width * a.height > best_area) {
      best_area = (long)a.width * a.height;
      best = kids[i];
      *w = a.width;
      *h = a.height;
    }
  }
  if (kids) XFree(kids);
  return best;
}

// Distinct colours in img, counting stops at limit.
static int count_colours(XImage *img, int limit) {
  enum { SLOTS = 1 << 16 };
  static uint32_t table[SLOTS];
  static uint8_t used[SLOTS];
  memset(used, 0, sizeof used);
  int count = 0;
  int direct = img->bits_per_pixel == 32 && img->byte_order == LSBFirst;
  for (int y = 0; y < img->height; y++) {
    const uint32_t *row = (const uint32_t *)(img->data + (size_t)y * img->bytes_per_line);
    for (int x = 0; x < img->width; x++) {
      uint32_t c = (direct ? row[x] : (uint32_t)XGetPixel(img, x, y)) & 0xffffff;
      uint32_t hsh = (c * 2654435761u) >> 16;
      while (used[hsh] && table[hsh] != c) hsh = (hsh + 1) & (SLOTS - 1);
      if (!used[hsh]) {
        used[hsh] = 1;
        table[hsh] = c;
        if (++count >= limit) return count;
      }
    }
  }
  return count;
}

// Grabs the window through a shared-memory image, re-created when the size
// changes; falls back to XGetImage without MIT-SHM. The image stays owned here.
static XImage *grab(Display *dpy, Window win, int w, int h, int use_shm) {
  static XImage *shm_img = NULL;
  static XShmSegmentInfo info;
  static XImage *plain = NULL;
  if (!use_shm) {
    if (plain) XDestroyImage(plain);
    plain = XGetImage(dpy, win, 0, 0, (unsigned)w, (unsigned)h, AllPlanes, ZPixmap);
    return plain;
  }
  if (shm_img && (shm_img->width != w || shm_img->height != h)) {
    XShmDetach(dpy, &info);
    XDestroyImage(shm_img);
    shmdt(info.shmaddr);
    shm_img = NULL;
  }
  if (!shm_img) {
    int scr = DefaultScreen(dpy);
    shm_img = XShmCreateImage(dpy, DefaultVisual(dpy, scr), (unsigned)DefaultDepth(dpy, scr), ZPixmap, NULL, &info,
                              (unsigned)w, (unsigned)h);
    if (!shm_img) return NULL;
    info.shmid = shmget(IPC_PRIVATE, (size_t)shm_img->bytes_per_line * h, IPC_CREAT | 0600);
    info.shmaddr = shm_img->data = shmat(info.shmid, NULL, 0);
    info.readOnly = False;
    XShmAttach(dpy, &info);
    XSync(dpy, False);
    shmctl(info.shmid, IPC_RMID, NULL); // freed once both sides detach
  }
  if (!XShmGetImage(dpy, win, shm_img, 0, 0, AllPlanes)) return NULL;
  return shm_img;
}

static void write_ppm(XImage *img, const char *path) {
  FILE *f = fopen(path, "wb");
  if (!f) return;
  fprintf(f, "P6\n%d %d\n255\n", img->width, img->height);
  for (int y = 0; y < img->height; y++)
    for (int x = 0; x < img->width; x++) {
      unsigned long c = XGetPixel(img, x, y);
      unsigned char rgb[3] = {(c >> 16) & 255, (c >> 8) & 255, c & 255};
      fwrite(rgb, 1, 3, f);
    }
  fclose(f);
}

static long ppid_of(pid_t pid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')'); // comm may contain spaces
  long ppid = -1;
  if (p) sscanf(p + 2, "%*c %ld", &ppid);
  return ppid;
}

static long pss_kb(pid_t pid) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pid);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  long kb = 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "Pss: %ld kB", &kb) == 1) break;
  fclose(f);
  return kb;
}

static void comm_of(pid_t pid, char *out, size_t len) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/comm", pid);
  FILE *f = fopen(path, "r");
  out[0] = 0;
  if (!f) return;
  if (fgets(out, (int)len, f)) out[strcspn(out, "\n")] = 0;
  fclose(f);
}

// pid and every descendant of it (from /proc), at most max.
static int tree(pid_t root, pid_t *out, int max) {
  int n = 0;
  out[n++] = root;
  for (int i = 0; i < n && n < max; i++) {
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d)) && n < max) {
      pid_t p = (pid_t)atoi(e->d_name);
      if (p > 0 && ppid_of(p) == out[i]) out[n++] = p;
    }
    if (d) closedir(d);
  }
  return n;
}

static void stop_group(pid_t child) {
  kill(-child, SIGTERM);
  double t = now_ms();
  while (now_ms() - t < 3000) {
    if (waitpid(child, NULL, WNOHANG) == child) break;
    usleep(50000);
  }
  kill(-child, SIGKILL);
  waitpid(child, NULL, WNOHANG);
}

int main(int argc, char **argv) {
  int min_colours = 200, poll_ms = 30, verbose = 0;
  double timeout_s = 30, settle_s = 2;
  const char *shot = NULL, *logpath = NULL;
  double close_s = -1;
  int opt;
  while ((opt = getopt(argc, argv, "+c:i:t:s:o:l:q:v")) != -1) {
    switch (opt) {
      case 'c': min_colours = atoi(optarg); break;
      case 'i': poll_ms = atoi(optarg); break;
      case 't': timeout_s = atof(optarg); break;
      case 's': settle_s = atof(optarg); break;
      case 'o': shot = optarg; break;
      case 'l': logpath = optarg; break;
      case 'q': close_s = atof(optarg); break;
      case 'v': verbose = 1; break;
      default:
        fprintf(stderr, "usage: paintwait [-c COLOURS] [-i POLL_MS] [-t TIMEOUT_S] [-s SETTLE_S] [-o SHOT.ppm] [-l LOG] [-q CLOSE_S] [-v] -- CMD ARGS...\n");
        return 2;
    }
  }
  if (optind >= argc) {
    fprintf(stderr, "paintwait: no command\n");
    return 2;
  }
  Display *dpy = XOpenDisplay(NULL);
  if (!dpy) {
    fprintf(stderr, "paintwait: cannot open display\n");
    return 2;
  }
  XSetErrorHandler(ignore_xerror);
  Atom pid_atom = XInternAtom(dpy, "_NET_WM_PID", False);
  int use_shm = XShmQueryExtension(dpy);

  double t0 = now_ms();
  pid_t child = fork();
  if (child < 0) {
    perror("fork");
    return 2;
  }
  if (child == 0) {
    setpgid(0, 0);
    if (logpath) {
      FILE *lf = fopen(logpath, "a");
      if (lf) {
        dup2(fileno(lf), 1);
        dup2(fileno(lf), 2);
      }
    }
    execvp(argv[optind], argv + optind);
    perror("exec");
    _exit(127);
  }
  setpgid(child, child);

  double map_ms = -1, first_ms = -1, paint_ms = -1;
  int colours = 0, status;
  XImage *last = NULL;
  Window painted = 0;
  while (now_ms() - t0 < timeout_s * 1000) {
    if (waitpid(child, &status, WNOHANG) == child) {
      fprintf(stderr, "paintwait: %s exited (status %d) before painting\n", argv[optind], status);
      return 1;
    }
    int w = 0, h = 0;
    Window win = find_window(dpy, child, pid_atom, &w, &h);
    if (win) {
      if (map_ms < 0) map_ms = now_ms() - t0;
      XImage *img = grab(dpy, win, w, h, use_shm);
      if (img) {
        last = img;
        colours = count_colours(img, min_colours);
        double t = now_ms() - t0;
        if (first_ms < 0 && colours > 1) first_ms = t;
        if (verbose) fprintf(stderr, "%8.1f ms  %4d colours\n", t, colours);
        if (colours >= min_colours) {
          paint_ms = t;
          painted = win;
          if (shot) write_ppm(img, shot);
          break;
        }
      }
    }
    usleep((useconds_t)poll_ms * 1000);
  }
  if (paint_ms < 0) {
    fprintf(stderr, "paintwait: no painted window after %.0f s (last: %d colours)\n", timeout_s, colours);
    if (shot && last) write_ppm(last, shot);
    stop_group(child);
    return 1;
  }

  usleep((useconds_t)(settle_s * 1e6));
  pid_t pids[256];
  int n = tree(child, pids, 256);
  long total = 0;
  char procs[4096] = "";
  for (int i = 0; i < n; i++) {
    char name[64];
    long kb = pss_kb(pids[i]);
    comm_of(pids[i], name, sizeof name);
    total += kb;
    size_t len = strlen(procs);
    snprintf(procs + len, sizeof procs - len, "%s%s:%ld", i ? "," : "", name, kb);
  }
  printf("map_ms=%.0f first_ms=%.0f paint_ms=%.0f colours=%d pss_kb=%ld procs=%s\n", map_ms, first_ms, paint_ms, colours, total,
         procs);
  fflush(stdout);
  if (close_s < 0) {
    stop_group(child);
    XCloseDisplay(dpy);
    return 0;
  }
  // Close the window as its close button does: a WM_DELETE_WINDOW message.
  XEvent ev;
  memset(&ev, 0, sizeof ev);
  ev.xclient.type = ClientMessage;
  ev.xclient.window = painted;
  ev.xclient.message_type = XInternAtom(dpy, "WM_PROTOCOLS", False);
  ev.xclient.format = 32;
  ev.xclient.data.l[0] = (long)XInternAtom(dpy, "WM_DELETE_WINDOW", False);
  ev.xclient.data.l[1] = CurrentTime;
  double tc = now_ms();
  XSendEvent(dpy, painted, False, NoEventMask, &ev);
  XFlush(dpy);
  while (now_ms() - tc < close_s * 1000) {
    if (waitpid(child, &status, WNOHANG) == child) {
      printf("close_ms=%.0f status=%d\n", now_ms() - tc, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
      kill(-child, SIGKILL);  // what it left behind (WebKit processes), if anything
      XCloseDisplay(dpy);
      return 0;
    }
    usleep(20000);
  }
  fprintf(stderr, "paintwait: %s still running %.0f s after its window was closed\n", argv[optind], close_s);
  stop_group(child);
  XCloseDisplay(dpy);
  return 1;
}
