/**
 * What /proc/self/pagemap and /proc/self/smaps show of a mapping (MAP-38, MAP-39), read off the
 * emulated page tables: a PTE maps a page-cache folio (`ptes`) or a private copy (`anon`); the
 * VMA is the run of pages whose VMA-level attributes (THP advice, mlock, VMA policy, uffd
 * registration, madvise flags) agree. The emulator does no fault-around, so what it maps is exactly
 * what was faulted; it models a host whose shmem THP knob is "never" (THPeligible 0).
 */
import { UFFD_MODE, VM_FLAG_LETTERS, err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { pageProt } from '../prot.js';
import type { Mapping } from '../state.js';
import { ADVISED } from './madvise.js';

/** The top of the x86-64 user address space (4-level paging): pagemap has no entries from there. */
const TOP = (1n << 47n) - 4096n;

/** How many live PTEs map file page `page` of the mapping's file (its own included). */
const mapcount = (m: Mapping, page: number): number => {
  let n = 0;
  for (const o of m.inode.maps) if (o.alive && !o.anon.has(page) && o.ptes.has(page)) n += 1;
  return n;
};

export const pagemap = (k: Kernel, op: OpOf<'pagemap'>): Outcome => {
  const m = k.liveMap(op.map);
  if (m === undefined) return err('EFAULT');
  if (op.offset < 0n || op.offset >= BigInt(m.npages) * 4096n) {
    // Past the top of the address space the read returns nothing; below it the gap after the mapping reads as 0.
    return op.offset >= TOP || op.offset <= -TOP ? ok(null) : ok(entry(false, false, false));
  }
  const page = m.pgoff + Number(op.offset >> 12n);
  // A guard marker: a swap-type entry with no page behind it (PM_SWAP|PM_GUARD_REGION).
  if (m.guard.has(Number(op.offset >> 12n))) return ok({ ...entry(false, false, false), swap: true, guard: true });
  // A poison marker (UFFDIO_POISON): a swap-type entry, nothing else.
  if (m.poison.has(Number(op.offset >> 12n))) return ok({ ...entry(false, false, false), swap: true });
  // uffd-wp: the bit of a present PTE (PM_UFFD_WP), or a marker where no page is mapped (PM_SWAP|PM_UFFD_WP).
  const wp = m.wp.has(Number(op.offset >> 12n));
  if (m.anon.has(page)) return ok({ ...entry(true, false, true), uffdWp: wp });
  if (!m.ptes.has(page)) return ok(wp ? { ...entry(false, false, false), swap: true, uffdWp: true } : entry(false, false, false));
  const gmem = m.inode.kind === 'gmem';
  // Bugs: a gmem page reported anonymous (no PM_FILE); the exclusivity test ignoring other mappings.
  return ok({ ...entry(true, !(gmem && k.bug('pagemap-gmem-anon')), mapcount(m, page) === 1 || (gmem && k.bug('pagemap-always-exclusive'))), uffdWp: wp });
};

const entry = (present: boolean, file: boolean, exclusive: boolean) => ({ present, swap: false, file, exclusive, uffdWp: false, guard: false });

/** The VMA-level attributes of map page p, as one comparable key. */
const vmaKey = (m: Mapping, p: number): string => {
  const u = m.uffd.get(p);
  const pol = m.vmaPolicy.get(p);
  return [
    pageProt(m, p), m.hugepage.has(p) ? 1 : 0, m.locked.get(p) === 'onfault' ? 2 : m.locked.has(p) ? 1 : 0, m.advised.get(p) ?? 0,
    u === undefined ? '-' : `${u.ctx.id}:${u.mode}`,
    pol === undefined ? '-' : `${pol.mode}:${pol.flags}:${pol.nodes}:${pol.userNodes}:${pol.home ?? -1}`,
  ].join('/');
};

/** [lo, hi) map pages of the VMA holding map page mp: it ends only where some attribute's range ends. */
export const vmaOf = (m: Mapping, mp: number): [number, number] => {
  const cuts = new Set<number>();
  for (const rm of [m.hugepage, m.locked, m.advised, m.uffd, m.vmaPolicy, m.protAt] as const) {
    for (const [a, b] of (rm as { overlaps(s: number, e: number): Array<readonly [number, number, unknown]> }).overlaps(0, m.npages)) { cuts.add(a); cuts.add(b); }
  }
  const key = vmaKey(m, mp);
  let lo = 0;
  let hi = m.npages;
  for (const c of [...cuts].sort((x, y) => x - y)) {
    if (c <= 0 || c >= m.npages) continue;
    if (c <= mp && vmaKey(m, c - 1) !== key) lo = c;
    if (c > mp && vmaKey(m, c) !== key) { hi = c; break; }
  }
  return [lo, hi];
};

const BIT = { rd: 1, wr: 2, ex: 4 } as const;

export const smaps = (k: Kernel, op: OpOf<'smaps'>): Outcome => {
  const m = k.liveMap(op.map);
  if (m === undefined) return err('EFAULT');
  if (op.offset < 0n || op.offset >= BigInt(m.npages) * 4096n) return ok(null);
  const mp = Number(op.offset >> 12n);
  const [lo, hi] = vmaOf(m, mp);
  let rss = 0;
  let anon = 0;
  let shared = 0;
  let priv = 0;
  let pss = 0;
  const seen = new Set<number>();
  for (const page of [...m.ptes.keys(), ...m.anon.keys()]) {
    const p = page - m.pgoff;
    if (p < lo || p >= hi || seen.has(page)) continue;
    seen.add(page);
    rss += 1;
    if (m.anon.has(page)) { anon += 1; priv += 1; pss += 4096 * 4096; continue; }
    const n = mapcount(m, page);
    // Bug: a gmem page mapped twice still counted as Private (the mapcount test of smaps_account lost).
    if (n > 1 && !(m.inode.kind === 'gmem' && k.bug('smaps-shared-as-private'))) shared += 1; else priv += 1;
    pss += Math.floor((4096 * 4096) / n);
  }
  const pssKb = Math.floor(Math.floor(pss / 4096) / 1024);
  // Bug: Locked reported 0 for a locked gmem VMA (VM_LOCKED tested on the wrong flags word).
  const locked = m.locked.has(mp) && !(m.inode.kind === 'gmem' && k.bug('smaps-gmem-locked-zero'));
  const prot = pageProt(m, mp);
  const perms = `${prot & 1 ? 'r' : '-'}${prot & 2 ? 'w' : '-'}${prot & 4 ? 'x' : '-'}${m.shared ? 's' : 'p'}`;
  return ok({
    start: BigInt(lo) * 4096n, end: BigInt(hi) * 4096n, perms, offset: BigInt(m.pgoff + lo) * 4096n, name: fileName(k, m.inode.kind), rss: rss * 4, pss: pssKb, shared: shared * 4, private: priv * 4,
    anonymous: anon * 4, filePmdMapped: 0, locked: locked ? pssKb : 0, thpEligible: 0, flags: letters(k, m, mp),
  });
};

const letters = (k: Kernel, m: Mapping, mp: number): string[] => {
  const adv = m.advised.get(mp) ?? 0;
  const mode = m.uffd.get(mp)?.mode ?? 0n;
  const has = (l: (typeof VM_FLAG_LETTERS)[number]): boolean => {
    switch (l) {
      case 'rd': case 'wr': case 'ex': return (pageProt(m, mp) & BIT[l]) !== 0;
      case 'sh': case 'ms': return m.shared;
      case 'mr': case 'mw': return true;
      // The gmem pseudo filesystem is mounted noexec: no VM_MAYEXEC.
      case 'me': return m.inode.kind === 'memfd' || k.bug('smaps-gmem-mayexec');
      case 'lo': return m.locked.has(mp);
      case 'hg': return m.hugepage.has(mp);
      case 'um': return (mode & UFFD_MODE.MISSING) !== 0n;
      case 'uw': return (mode & UFFD_MODE.WP) !== 0n;
      case 'ui': return (mode & UFFD_MODE.MINOR) !== 0n;
      default: return (adv & ADVISED[l]) !== 0;
    }
  };
  return VM_FLAG_LETTERS.filter(has);
};

/** The d_path of a file: memfd_create's name, the anon_inode filesystem's name, or the guest_memfd mount's pseudo dentry. */
export const fileName = (k: Kernel, kind: 'gmem' | 'memfd'): string =>
  kind === 'memfd' ? '/memfd:gmemcheck (deleted)' : k.profile.variants.fsMagic === 'ANON' ? 'anon_inode:[kvm-gmem]' : '/[kvm-gmem] (deleted)';

/**
 * /proc/self/fdinfo/N and the /proc/self/fd/N link (LIFE-18, CRE-17): the position, f_flags
 * (O_RDWR|O_LARGEFILE, the F_SETFL flags kept) with O_CLOEXEC for a close-on-exec fd, and the
 * dentry's name: the anon_inode filesystem's on a kernel whose gmem files live there, else the
 * guest_memfd mount's pseudo dentry; memfd the target's memfd_create name.
 */
export const fdInfo = (k: Kernel, op: OpOf<'fdInfo'>): Outcome => {
  const f = k.fds.get(op.fd);
  if (!f) return err('ENOENT');
  const gmem = f.inode.kind === 'gmem';
  const link = fileName(k, f.inode.kind);
  // Bug: the gmem file's flags word loses O_LARGEFILE (the creation path forgot to set it).
  const base = gmem && k.bug('fdinfo-gmem-no-largefile') ? 0o2 : 0o100002;
  const cloexec = f.cloexec !== (gmem && k.bug('fdinfo-cloexec-inverted'));
  return ok({ pos: f.inode.pos, flags: base | (f.inode.fl ?? 0) | (cloexec ? 0o2000000 : 0), link });
};
