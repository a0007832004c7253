/**
 * C helpers for userfaultfd and for one-byte host loads/stores. An access on a registered range
 * runs on a helper thread while the main thread reads the userfault and answers it with the op's
 * onUserfault ioctl, as adapters/native/src/uffd.cc does; a failed answer unregisters the range
 * (which wakes the access, so it finishes as it would without uffd).
 */
export const C_OPS_UFFD = `
HELPER void op_uffd_create(int id, uint64_t features) {
  struct uffdio_api_ api = { UFFD_API_, features, 0 };
  long rc = neg(syscall(SYS_userfaultfd_, UFFD_USER_MODE_ONLY_ | O_CLOEXEC | O_NONBLOCK));
  if (rc >= 0 && ioctl((int)rc, UFFDIO_API_, &api) < 0) {
    int e = errno;
    close((int)rc);
    rc = -e;
  }
  hset(uffd_tab, id, (int)rc);
  obs_rc(rc);
}
/* UFFDIO_REGISTER registers every VMA the range meets and skips holes. A range that starts in the
 * mapping and runs into another VMA is registered on the mapping's own pages only (what an
 * isolated address space answers) if the whole range passes the argument checks (page-aligned
 * non-zero length, end in user space); otherwise it is issued whole in the dead zone. */
HELPER void op_uffd_register(int uffd, int map, i128 off, i128 len, uint64_t mode) {
  struct map_entry *m = live_map(map);
  struct place p;
  struct uffdio_register_ r;
  int args_ok;
  uint64_t at_addr, at_len = (uint64_t)len;
  long rc;
  if (m == NULL) { obs_rc(-EFAULT); return; } /* a dead map: not issued (spec/vocab/CONVENTIONS.md) */
  p = place_range(m, off, len, 1);
  args_ok = len > 0 && len % 4096 == 0 && (p.kind != P_SPLIT || (i128)p.addr + len <= (i128)USER_TOP_);
  at_addr = p.addr;
  if (p.kind == P_SPLIT) {
    if (args_ok) at_len = p.own_len;
    else {
      struct place w = place_range(m, off, len, 0);
      if (w.kind != P_RELOCATED && w.kind != P_DIRECT) { obs_rc(-EINVAL); return; }
      at_addr = w.addr;
    }
  } else if (p.kind == P_NONE) { obs_rc(-EINVAL); return; }
  memset(&r, 0, sizeof r);
  r.range.start = at_addr;
  r.range.len = at_len;
  r.mode = mode;
  rc = neg(ioctl(hget(uffd_tab, uffd), UFFDIO_REGISTER_, &r));
  if (rc == 0 && m != NULL && p.kind != P_RELOCATED) {
    /* Record only the mapping's own pages: the kernel skipped any hole, which a later mmap may fill. */
    uint64_t own = page_end(m) - at_addr;
    regs_push(uffd, map, at_addr, at_len < own ? at_len : own);
  }
  obs_rc(rc);
}
/* Unregister, then wake whoever waits in the range: unregister alone does not wake a blocked
 * MINOR fault (adapters/native/src/uffd.cc, found by its soak test). */
static long uffd_unregister(int uffd, uint64_t start, uint64_t len) {
  struct uffdio_range_ r = { start, len };
  long rc = ioctl(uffd, UFFDIO_UNREGISTER_, &r);
  ioctl(uffd, UFFDIO_WAKE_, &r);
  return rc;
}
/* how: 0 COPY (from a buffer of fill bytes, filling capped at 64 MiB), 1 CONTINUE, 2 ZEROPAGE. */
static long uffd_resolve(int uffd, int how, uint64_t dst, uint64_t len, int fill) {
  if (how == 0) {
    size_t n = 0;
    uint8_t *src = buf_new(len, fill, &n); /* the COPY source: len bytes of fill */
    struct uffdio_copy_ c;
    long rc;
    if (src == NULL) return -ENOMEM;
    memset(&c, 0, sizeof c);
    c.dst = dst; c.src = (uint64_t)(uintptr_t)src; c.len = len;
    rc = ioctl(uffd, UFFDIO_COPY_, &c) < 0 ? -errno : c.copy;
    munmap(src, n);
    return rc;
  }
  if (how == 1) {
    struct uffdio_continue_ c;
    memset(&c, 0, sizeof c);
    c.range.start = dst; c.range.len = len;
    return ioctl(uffd, UFFDIO_CONTINUE_, &c) < 0 ? -errno : c.mapped;
  } else {
    struct uffdio_zeropage_ z;
    memset(&z, 0, sizeof z);
    z.range.start = dst; z.range.len = len;
    return ioctl(uffd, UFFDIO_ZEROPAGE_, &z) < 0 ? -errno : z.zeropage;
  }
}
/* Resolve ioctls only write into VMAs registered on that uffd, so a live map's range is issued as
 * is; a dead map's is not issued (EFAULT, spec/vocab/CONVENTIONS.md). */
HELPER void op_uffd_resolve(int uffd, int how, int map, i128 off, i128 len, int fill) {
  struct map_entry *m = live_map(map);
  long rc;
  if (m == NULL) { obs_rc(-EFAULT); return; }
  rc = uffd_resolve(hget(uffd_tab, uffd), how, (uint64_t)((i128)m->base + off), (uint64_t)len, fill);
  if (rc < 0) obs_rc(rc); else obs_set("ok {count:%ld}", rc);
}

/* Shared with the helper thread; heap-owned so a thread we must abandon never dangles. */
struct worker { volatile uint8_t *p; int store; uint8_t value; struct access_result r; int done_fd; };
static void *worker_main(void *arg) {
  struct worker *w = arg;
  uint64_t one = 1;
  w->r = guarded_access(w->p, w->store, w->value);
  if (write(w->done_fd, &one, sizeof one) < 0) { /* the poll below times out instead */ }
  return NULL;
}
static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}
static void access_uffd(struct map_entry *m, struct reg_entry *reg, uint64_t addr, int store, int value, int how, int fill) {
  struct worker *w = calloc(1, sizeof *w);
  int uffd = hget(uffd_tab, reg->uffd), done = 0, unregistered = 0, have_event = 0, events = 0, grace = 0;
  long deadline = now_ms() + UFFD_TIMEOUT_MS_, resolve_rc = 0;
  uint64_t ev_flags = 0, ev_page = 0, unreg_start = 0, unreg_len = 0, reg_start = reg->start, reg_len = reg->len;
  char acc[256], res[128];
  pthread_t t;
  if (w == NULL) { obs_set("infrastructure: calloc"); return; }
  w->p = (volatile uint8_t *)(uintptr_t)addr; w->store = store; w->value = (uint8_t)value;
  w->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (w->done_fd < 0 || pthread_create(&t, NULL, worker_main, w) != 0) { obs_set("infrastructure: helper thread"); return; }
  while (!done) {
    long left = deadline - now_ms();
    struct pollfd fds[2] = { { w->done_fd, POLLIN, 0 }, { uffd, POLLIN, 0 } };
    int n = poll(fds, unregistered ? 1 : 2, left > 0 ? (int)left : 0);
    if (n < 0 && errno == EINTR) continue;
    if (fds[0].revents & POLLIN) { done = 1; break; }
    if (n > 0 && !unregistered && (fds[1].revents & POLLIN)) {
      struct uffd_msg_ msg;
      uint64_t page;
      long rc;
      if (read(uffd, &msg, sizeof msg) != (ssize_t)sizeof msg || msg.event != UFFD_EVENT_PAGEFAULT_) continue;
      page = msg.address & ~(PAGE_ - 1);
      rc = uffd_resolve(uffd, how, page, PAGE_, fill);
      if (!have_event) { have_event = 1; ev_flags = msg.flags; ev_page = page; resolve_rc = rc; }
      /* A failed resolve leaves the access blocked: unregister (and wake) the faulting page only. */
      if (rc < 0 || ++events > 8) { uffd_unregister(uffd, page, PAGE_); unreg_start = page; unreg_len = PAGE_; }
      continue;
    }
    if (n == 0 && now_ms() >= deadline) {
      if (grace) break;
      uffd_unregister(uffd, reg_start, reg_len);
      unreg_start = reg_start; unreg_len = reg_len;
      unregistered = grace = 1;
      deadline = now_ms() + (UFFD_TIMEOUT_MS_ < 1000 ? UFFD_TIMEOUT_MS_ : 1000);
    }
  }
  if (unreg_len != 0) regs_unregister(unreg_start, unreg_len);
  if (!done || grace) {
    if (done) pthread_join(t, NULL); else pthread_detach(t);
    obs_set("infrastructure: userfault not answered within %d ms", UFFD_TIMEOUT_MS_);
    return;
  }
  pthread_join(t, NULL);
  fmt_access(acc, sizeof acc, w->r, m->base, store);
  close(w->done_fd);
  free(w);
  if (!have_event) { obs_set("%s", acc); return; }
  if (resolve_rc < 0) snprintf(res, sizeof res, "errno %s", errno_name((int)-resolve_rc));
  else snprintf(res, sizeof res, "ok {count:%ld}", resolve_rc);
  obs_set("uffd w%dm%dp%d %lld (%s) (%s)", (ev_flags & 1) ? 1 : 0, (ev_flags & 4) ? 1 : 0, (ev_flags & 2) ? 1 : 0,
          (long long)(ev_page - m->base), res, acc);
}
/* A one-byte load or store at a map-relative offset (adapters/native/_internals/ops-access.ts).
 * off_text is the op's offset as written, for the outcomes reported without an access. */
HELPER void op_access(int map, uint64_t off, const char *off_text, int store, int value, int how, int fill) {
  struct map_entry *m = live_map(map);
  struct reg_entry *reg;
  uint64_t addr;
  if (m == NULL) { obs_set("signal SIGSEGV SEGV_MAPERR %s", off_text); return; }
  addr = m->base + off;
  if (!within_map(m, addr, 1)) {
    /* Past the mapping: only a load, and only where nothing is mapped (it must fault SEGV_MAPERR). */
    struct access_result r;
    if (addr >= USER_TOP_ || page_mapped(addr)) { obs_set("signal SIGSEGV SEGV_MAPERR %s", off_text); return; }
    r = guarded_access((volatile uint8_t *)(uintptr_t)addr, 0, 0);
    if (r.sig == 0) obs_set("signal SIGSEGV SEGV_MAPERR %s", off_text);
    else fmt_access(obs, sizeof obs, r, m->base, 0);
    return;
  }
  reg = reg_at(addr);
  if (reg != NULL) { access_uffd(m, reg, addr, store, value, how, fill); return; }
  fmt_access(obs, sizeof obs, guarded_access((volatile uint8_t *)(uintptr_t)addr, store, (uint8_t)value), m->base, store);
}
`;
