/**
 * C helpers for mappings, GUP and NUMA policy, issued exactly as adapters/native/_internals/
 * ops-mm.ts does (placement in ./c-place.ts). Offsets and lengths arrive as exact 128-bit values
 * for the geometry; the kernel receives their low 64 bits, as from the addon.
 */
export const C_OPS_MM = `
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
/* A dead map handle is unmapped: munmap of an unmapped range is 0, so the syscall is skipped. */
HELPER void op_munmap(int map) {
  struct map_entry *m = live_map(map);
  long rc;
  if (m == NULL) { obs_set("ok"); return; }
  rc = neg(munmap((void *)(uintptr_t)m->base, m->length));
  if (rc == 0) {
    m->live = 0;
    regs_drop_map(map);
  }
  obs_rc(rc);
}
/* Dead map handles (spec/vocab/CONVENTIONS.md): not issued; mprotect ENOMEM, the ranged ops below EFAULT. */
#define DEAD_MAP_ -EFAULT
HELPER void op_mprotect(int map, int prot) {
  struct map_entry *m = live_map(map);
  if (m == NULL) { obs_rc(-ENOMEM); return; }
  obs_rc(neg(mprotect((void *)(uintptr_t)m->base, m->length, prot)));
}
/* advice numbers: include/uapi/asm-generic/mman-common.h. A split range: own pages first, then the rest. */
HELPER void op_madvise(int map, i128 off, i128 len, int advice) {
  struct map_entry *m = live_map(map);
  struct place p;
  long rc;
  if (m == NULL) { obs_rc(DEAD_MAP_); return; }
  p = place_range(m, off, len, 1);
  switch (p.kind) {
  case P_NONE: obs_rc(-ENOMEM); return;
  case P_SPLIT:
    rc = neg(madvise((void *)(uintptr_t)p.addr, p.own_len, advice));
    if (rc >= 0) rc = neg(madvise((void *)(uintptr_t)p.rest, p.rest_len, advice));
    break;
  default: rc = neg(madvise((void *)(uintptr_t)p.addr, (uint64_t)len, advice)); break;
  }
  obs_rc(rc);
}
static int mincore_into(uint64_t addr, uint64_t len) {
  unsigned pages = (unsigned)((len + 4095) / 4096), i;
  size_t at, n = 0;
  uint8_t *vec = buf_new(pages, 0, &n);
  if (vec == NULL) { obs_set("infrastructure: no memory for the mincore vector"); return -1; }
  if (mincore((void *)(uintptr_t)addr, (size_t)pages * PAGE_, vec) < 0) { obs_rc(-errno); munmap(vec, n); return -1; }
  at = (size_t)snprintf(obs, sizeof obs, "ok [");
  for (i = 0; i < pages && at + 8 < sizeof obs; i++) at += (size_t)snprintf(obs + at, sizeof obs - at, "%s%s", i ? "," : "", (vec[i] & 1) ? "true" : "false");
  snprintf(obs + at, sizeof obs - at, "]");
  munmap(vec, n);
  return 0;
}
HELPER void op_mincore(int map, i128 off, unsigned pages) {
  i128 len = (i128)pages * 4096;
  struct map_entry *m = live_map(map);
  struct place p;
  if (m == NULL) { obs_rc(DEAD_MAP_); return; }
  p = place_range(m, off, len, 1);
  switch (p.kind) {
  case P_NONE: obs_rc(-ENOMEM); return;
  case P_SPLIT: if (mincore_into(p.addr, p.own_len) == 0) mincore_into(p.rest, p.rest_len); return;
  default: mincore_into(p.addr, (uint64_t)len); return;
  }
}
/* process_vm_readv/writev on our own pid: the kernel walks our page tables with GUP. A split
 * range moves only the mapping's own part (a short count, as GUP stops at a hole). */
HELPER void op_kernel_access(int map, i128 off, uint64_t len, int write, int value) {
  struct map_entry *m = live_map(map);
  struct place p;
  struct iovec local, remote;
  uint64_t addr, n;
  size_t mapped = 0;
  uint8_t *buf;
  long rc;
  if (m == NULL) { obs_rc(DEAD_MAP_); return; }
  p = place_range(m, off, (i128)len, 1);
  if (p.kind == P_NONE) { obs_rc(-EFAULT); return; }
  addr = p.addr;
  n = p.kind == P_SPLIT ? p.own_len : len;
  if (p.kind == P_RELOCATED) write = 0; /* nothing can move in the dead zone; a read answers the same */
  buf = buf_new(n, write ? value : 0, &mapped);
  if (buf == NULL) { obs_set("infrastructure: no memory for the local buffer"); return; }
  local.iov_base = buf; local.iov_len = n;
  remote.iov_base = (void *)(uintptr_t)addr; remote.iov_len = n;
  rc = neg(write ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0) : process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
  if (rc < 0) obs_rc(rc);
  else if (rc > 0) obs_set("ok {count:%ld,first:%d}", rc, buf[0]);
  else obs_set("ok {count:0,first:null}");
  munmap(buf, mapped);
}
/* mbind checks the range for holes before it changes anything, except when it may not care
 * (MPOL_DEFAULT allows discontiguous ranges). A range running into another VMA is first issued whole
 * in the dead zone (argument and hole checks, no effect there); only if that is accepted is the
 * mapping's own part issued for real. Node sets are one unsigned long; maxnode 64. */
static long mbind_at(uint64_t addr, uint64_t len, int mode, unsigned long nodes, unsigned flags) {
  return neg(syscall(SYS_mbind_, addr, len, mode, &nodes, 64UL, flags));
}
HELPER void op_mbind(int map, i128 off, i128 len, int mode, unsigned long nodes, unsigned flags) {
  struct map_entry *m = live_map(map);
  struct place p, whole;
  long rc;
  if (m == NULL) { obs_rc(DEAD_MAP_); return; }
  p = place_range(m, off, len, 1);
  if (p.kind == P_NONE) { obs_rc(-EFAULT); return; }
  if (p.kind != P_SPLIT) { obs_rc(mbind_at(p.addr, (uint64_t)len, mode, nodes, flags)); return; }
  /* MPOL_DEFAULT tolerates holes (do_mbind sets MPOL_MF_DISCONTIG_OK): issue the mapping's own part. */
  if ((mode & ~(7 << 13)) == 0) { obs_rc(mbind_at(p.addr, p.own_len, mode, nodes, flags)); return; }
  whole = place_range(m, off, len, 0);
  rc = whole.kind == P_NONE ? -EFAULT : mbind_at(whole.addr, (uint64_t)len, mode, nodes, flags);
  obs_rc(rc < 0 ? rc : mbind_at(p.addr, p.own_len, mode, nodes, flags));
}
HELPER void op_get_mempolicy(int map, i128 off, int node_query) {
  struct map_entry *m = live_map(map);
  struct place p;
  int mode = -1;
  unsigned long nodes = 0;
  long rc;
  if (m == NULL) { obs_rc(DEAD_MAP_); return; }
  p = place_range(m, off, 1, 0);
  if (p.kind == P_NONE || p.kind == P_SPLIT) { obs_rc(-EFAULT); return; }
  rc = neg(syscall(SYS_get_mempolicy_, &mode, &nodes, 64UL, p.addr, MPOL_F_ADDR_ | (node_query ? MPOL_F_NODE_ : 0)));
  if (rc < 0) obs_rc(rc);
  else if (node_query) obs_set("ok {node:%d}", mode);
  else obs_set("ok {mode:%d,nodes:%lu}", mode, nodes);
}
HELPER void op_set_mempolicy(int mode, unsigned long nodes) {
  obs_rc(neg(syscall(SYS_set_mempolicy_, mode, &nodes, 64UL)));
}
`;
