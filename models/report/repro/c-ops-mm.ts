/**
 * C helpers for mappings, host accesses, GUP and NUMA policy. Like the native target, a range
 * that leaves its map's own pages is only issued if nothing else is mapped there (otherwise the
 * answer an isolated address space gives is reported), and dead map handles get the answer an
 * unmapped range gets (adapters/native/_internals/ops-mm.ts, addrspace.ts).
 */
export const C_OPS_MM = `
static uint64_t page_end(const struct map_entry *m) { return m->base + ((m->length + PAGE_ - 1) & ~(PAGE_ - 1)); }
static int within_map(const struct map_entry *m, uint64_t addr, uint64_t len) {
  uint64_t end = page_end(m);
  return addr >= m->base && addr <= end && len <= end - addr;
}
/* Does the part of [lo, hi) outside the map's own pages intersect any VMA of this process? */
static int touches_foreign(const struct map_entry *m, unsigned __int128 lo, unsigned __int128 hi) {
  unsigned __int128 own0 = m->base, own1 = page_end(m), a[2], b[2];
  char line[512];
  int i, hit = 0;
  FILE *f;
  a[0] = lo; b[0] = hi < own0 ? hi : own0;
  a[1] = lo > own1 ? lo : own1; b[1] = hi;
  for (i = 0; i < 2; i++) if (b[i] > USER_TOP_) b[i] = USER_TOP_;
  if (!(a[0] < b[0]) && !(a[1] < b[1])) return 0;
  f = fopen("/proc/self/maps", "r");
  if (f == NULL) return 1;
  while (!hit && fgets(line, sizeof line, f) != NULL) {
    unsigned long s, e;
    if (sscanf(line, "%lx-%lx", &s, &e) != 2) continue;
    for (i = 0; i < 2; i++) if (a[i] < b[i] && s < b[i] && a[i] < e) hit = 1;
  }
  fclose(f);
  return hit;
}
/* The absolute range, or 0 when it would touch memory this program does not own. */
static int in_range(const struct map_entry *m, uint64_t off, uint64_t len, uint64_t *addr) {
  *addr = m->base + off;
  return within_map(m, *addr, len) || !touches_foreign(m, *addr, (unsigned __int128)*addr + len);
}
static int page_mapped(uint64_t addr) {
  unsigned char v = 0;
  return !(mincore((void *)(uintptr_t)(addr & ~(PAGE_ - 1)), PAGE_, &v) < 0 && errno == ENOMEM);
}

HELPER void op_mmap(int fd, int id, int64_t off, uint64_t length, int prot, int shared) {
  void *p = mmap(NULL, length, prot, shared ? MAP_SHARED : MAP_PRIVATE, hget(fd_tab, fd), off);
  int e = errno;
  if (id < 0 || id >= MAX_H) { obs_set("infrastructure: map handle %d out of range", id); return; }
  map_tab[id].used = 1;
  map_tab[id].live = p != MAP_FAILED;
  map_tab[id].base = p == MAP_FAILED ? 0 : (uint64_t)(uintptr_t)p;
  map_tab[id].length = length;
  if (p == MAP_FAILED) obs_rc(-e); else obs_set("ok");
}
HELPER void op_munmap(int map) {
  struct map_entry *m = live_map(map);
  long rc;
  int i;
  if (m == NULL) { obs_set("ok"); return; }
  rc = neg(munmap((void *)(uintptr_t)m->base, m->length));
  if (rc == 0) {
    m->live = 0;
    for (i = 0; i < MAX_H; i++) if (regs[i].used && regs[i].map == map) regs[i].used = 0;
  }
  obs_rc(rc);
}
HELPER void op_mprotect(int map, int prot) {
  struct map_entry *m = live_map(map);
  if (m == NULL) { obs_rc(-ENOMEM); return; }
  obs_rc(neg(mprotect((void *)(uintptr_t)m->base, m->length, prot)));
}
/* advice numbers: include/uapi/asm-generic/mman-common.h */
HELPER void op_madvise(int map, uint64_t off, uint64_t len, int advice) {
  struct map_entry *m = live_map(map);
  uint64_t addr;
  if (m == NULL || !in_range(m, off, len, &addr)) { obs_rc(-ENOMEM); return; }
  obs_rc(neg(madvise((void *)(uintptr_t)addr, len, advice)));
}
HELPER void op_mincore(int map, uint64_t off, unsigned pages) {
  struct map_entry *m = live_map(map);
  unsigned char *vec;
  uint64_t addr;
  size_t at;
  unsigned i;
  if (m == NULL || !in_range(m, off, (uint64_t)pages * PAGE_, &addr)) { obs_rc(-ENOMEM); return; }
  vec = calloc(pages + 1u, 1);
  if (vec == NULL) { obs_set("infrastructure: calloc"); return; }
  if (mincore((void *)(uintptr_t)addr, (size_t)pages * PAGE_, vec) < 0) { obs_rc(-errno); free(vec); return; }
  at = (size_t)snprintf(obs, sizeof obs, "ok [");
  for (i = 0; i < pages && at + 8 < sizeof obs; i++) at += (size_t)snprintf(obs + at, sizeof obs - at, "%s%s", i ? "," : "", (vec[i] & 1) ? "true" : "false");
  snprintf(obs + at, sizeof obs - at, "]");
  free(vec);
}
/* process_vm_readv/writev on our own pid: the kernel walks our page tables with GUP. */
HELPER void op_kernel_access(int map, uint64_t off, size_t len, int write, int value) {
  struct map_entry *m = live_map(map);
  uint64_t addr;
  uint8_t *buf;
  struct iovec local, remote;
  long rc;
  if (m == NULL) { obs_rc(-EFAULT); return; }
  if (!in_range(m, off, len, &addr)) {
    /* GUP stops at the hole an isolated address space would have: a short count, or EFAULT. */
    if (!within_map(m, addr, 0)) { obs_rc(-EFAULT); return; }
    len = (size_t)(page_end(m) - addr);
  }
  buf = malloc(len ? len : 1);
  if (buf == NULL) { obs_set("infrastructure: cannot allocate %zu bytes", len); return; }
  memset(buf, value, len ? len : 1);
  local.iov_base = buf; local.iov_len = len;
  remote.iov_base = (void *)(uintptr_t)addr; remote.iov_len = len;
  rc = neg(write ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0) : process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
  if (rc < 0) obs_rc(rc);
  else if (rc > 0) obs_set("ok {count:%ld,first:%d}", rc, buf[0]);
  else obs_set("ok {count:0,first:null}");
  free(buf);
}
/* Node sets are one unsigned long; maxnode 64. */
HELPER void op_mbind(int map, uint64_t off, uint64_t len, int mode, unsigned long nodes, unsigned flags) {
  struct map_entry *m = live_map(map);
  uint64_t addr;
  if (m == NULL || !in_range(m, off, len, &addr)) { obs_rc(-EFAULT); return; }
  obs_rc(neg(syscall(SYS_mbind_, addr, len, mode, &nodes, 64UL, flags)));
}
HELPER void op_get_mempolicy(int map, uint64_t off, int node_query) {
  struct map_entry *m = live_map(map);
  uint64_t addr;
  int mode = -1;
  unsigned long nodes = 0;
  long rc;
  if (m == NULL || !in_range(m, off, 1, &addr)) { obs_rc(-EFAULT); return; }
  rc = neg(syscall(SYS_get_mempolicy_, &mode, &nodes, 64UL, addr, MPOL_F_ADDR_ | (node_query ? MPOL_F_NODE_ : 0)));
  if (rc < 0) obs_rc(rc);
  else if (node_query) obs_set("ok {node:%d}", mode);
  else obs_set("ok {mode:%d,nodes:%lu}", mode, nodes);
}
HELPER void op_set_mempolicy(int mode, unsigned long nodes) {
  obs_rc(neg(syscall(SYS_set_mempolicy_, mode, &nodes, 64UL)));
}
`;
