/**
 * PROCMAP_QUERY on /proc/self/maps (MAP-42; docs/kernel-surface.md J08): the kernel reads `size`
 * bytes of struct procmap_query (zero past them), validates the size, the query flags and the two
 * (size, address) buffer pairs, finds the VMA covering the address (or the next one, or the next
 * matching one), and fills in its range, permissions, page size, file offset, name and build id.
 * Only the first min(size, 104) bytes are copied back, so a field the size cuts off is not seen
 * (null in the outcome).
 */
import { err, ok, PROCMAP_QUERY_FLAG, PROCMAP_QUERY_SIZE, type Outcome, type OpOf } from '../vocab/index.js';
import { cases, fact, only, rule, type Decision } from '../rule.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { imGet } from '../state/imap.js';
import { byteOf, UNKNOWN } from '../state/bytes.js';
import type { Inode, SpecState } from '../state/types.js';
import { deadMap } from '../lifetime/handles.js';
import { onMap, type Steps } from '../run.js';
import { vmaBounds } from './vma-flags.js';
import { firstProt, protOf } from '../mmap/prot-at.js';
import { extensions, type Part } from './smaps.js';
import { cre17, linkOf } from './fdinfo.js';

type Q = OpOf<'procmapQuery'>;

export const procmapDead = deadMap<Ctx<'procmapQuery'>>('EFAULT');

const PAGE = 4096n;
const PATH_MAX = 4096;
const VALID = Object.values(PROCMAP_QUERY_FLAG).reduce((a, b) => a | b, 0n);
/** The field offsets of struct procmap_query (include/uapi/linux/fs.h). */
const AT = { vmaStart: 24, vmaEnd: 32, vmaFlags: 40, pageSize: 48, vmaOffset: 56, nameSize: 80, buildIdSize: 84, nameAddr: 88, buildIdAddr: 96 } as const;
const BUILD_ID_SIZE_MAX = 20;

/** How much of a field at [at, at + len) the kernel reads from `size` bytes: all, none or part of it. */
const seen = (size: bigint, at: number, len: number): 'all' | 'none' | 'part' =>
  size >= BigInt(at + len) ? 'all' : size <= BigInt(at) ? 'none' : 'part';
/** The low bytes of v that fall within `size` (the kernel zero-fills the rest: copy_struct_from_user). */
const within = (size: bigint, at: number, len: number, v: number): number =>
  size >= BigInt(at + len) ? v : size <= BigInt(at) ? 0 : v & ((1 << (8 * (Number(size) - at))) - 1);

/**
 * Whether the (size, address) pair of a buffer is consistent as the kernel reads it: the size
 * field's visible value, the address as non-zero when the target passed one and it is read whole.
 * A partly read address keeps only its low bytes, which the spec does not know (the buffer's
 * address): both answers.
 */
const pairOk = (size: bigint, n: number, nAt: number, hasAddr: boolean, aAt: number): boolean[] => {
  const sz = within(size, nAt, 4, n) !== 0;
  const vis = seen(size, aAt, 8);
  const addr = !hasAddr || vis === 'none' ? [false] : vis === 'all' ? [true] : [false, true];
  return [...new Set(addr.map((a) => a === sz))];
};

/**
 * MAP-42, argument checks in do_procmap_query's order: size above PAGE_SIZE → E2BIG; below
 * offsetofend(query_addr) (24) → EINVAL; past 104 bytes with a non-zero byte there → E2BIG
 * (copy_struct_from_user); query flags outside the six known bits (bit 6, 31, 32, 63) → EINVAL; a
 * name or build-id buffer whose size and address are not both zero or both set → EINVAL.
 */
/** The answers the two buffer pairs allow: [true] consistent, [false] EINVAL, both where an address is read in part. */
const pairsCheck = (op: Q): boolean[] => {
  const name = pairOk(op.size, op.nameSize, AT.nameSize, op.nameSize !== 0, AT.nameAddr);
  const bidSize = op.buildId === 'buffer' || op.buildId === 'sizeOnly' ? BUILD_ID_SIZE_MAX : 0;
  const bid = pairOk(op.size, bidSize, AT.buildIdSize, op.buildId === 'buffer' || op.buildId === 'addrOnly', AT.buildIdAddr);
  const okNow = name.includes(true) && bid.includes(true);
  const failNow = name.includes(false) || bid.includes(false);
  return okNow && failNow ? [true, false] : [okNow];
};

