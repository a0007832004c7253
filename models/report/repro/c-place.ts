/**
 * Where a ranged op is issued, exactly as adapters/native/_internals/addrspace.ts decides it: a
 * dead map's range, or a range that leaves its mapping and would touch another VMA, goes to a
 * "dead zone" (the middle of the largest unmapped gap of user space, 2^41 bytes clear on both
 * sides) so the kernel still checks the arguments in its own order and then finds no VMA.
 * Geometry uses signed 128-bit arithmetic, as the native target uses bigints.
 */
export const C_PLACE = `
#define SPAN_ ((__int128)1 << 41)
#define GIB_ (1ULL << 30)
typedef __int128 i128;
static uint64_t dead_zone; /* 0: none found */

static uint64_t page_end(const struct map_entry *m) { return m->base + ((m->length + PAGE_ - 1) & ~(PAGE_ - 1)); }
/* Is [addr, addr+len) within the map's own pages? */
static int within_map(const struct map_entry *m, uint64_t addr, i128 len) {
  return addr >= m->base && len >= 0 && (i128)addr + len <= (i128)page_end(m);
}
/* The middle of the largest unmapped gap between 4 GiB and the top of user space (the vsyscall
 * page above it does not count), if it leaves 2^41 bytes on each side. */
static uint64_t find_dead_zone(void) {
  char line[512];
  unsigned long s, e;
  i128 prev = (i128)1 << 32, best_lo = 0, best_hi = 0;
  FILE *f = fopen("/proc/self/maps", "r");
  if (f == NULL) return 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "%lx-%lx", &s, &e) != 2 || s >= USER_TOP_) continue;
    if ((i128)s > prev && (i128)s - prev > best_hi - best_lo) { best_lo = prev; best_hi = s; }
    if ((i128)e > prev) prev = e;
  }
  fclose(f);
  if ((i128)(USER_TOP_ - PAGE_) > prev && (i128)(USER_TOP_ - PAGE_) - prev > best_hi - best_lo) { best_lo = prev; best_hi = USER_TOP_ - PAGE_; }
  if (best_hi - best_lo < 4 * SPAN_) return 0;
  return (uint64_t)((best_lo + best_hi) / 2 / (i128)GIB_ * (i128)GIB_);
}
/* Is nothing mapped in [lo, hi) (clipped to user space)? */
static int unmapped(i128 lo, i128 hi) {
  char line[512];
  unsigned long s, e;
  int hit = 0;
  FILE *f;
  if (lo < 0) lo = 0;
  if (hi > (i128)USER_TOP_) hi = USER_TOP_;
  if (lo >= hi) return 1;
  f = fopen("/proc/self/maps", "r");
  if (f == NULL) return 0;
  while (!hit && fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "%lx-%lx", &s, &e) != 2) continue;
    if ((i128)s < hi && lo < (i128)e) hit = 1;
  }
  fclose(f);
  return !hit;
}
/* Does the part of [lo, hi) outside the map's own pages intersect any VMA of this process? */
static int touches_foreign(const struct map_entry *m, i128 lo, i128 hi) {
  i128 base = m->base, end = page_end(m);
  return !unmapped(lo, hi < base ? hi : base) || !unmapped(lo > end ? lo : end, hi);
}

enum place_kind { P_DIRECT, P_SPLIT, P_RELOCATED, P_NONE };
struct place { enum place_kind kind; uint64_t addr, own_len, rest, rest_len; };

static struct place relocate(i128 addr, i128 len) {
  struct place p = { P_NONE, 0, 0, 0, 0 };
  if (dead_zone == 0 || len >= SPAN_ || !unmapped(addr, addr + (len > 0 ? len : 1))) return p;
  p.kind = P_RELOCATED;
  p.addr = (uint64_t)addr;
  return p;
}
/* m == NULL: a dead map handle, relocated with its own offset. split: the op acts on mapped
 * parts before it meets a hole (madvise, mincore), so own pages then the relocated rest. */
static struct place place_range(const struct map_entry *m, i128 off, i128 len, int split) {
  struct place p = { P_NONE, 0, 0, 0, 0 };
  uint64_t addr, end;
  if (m == NULL) return off < -SPAN_ || off >= SPAN_ || dead_zone == 0 ? p : relocate((i128)dead_zone + off, len);
  addr = (uint64_t)((i128)m->base + off);
  if (within_map(m, addr, len) || !touches_foreign(m, addr, (i128)addr + len)) { p.kind = P_DIRECT; p.addr = addr; return p; }
  end = page_end(m);
  if (split && addr >= m->base && addr < end && dead_zone != 0) {
    struct place rest = relocate(dead_zone, len - (i128)(end - addr));
    if (rest.kind == P_NONE) return rest;
    p.kind = P_SPLIT; p.addr = addr; p.own_len = end - addr; p.rest = dead_zone; p.rest_len = (uint64_t)(len - (i128)(end - addr));
    return p;
  }
  return dead_zone == 0 ? p : relocate((i128)dead_zone + (i128)(addr & (PAGE_ - 1)), len);
}
`;
