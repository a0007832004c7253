/**
 * PROCMAP_QUERY and PAGEMAP_SCAN of the emulated process (MAP-42, MAP-40), read off the emulated
 * page tables and VMAs like ./observe.ts. The modelled host: a mapping's VMA never merges with a
 * neighbour; a page table covers a page of a mapping when some page of the same 512-page block of
 * the mapping has a PTE (as if every mapping started on a 2 MiB boundary and empty tables were
 * freed); no CONFIG_MEM_SOFT_DIRTY. Both structures are modelled as the byte layout the kernel
 * reads: fields past `size` read as zero, fields past it are not copied back.
 */
import { PAGE_IS, PM_SCAN_FLAG, UFFD_FEATURE, UFFD_MODE, err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { firstDenied, pageProt } from '../prot.js';
import type { Mapping } from '../state.js';
import { fileName, vmaOf } from './observe.js';

const PAGE = 4096n;

/** The low `size - at` bytes of a field at `at` (all of it when size covers it, none below). */
const cut = (size: bigint, at: number, len: number, v: bigint): bigint =>
  size >= BigInt(at + len) ? v : size <= BigInt(at) ? 0n : v & ((1n << (8n * (size - BigInt(at)))) - 1n);

/** Some address of a buffer, whose low bytes the emulator takes as non-zero (its buffers are not 256-aligned). */
const ADDR = 0x7f0000001010n;

export const procmapQuery = (k: Kernel, op: OpOf<'procmapQuery'>): Outcome => {
  const m = k.liveMap(op.map);
  if (m === undefined) return err('EFAULT');
  if (op.size > 4096n) return err('E2BIG');
  if (op.size < 24n) return err('EINVAL');
  if (op.size > 104n && op.tail) return err('E2BIG');
  if ((op.queryFlags & ~0x3fn) !== 0n) return err('EINVAL');
  const nameSize = cut(op.size, 80, 4, BigInt(op.nameSize));
  const nameAddr = cut(op.size, 88, 8, op.nameSize !== 0 ? ADDR : 0n);
  const bidSize = cut(op.size, 84, 4, op.buildId === 'buffer' || op.buildId === 'sizeOnly' ? 20n : 0n);
  const bidAddr = cut(op.size, 96, 8, op.buildId === 'buffer' || op.buildId === 'addrOnly' ? ADDR : 0n);
  // Bug: the build-id pair is not checked (only the name pair is).
  if ((nameSize !== 0n) !== (nameAddr !== 0n)) return err('EINVAL');
  if ((bidSize !== 0n) !== (bidAddr !== 0n) && !(m.inode.kind === 'gmem' && k.bug('procmap-buildid-pair-unchecked'))) return err('EINVAL');
  const want = op.queryFlags;
  const flagsOf = (prot: number): bigint => BigInt(prot & 7) | (m.shared ? 8n : 0n);
  const fitsProt = (prot: number): boolean => (flagsOf(prot) & want & 0xfn) === (want & 0xfn);
  const next = (want & 0x10n) !== 0n;
  const inside = op.offset >= 0n && op.offset < BigInt(m.npages) * PAGE;
  // The emulated address space: nothing above a mapping's gap, the mapping right above a negative
  // offset's gap. A VMA the flags skip passes a COVERING_OR_NEXT lookup on to the next VMA, which a
  // partial mprotect may have left in the same mapping.
  const from = inside ? Number(op.offset >> 12n) : op.offset < 0n && next ? 0 : undefined;
  if (from === undefined) return err('ENOENT');
  const firstFit = firstDenied(m, from, m.npages, (prot) => !fitsProt(prot));
  if (firstFit === undefined || (firstFit !== from && !next)) return err('ENOENT');
  const mp = firstFit;
  const vmFlags = flagsOf(pageProt(m, mp));
  const [lo, hi] = vmaOf(m, mp);
  const name = fileName(k, m.inode.kind);
  if (nameSize !== 0n && (nameSize < 4096n ? nameSize : 4096n) < BigInt(name.length + 1)) return err('ENAMETOOLONG');
  if (op.size < 40n) return ok({ start: null, end: null, flags: null, pageSize: null, offset: null, name: null, buildIdSize: null });
  const offset = BigInt(m.pgoff + lo) * PAGE;
  // The target asks only where the file's page 0 is in the page cache at the VMA's start.
  const page0 = offset === 0n && m.inode.folios.get(0)?.uptodate === true;
  const gmemFlags = m.inode.kind === 'gmem' && k.bug('procmap-gmem-not-shared') ? vmFlags & ~8n : vmFlags;
  const out = (at: number, v: bigint | number): bigint | number | null => (op.size >= BigInt(at + 8) ? v : null);
  return ok({
    start: BigInt(lo) * PAGE, end: BigInt(hi) * PAGE, flags: out(40, gmemFlags), pageSize: out(48, 4096), offset: out(56, offset),
    name: nameSize !== 0n ? name : null,
    buildIdSize: op.size < 88n ? null : bidSize === 0n ? 0 : page0 ? 0 : 'skipped',
  });
};

/** Does a page table cover map page mp? Some page of its 512-page block has a PTE. */
const tabled = (m: Mapping, mp: number): boolean => {
  const base = mp - (mp % 512);
  // Look the block's pages up (at most 512) rather than walk every PTE: a populated mapping has many.
  for (let p = base; p < base + 512 && p < m.npages; p++) if (m.ptes.has(m.pgoff + p) || m.anon.has(m.pgoff + p)) return true;
  return false;
};

const wpAsync = (m: Mapping, mp: number): boolean => {
  const r = m.uffd.get(mp);
  return r !== undefined && (r.mode & UFFD_MODE.WP) !== 0n && (r.ctx.features & UFFD_FEATURE.WP_ASYNC) !== 0n;
};

/**
 * The categories of map page mp: VMA's (WPALLOWED) and PTE's. A PTE or marker carrying the
 * uffd-wp bit is not WRITTEN; an empty PTE with the bit is a uffd-wp marker (SWAPPED).
 */
const category = (k: Kernel, m: Mapping, mp: number): bigint => {
  const vma = wpAsync(m, mp) ? PAGE_IS.WPALLOWED : 0n;
  const fp = m.pgoff + mp;
  const uffdWp = ((m.uffd.get(mp)?.mode ?? 0n) & UFFD_MODE.WP) !== 0n;
  const written = m.wp.has(mp) ? 0n : PAGE_IS.WRITTEN;
  if (m.guard.has(mp)) return vma | PAGE_IS.SWAPPED | written | PAGE_IS.GUARD;
  // A poison marker carries no uffd-wp bit: SWAPPED|WRITTEN.
  if (m.poison.has(mp)) return vma | PAGE_IS.SWAPPED | PAGE_IS.WRITTEN;
  if (m.anon.has(fp)) return vma | PAGE_IS.PRESENT | written;
  // Bug: a mapped gmem page is not reported as FILE (vm_normal_page lost for gmem folios).
  if (m.ptes.has(fp)) return vma | PAGE_IS.PRESENT | written | (m.inode.kind === 'gmem' && k.bug('scan-gmem-not-file') ? 0n : PAGE_IS.FILE);
  if (m.wp.has(mp)) return vma | PAGE_IS.SWAPPED;
  return vma | (uffdWp || tabled(m, mp) ? PAGE_IS.WRITTEN : 0n);
};

/**
 * PM_SCAN_WP_MATCHING on a page of an async-WP VMA (the only kind it reaches): the page's PTE
 * gets the uffd-wp bit, an empty one a marker, a guard marker the bit too (GUARD_REMOVE drops it
 * with the marker). A poison marker is left alone here (its uffd-wp bit is not modelled).
 */
const protect = (k: Kernel, m: Mapping, mp: number): void => {
  if (m.poison.has(mp)) return;
  // Bug: the re-protection of a written gmem page is forgotten (make_uffd_wp_pte skipped).
  if (m.inode.kind === 'gmem' && k.bug('scanwp-gmem-no-reprotect')) return;
  m.wp.set(mp, mp + 1, true);
};

export const pagemapScan = (k: Kernel, op: OpOf<'pagemapScan'>): Outcome => {
  const m = k.liveMap(op.map);
  if (m === undefined) return err('EFAULT');
  if (op.size !== 96n) return err('EINVAL');
  if ((op.flags & ~3n) !== 0n) return err('EINVAL');
  if (((op.categoryInverted | op.categoryMask | op.categoryAnyof | op.returnMask) & ~0x1ffn) !== 0n) return err('EINVAL');
  if ((op.offset & (PAGE - 1n)) !== 0n) return err('EINVAL');
  // The emulated address space tops out at 2^47 with the mapping's base somewhere below 2^46.
  if (op.offset >= 1n << 46n || op.offset <= -(1n << 46n)) return err('EFAULT');
  if (op.vecNull && op.vecLen > 0n) return err('EINVAL');
  if (!op.vecNull && op.vecLen * 24n > 1n << 32n) return err('EFAULT');
  const end = op.offset + ((BigInt(op.pages) * PAGE + BigInt(op.endExtra) + PAGE - 1n) / PAGE) * PAGE;
  const regions: [bigint, bigint, number][] = [];
  const limit = op.maxPages === 0n ? -1n : op.maxPages;
  const room = op.vecNull ? 0n : op.vecLen;
  let pages = 0n;
  for (let at = op.offset; at < end; at += PAGE) {
    if (at < 0n || at >= BigInt(m.npages) * PAGE) continue;
    const mp = Number(at >> 12n);
    const wp = wpAsync(m, mp);
    if (!wp && (op.flags & PM_SCAN_FLAG.CHECK_WPASYNC) !== 0n) return err('EPERM');
    if (!wp && (op.flags & PM_SCAN_FLAG.WP_MATCHING) !== 0n) continue;
    const cat = category(k, m, mp);
    const seenCat = cat ^ op.categoryInverted;
    const matching = wp && (op.flags & PM_SCAN_FLAG.WP_MATCHING) !== 0n;
    // No region buffer and WP_MATCHING: every PTE of a page table is protected whatever it is.
    if (room === 0n && matching && (m.ptes.has(m.pgoff + mp) || m.anon.has(m.pgoff + mp) || tabled(m, mp))) { protect(k, m, mp); continue; }
    if ((seenCat & op.categoryMask) !== op.categoryMask) continue;
    if (op.categoryAnyof !== 0n && (seenCat & op.categoryAnyof) === 0n) continue;
    if (room === 0n) { if (matching) protect(k, m, mp); continue; }
    if (limit >= 0n && pages >= limit) {
      // Bug: the page the max_pages cap stopped at is write-protected too (the output was cut, the protection not).
      if (matching && m.inode.kind === 'gmem' && k.bug('scanwp-gmem-protect-past-cap')) protect(k, m, mp);
      return ok({ regions, walkEnd: at });
    }
    const keep = Number(cat & op.returnMask);
    const prev = regions.at(-1);
    // Bug: adjacent pages of equal categories are never merged into one region.
    if (prev !== undefined && prev[1] === at && prev[2] === keep && !(m.inode.kind === 'gmem' && k.bug('scan-no-merge'))) prev[1] = at + PAGE;
    else if (BigInt(regions.length) < room) regions.push([at, at + PAGE, keep]);
    else return ok({ regions, walkEnd: at });
    pages += 1n;
    if (matching) protect(k, m, mp);
  }
  return ok({ regions, walkEnd: end });
};

/**
 * /proc/self/map_files of the VMA holding the address: the link is the file's name; opening it
 * opens the inode anew, which gmem's refuses (no open method), memfd's allows; O_PATH opens nothing.
 */
export const mapFiles = (k: Kernel, op: OpOf<'mapFiles'>): Outcome => {
  const m = k.liveMap(op.map);
  if (m === undefined) return err('EFAULT');
  if (op.offset < 0n || op.offset >= BigInt(m.npages) * PAGE) return err('ENOENT');
  if (op.how === 'readlink') return ok({ link: fileName(k, m.inode.kind) });
  // Bug: the gmem inode got an open method, so the magic link opens a second file.
  if (m.inode.kind === 'gmem' && op.how !== 'openPath' && !k.bug('map-files-gmem-opens')) return err('ENXIO');
  return ok();
};