export const map42Args = rule<Ctx<'procmapQuery'>>({
  id: 'MAP-42',
  cite: 'MAP-42; fs/proc/task_mmu.c do_procmap_query (usize > PAGE_SIZE: E2BIG, < offsetofend(query_addr): EINVAL, query_flags & ~PROCMAP_QUERY_VALID_FLAGS_MASK, !!vma_name_size != !!vma_name_addr, !!build_id_size != !!build_id_addr: EINVAL); include/linux/uaccess.h copy_struct_from_user (non-zero tail: E2BIG), v7.2',
  decide: ({ s, op }) => {
    if (op.size > PAGE) return only(s, err('E2BIG'));
    if (op.size < 24n) return only(s, err('EINVAL'));
    if (op.size > PROCMAP_QUERY_SIZE && op.tail) return only(s, err('E2BIG'));
    if ((op.queryFlags & ~VALID) !== 0n) return only(s, err('EINVAL'));
    // A partly read buffer address leaves it open: the lookup (map42) adds EINVAL to its answers.
    return pairsCheck(op).includes(true) ? undefined : only(s, err('EINVAL'));
  },
});

/** The record of a VMA as the outcome shows it: each field null where `size` cut it off. */
interface Vma { readonly start: bigint; readonly end: bigint; readonly offset: bigint }
const record = (op: Q, v: Vma, flags: bigint, name: string | null, buildIdSize: number | 'skipped' | null): Outcome => {
  const f = <T>(at: number, x: T): T | null => (seen(op.size, at, 8) === 'all' ? x : null);
  if (seen(op.size, AT.vmaEnd, 8) !== 'all') return ok({ start: null, end: null, flags: null, pageSize: null, offset: null, name: null, buildIdSize: null });
  return ok({
    start: v.start, end: v.end, flags: f(AT.vmaFlags, flags), pageSize: f(AT.pageSize, 4096), offset: f(AT.vmaOffset, v.offset),
    name, buildIdSize: seen(op.size, AT.buildIdSize, 4) === 'all' ? buildIdSize : null,
  });
};

/** The VMAs (map-relative ranges and file offsets) that may hold map page mp: its own run, maybe merged with neighbours (MAP-38). */
const spans = (s: SpecState, id: number, mp: number): Vma[] => {
  const map = s.maps.get(id)!;
  const [lo, hi] = vmaBounds(map, mp);
  const own: Part = { id, map, lo, hi };
  const pages = (ps: readonly Part[]): number => ps.reduce((n, p) => n + p.hi - p.lo, 0);
  const downs = lo === 0 ? extensions(s, map, new Set([id]), true) : [[]];
  const ups = hi === map.pages ? extensions(s, map, new Set([id]), false) : [[]];
  const out = new Map<string, Vma>();
  for (const down of downs) {
    for (const up of ups) {
      if (up.some((u) => down.some((d) => d.id === u.id))) continue;
      const first = down.length > 0 ? down[down.length - 1]! : own;
      const v = { start: BigInt(lo - pages(down)) * PAGE, end: BigInt(hi + pages(up)) * PAGE, offset: BigInt(first.map.pgoff + first.lo) * PAGE };
      out.set(`${v.start}/${v.end}`, v);
    }
  }
  return [...out.values()];
};

/** vma_flags: READABLE/WRITABLE/EXECUTABLE per PROT, SHARED for VM_MAYSHARE (a MAP_SHARED mapping). */
const vmaFlags = (prot: number, shared: boolean): bigint =>
  (prot & 1 ? PROCMAP_QUERY_FLAG.VMA_READABLE : 0n) | (prot & 2 ? PROCMAP_QUERY_FLAG.VMA_WRITABLE : 0n)
  | (prot & 4 ? PROCMAP_QUERY_FLAG.VMA_EXECUTABLE : 0n) | (shared ? PROCMAP_QUERY_FLAG.VMA_SHARED : 0n);

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
/** Could the file's first bytes be an ELF header (each magic byte equal or unknown)? Only then can a build id parse. */
const maybeElf = (ino: Inode): boolean => ELF_MAGIC.every((b, i) => { const v = byteOf(ino.data, 0, i); return v === b || v === UNKNOWN; });

/**
 * The target asks for a build id only where file page 0 is in the page cache and the VMA found
 * maps it at its start (mincore of the VMA's first page tells): 6.18's build-id reader
 * (lib/buildid.c freader_get_folio, may_fault) falls back to read_cache_folio on a page-cache miss,
 * which calls the address space's read_folio — neither shmem nor guest_memfd has one. 7.2 reads
 * through __kernel_read instead (gmem: no read_iter → EINVAL → size 0).
 */
export const buildIdGuard = fact('MAP-42', 'MAP-42; lib/buildid.c freader_fetch (v7.2 __kernel_read; before 7.0 freader_get_folio → read_cache_folio with a NULL filler), mm/filemap.c do_read_cache_folio (filler = a_ops->read_folio), v7.2');

/**
 * MAP-42, the lookup: the VMA covering the address when its permissions include the queried ones
 * (FILE_BACKED_VMA: every gmem/memfd VMA has a file); otherwise, with COVERING_OR_NEXT_VMA, the
 * next matching VMA above (another mapping's — "elsewhere", or ENAMETOOLONG where a name buffer is too short for
 * its name — or none: ENOENT), without it ENOENT.
 * An address below the mapping may find the mapping's first VMA as "next". The name is the
 * file's (CRE-17); a buffer shorter than it plus its NUL → ENAMETOOLONG. The build id: the file
 * is never an ELF image, so the parse fails and build_id_size comes back 0 with the call
 * succeeding (no read at all on gmem in 7.2: no read method).
 */
