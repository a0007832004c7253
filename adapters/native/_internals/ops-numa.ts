/**
 * The NUMA ops of the wider surface (issue 15): get_mempolicy with the whole flags word, and the
 * numa_maps line of the VMA holding an address (read from /proc/thread-self, so a VMA without a
 * policy shows this thread's policy, the one setMempolicy set).
 */
import { err, errnoName, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { place } from './addrspace.js';
import type { Ctx } from './context.js';
import { DEAD } from './ops-mm.js';
import { fromRc } from './outcomes.js';

/** A non-canonical address: no VMA can hold it, and it is not 0 (get_mempolicy without ADDR refuses any other). */
const NO_VMA = 1n << 63n;

/** The address of a map offset, or undefined when placement finds no safe one. */
const addrOf = (c: Ctx, map: number, offset: bigint): { readonly base: bigint; readonly addr: bigint | undefined } | undefined => {
  const m = c.t.liveMap(map);
  if (m === undefined) return undefined;
  const p = place(c.vq, m, offset, 1n, c.deadZone, { split: false });
  return { base: m.base, addr: p.kind === 'direct' || p.kind === 'relocated' ? p.addr : undefined };
};

/**
 * The kernel checks the flags word before the address; where no address of the dead zone can stand
 * for the offset, one no VMA can hold goes instead, so the kernel still decides every answer.
 */
export const getMempolicyFlags = (c: Ctx, op: OpOf<'getMempolicyFlags'>): Outcome => {
  const a = addrOf(c, op.map, op.offset);
  if (a === undefined) return DEAD;
  const [rc, mode, nodes] = c.b.getMempolicyFlags(a.addr ?? NO_VMA, op.flags);
  if (rc < 0) return err(errnoName(-rc));
  return (op.flags & 1n) !== 0n ? ok({ node: mode }) : ok({ mode, nodes });
};

export const numaMaps = (c: Ctx, op: OpOf<'numaMaps'>): Outcome => {
  const a = addrOf(c, op.map, op.offset);
  if (a === undefined || a.addr === undefined) return DEAD;
  const r = c.b.numaMaps(a.addr);
  if (typeof r === 'number') return r === 0 ? ok(null) : fromRc(r);
  const [start, policy, file, pages, anon, n0] = r;
  return ok({ start: start - a.base, policy, file, pages, anon, n0 });
};

/** Status words: a node number, or -errno named. */
const statusOf = (v: number): number | string => (v >= 0 ? v : v === -2147483648 ? 'UNWRITTEN' : errnoName(-v));

/**
 * move_pages: a page of the mapping goes as its address, one outside it as an address no VMA can
 * hold (see gm_move_pages), so the kernel answers every page and nothing of the process is named.
 */
export const movePages = (c: Ctx, op: OpOf<'movePages'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const [rc, status] = c.b.movePages(m.base, m.length, op.offset, op.pages, op.move, op.node, op.flags);
  if (rc < 0) return err(errnoName(-rc));
  const st = status.map(statusOf);
  return ok(rc > 0 ? { status: st, notMoved: rc } : { status: st });
};
