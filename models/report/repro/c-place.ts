/**
 * Where a ranged op is issued, exactly as adapters/native/_internals/addrspace.ts decides it: a
 * dead map's range, or a range that leaves its mapping and would touch another VMA, goes to a
 * "dead zone" (the middle of the largest unmapped gap, 2^41 bytes clear on both sides) so the
 * kernel still checks the arguments in its own order and then finds no VMA. Geometry uses
 * signed 128-bit arithmetic, as the native target uses bigints.
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
/* The middle of the largest unmapped gap above 4 GiB, if it leaves 2^41 bytes on each side. */
static uint64_t find_dead_zone(void) {
  char line[512];
  unsigned long s, e;
  uint64_t prev = 1ULL << 32, best_lo = 0, best_hi = 0;
  FILE *f = fopen("/proc/self/maps", "r");
  if (f == NULL) return 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "%lx-%lx", &s, &e) != 2) continue;
    if (s > prev && s - prev > best_hi - best_lo) { best_lo = prev; best_hi = s; }
    if (e > prev) prev = e;
  }
  fclose(f);
  if (USER_TOP_ > prev && USER_TOP_ - prev > best_hi - best_lo) { best_lo = prev; best_hi = USER_TOP_; }
  if ((i128)(best_hi - best_lo) < 4 * SPAN_) return 0;
  return (best_lo + best_hi) / 2 / GIB_ * GIB_;
}
/* Does the part of [lo, hi) outside the map's own pages intersect any VMA of this process? */
static int touches_foreign(const struct map_entry *m, i128 lo, i128 hi) {
  i128 own0 = m->base, own1 = page_end(m), a[2], b[2];
  char line[512];
  unsigned long s, e;
  int i, any = 0, hit = 0;
  FILE *f;
  a[0] = lo; b[0] = hi < own0 ? hi : own0;
  a[1] = lo > own1 ? lo : own1; b[1] = hi;
  for (i = 0; i < 2; i++) {
    if (a[i] < 0) a[i] = 0;
    if (b[i] > (i128)USER_TOP_) b[i] = USER_TOP_;
    if (a[i] < b[i]) any = 1;
  }
  if (!any) return 0;
  f = fopen("/proc/self/maps", "r");
  if (f == NULL) return 1;
  while (!hit && fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "%lx-%lx", &s, &e) != 2) continue;
    for (i = 0; i < 2; i++) if (a[i] < b[i] && (i128)s < b[i] && a[i] < (i128)e) hit = 1;
  }
  fclose(f);
  return hit;
}

enum place_kind { P_DIRECT, P_SPLIT, P_RELOCATED, P_NONE };
struct place { enum place_kind kind; uint64_t addr, own_len, rest, rest_len; };

static struct place relocate(uint64_t in_page, i128 len) {
  struct place p = { P_NONE, 0, 0, 0, 0 };
  if (dead_zone == 0 || len >= SPAN_) return p;
  p.kind = P_RELOCATED;
  p.addr = dead_zone + in_page;
  return p;
}
/* m == NULL: a dead map handle, relocated with its own offset. */
static struct place place_range(const struct map_entry *m, i128 off, i128 len, int can_split) {
  struct place p = { P_NONE, 0, 0, 0, 0 };
  uint64_t addr, end;
  if (m == NULL) return off < -SPAN_ || off >= SPAN_ ? p : relocate((uint64_t)off, len);
  addr = (uint64_t)((i128)m->base + off);
  if (within_map(m, addr, len) || !touches_foreign(m, addr, (i128)addr + len)) { p.kind = P_DIRECT; p.addr = addr; return p; }
  end = page_end(m);
  if (can_split && addr >= m->base && addr < end && dead_zone != 0 && len - (i128)(end - addr) < SPAN_) {
    p.kind = P_SPLIT; p.addr = addr; p.own_len = end - addr; p.rest = dead_zone; p.rest_len = (uint64_t)(len - (i128)(end - addr));
    return p;
  }
  return relocate(addr & (PAGE_ - 1), len);
}
`;