export const map42 = rule<MapCtx<'procmapQuery'>>({
  id: 'MAP-42',
  cite: 'MAP-42; fs/proc/task_mmu.c do_procmap_query, query_matching_vma (perm flags → VM_READ/WRITE/EXEC/MAYSHARE, COVERING_OR_NEXT_VMA, FILE_BACKED_VMA), get_vma_name + d_path (ENAMETOOLONG), vma_kernel_pagesize; lib/buildid.c build_id_parse_file (not an ELF image: EINVAL → build_id_size 0), v7.2',
  decide: ({ p, s, op, map, ino }): Decision => {
    const pages = BigInt(map.pages) * PAGE;
    const covering = (op.queryFlags & PROCMAP_QUERY_FLAG.COVERING_OR_NEXT_VMA) !== 0n;
    const perm = vmaFlags(Number(op.queryFlags & 7n), (op.queryFlags & PROCMAP_QUERY_FLAG.VMA_SHARED) !== 0n);
    const flagsAt = (q: number): bigint => vmaFlags(protOf(map, q), map.shared);
    const fits = (q: number): boolean => (flagsAt(q) & perm) === perm;
    // The VMA the lookup starts at (the one holding the address, or from below the mapping's first);
    // with COVERING_OR_NEXT a VMA the flags skip passes the lookup on to the next one, which a
    // partial mprotect (MAP-19) may have left in the same mapping.
    const start = op.offset >= 0n && op.offset < pages ? Number(op.offset >> 12n) : op.offset < 0n && covering ? 0 : undefined;
    const found = start === undefined ? undefined : fits(start) ? start : covering ? firstProt(map, start, map.pages, (pr) => (vmaFlags(pr, map.shared) & perm) !== perm) : undefined;
    const flags = flagsAt(found ?? 0);
    // Another VMA's name is not the mapping's: a name buffer may be too short for it.
    const nameAsked = within(op.size, AT.nameSize, 4, op.nameSize) !== 0;
    const away: Outcome[] = [
      seen(op.size, AT.vmaEnd, 8) === 'all' ? ok('elsewhere') : record(op, { start: 0n, end: 0n, offset: 0n }, 0n, null, null),
      err('ENOENT'), ...(nameAsked ? [err('ENAMETOOLONG')] : []),
    ];
    const outs: Outcome[] = pairsCheck(op).includes(false) ? [err('EINVAL')] : [];
    if (found === undefined) {
      if (!covering) outs.push(err('ENOENT'));
      else outs.push(...away);
    }
    // The VMA found is this mapping's: the one holding the address, or (from below, COVERING) its first.
    if (found !== undefined) {
      const mp = found;
      const nameSize = within(op.size, AT.nameSize, 4, op.nameSize);
      const name = linkOf(ino.kind, p.variants.fsMagic);
      if (nameSize !== 0 && Math.min(nameSize, PATH_MAX) < name.length + 1) outs.push(err('ENAMETOOLONG'));
      else {
        const bidAsked = within(op.size, AT.buildIdSize, 4, op.buildId === 'buffer' || op.buildId === 'sizeOnly' ? BUILD_ID_SIZE_MAX : 0) !== 0;
        for (const v of spans(s, op.map, mp)) {
          const page0 = v.offset === 0n && imGet(ino.folios, 0)?.uptodate === true;
          const sizes: (number | 'skipped' | null)[] = !bidAsked ? [0] : !page0 ? ['skipped'] : maybeElf(ino) ? Array.from({ length: BUILD_ID_SIZE_MAX + 1 }, (_, i) => i) : [0];
          for (const b of sizes) outs.push(record(op, v, flags, nameSize !== 0 ? name : null, b));
        }
      }
    }
    const uniq = outs.filter((o, i) => outs.findIndex((x) => JSON.stringify(x, big) === JSON.stringify(o, big)) === i);
    const also = [cre17, buildIdGuard];
    if (uniq.length === 1) return only(s, uniq[0]!, also);
    return cases(uniq.map((o) => [o, () => s] as const), 'MAP-42: the next VMA past an address outside the mapping (or past a VMA the flags skip) is the address space\'s, not the mapping\'s; a neighbour of the same file may share the VMA (MAP-38)', also);
  },
});

const big = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v);

export const procmapPre = [procmapDead, map42Args] as const;
export const procmapChain = [map42] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  procmapQuery: (p, s, o: OpOf<'procmapQuery'>) => onMap({ p, s, op: o }, procmapPre, o.map, procmapChain),
} satisfies Steps;
