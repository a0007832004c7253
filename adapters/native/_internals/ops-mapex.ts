/**
 * mmapEx: the whole flags word at a placement (spec/vocab/ops-map.ts). The address is never a
 * field: `any` (or a dead map) is an arena hint with the fixed bits cleared, `over` is the live
 * map's base. What keeps the process safe: MAP_FIXED_NOREPLACE and a plain hint never replace
 * anything; a MAP_FIXED over map M is issued only when the part of its range past M's own pages
 * is unmapped (the arena gap after M), or when the kernel refuses it before looking at the
 * address space (a length of 0, one whose page rounding wraps, or an end past TASK_SIZE).
 * Otherwise the op is not run (TargetLimitError): it would unmap memory the suite does not own.
 */
import { MAP_FLAG, ok, sentMapFlags } from '../../../spec/vocab/index.js';
import type { MapHandle, OpOf, Outcome } from '../../../spec/vocab/index.js';
import { BadOpError, TargetLimitError } from '../../../spec/vocab/errors.js';
import { PAGE_SIZE as PAGE } from '../../../spec/vocab/handles.js';
import { USER_TOP, arenaHint, pageEnd, sizeT } from './addrspace.js';
import type { Ctx } from './context.js';
import type { MapEntry } from './tables.js';
import { fromRc } from './outcomes.js';

const TASK_SIZE = USER_TOP - PAGE;

/** The page-rounded length the kernel works with (0n when the rounding wraps). */
const rounded = (len: bigint): bigint => ((sizeT(len) + PAGE - 1n) & ~(PAGE - 1n)) & ((1n << 64n) - 1n);

/**
 * Is [a, b) covered by orphan tails of earlier fixed mappings (memory the suite mapped that no
 * handle reaches)? Another live map does not count: the spec's address space keeps a free gap
 * after every mapping, so covering one would leave the spec (and this table) out of step.
 */
const owned = (c: Ctx, a: bigint, b: bigint): boolean => {
  const parts: [bigint, bigint][] = [...c.t.orphans.map(([s, l]): [bigint, bigint] => [s, s + l])];
  parts.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  let at = a;
  for (const [s, e] of parts) {
    if (s > at) break;
    if (e > at) at = e;
    if (at >= b) return true;
  }
  return at >= b;
};

/**
 * Is a MAP_FIXED of `len` at M's base refused by the kernel before it unmaps anything, or confined
 * to M, free space and the suite's own memory (an orphan tail right after M, which the spec's
 * isolated address space counts as free: covering it changes no outcome)?
 */
export const safeFixed = (c: Ctx, m: MapEntry, len: bigint): boolean => {
  const size = rounded(len);
  if (size === 0n || m.base + size > TASK_SIZE) return true;
  const end = m.base + size;
  for (let at = pageEnd(m); at < end;) {
    const v = c.vq(at);
    if (v === null || v[0] >= end) return true;
    const lo = v[0] > at ? v[0] : at;
    const hi = v[1] < end ? v[1] : end;
    if (!owned(c, lo, hi)) return false;
    at = hi;
  }
  return true;
};

/**
 * After a MAP_FIXED over M: M's handle is dead; orphan tails it covered are gone (trimmed, so
 * release never unmaps what a later mapping holds); a tail of M it did not cover stays mapped
 * until release.
 */
export const covered = (c: Ctx, h: MapHandle, m: MapEntry, len: bigint): void => {
  m.live = false;
  c.t.dropRegs((r) => r.map === h);
  const end = m.base + rounded(len);
  const kept = c.t.orphans.flatMap(([s, l]): [bigint, bigint][] => {
    const e = s + l;
    if (e <= m.base || s >= end) return [[s, l]];
    return [...(s < m.base ? [[s, m.base - s] as [bigint, bigint]] : []), ...(e > end ? [[end, e - end] as [bigint, bigint]] : [])];
  });
  c.t.orphans.length = 0;
  c.t.orphans.push(...kept);
  if (end < pageEnd(m)) c.t.orphans.push([end, pageEnd(m) - end]);
};

export const mmapEx = (c: Ctx, op: OpOf<'mmapEx'>): Outcome => {
  if (c.t.maps.has(op.id)) throw new BadOpError(`map handle ${op.id} created twice`);
  const victim = op.place.kind === 'over' ? c.t.liveMap(op.place.map) : undefined;
  const flags = sentMapFlags(op.flags, victim !== undefined);
  const replaces = victim !== undefined && (flags & MAP_FLAG.FIXED) !== 0n && (flags & MAP_FLAG.FIXED_NOREPLACE) === 0n;
  if (victim !== undefined && replaces && !safeFixed(c, victim, op.length)) {
    throw new TargetLimitError(`mmapEx: MAP_FIXED of ${sizeT(op.length)} bytes over map ${op.place.kind === 'over' ? op.place.map : '?'} would cover memory the suite did not map; the op was not run`);
  }
  // Without a fixed bit the address is a hint the kernel cannot take over a live map: it chooses,
  // as it would from NULL. An arena hint instead keeps the free gap after the new mapping too.
  const at = victim !== undefined && (flags & (MAP_FLAG.FIXED | MAP_FLAG.FIXED_NOREPLACE)) !== 0n ? victim.base : arenaHint(c.arena, op.length, c.vq);
  const r = c.b.mmapEx(c.t.fd(op.fd), op.offset, op.length, op.prot, flags, at);
  const live = typeof r === 'bigint';
  if (replaces && op.place.kind === 'over') {
    // A failure after mmap_region cleared the old range (the file's mmap method refused) leaves a
    // hole there: ask the address space whether M's first page is still mapped.
    const v = live ? undefined : c.vq(victim.base);
    const gone = live || v === undefined || v === null || v[0] > victim.base;
    if (gone) covered(c, op.place.map, victim, op.length);
  }
  c.t.maps.set(op.id, { base: live ? r : 0n, length: sizeT(op.length), live });
  return live ? ok() : fromRc(r);
};
