/**
 * Mapping ops and NUMA policy. Dead map handles follow the conventions in adapters/native/README.md
 * (the answer the kernel gives for an unmapped range); so do ranges that would reach a foreign VMA
 * (addrspace.ts).
 */
import { err, errnoName, ok } from '../../../spec/vocab/index.js';
import type { MadviseAdvice, OpOf, Outcome } from '../../../spec/vocab/index.js';
import { addrOf, pageEnd, touchesForeign, withinMap } from './addrspace.js';
import type { Ctx } from './context.js';
import { fromRc } from './outcomes.js';
import type { MapEntry } from './tables.js';
import { BadOpError } from '../../errors.js';

export const mmap = (c: Ctx, op: OpOf<'mmap'>): Outcome => {
  if (c.t.maps.has(op.id)) throw new BadOpError(`map handle ${op.id} created twice`);
  const r = c.b.mmap(c.t.fd(op.fd), op.offset, op.length, op.prot, op.shared);
  const live = typeof r === 'bigint';
  c.t.maps.set(op.id, { base: live ? r : 0n, length: op.length, live });
  return live ? ok() : fromRc(r);
};

export const munmap = (c: Ctx, op: OpOf<'munmap'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return ok();
  const rc = c.b.munmap(m.base, m.length);
  if (rc === 0) {
    m.live = false;
    c.t.dropRegs((r) => r.map === op.map);
  }
  return fromRc(rc);
};

export const mprotect = (c: Ctx, op: OpOf<'mprotect'>): Outcome => {
  const m = c.t.liveMap(op.map);
  return m === undefined ? err('ENOMEM') : fromRc(c.b.mprotect(m.base, m.length, op.prot));
};

/** include/uapi/asm-generic/mman-common.h (kernel-rules.md §1.9). */
const ADVICE: Readonly<Record<MadviseAdvice, number>> = {
  DONTNEED: 4, REMOVE: 9, HUGEPAGE: 14, POPULATE_READ: 22, POPULATE_WRITE: 23, COLLAPSE: 25,
};

/** The live map and the absolute range, or undefined when the range would touch a foreign VMA. */
const range = (m: MapEntry, offset: bigint, len: bigint): bigint | undefined => {
  const addr = addrOf(m, offset);
  return withinMap(m, addr, len) || !touchesForeign(m, addr, addr + len) ? addr : undefined;
};

export const madvise = (c: Ctx, op: OpOf<'madvise'>): Outcome => {
  const m = c.t.liveMap(op.map);
  const addr = m && range(m, op.offset, op.length);
  return addr === undefined ? err('ENOMEM') : fromRc(c.b.madvise(addr, op.length, ADVICE[op.advice]));
};

export const mincore = (c: Ctx, op: OpOf<'mincore'>): Outcome => {
  const m = c.t.liveMap(op.map);
  const addr = m && range(m, op.offset, BigInt(op.pages) * 4096n);
  if (addr === undefined) return err('ENOMEM');
  const r = c.b.mincore(addr, op.pages);
  return typeof r === 'number' ? fromRc(r) : ok(r);
};

export const kernelAccess = (c: Ctx, op: OpOf<'kernelAccess'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return err('EFAULT');
  const addr = addrOf(m, op.offset);
  let len = BigInt(op.len);
  if (range(m, op.offset, len) === undefined) {
    // GUP stops at the hole an isolated address space would have: a short count, or EFAULT.
    if (!withinMap(m, addr, 0n)) return err('EFAULT');
    len = pageEnd(m) - addr;
  }
  const [rc, first] = c.b.kernelAccess(addr, len, op.call === 'process_vm_writev', op.value);
  return fromRc(rc, (count) => ({ count, first: count > 0 ? first : null }));
};

export const mbind = (c: Ctx, op: OpOf<'mbind'>): Outcome => {
  const m = c.t.liveMap(op.map);
  const addr = m && range(m, op.offset, op.length);
  return addr === undefined ? err('EFAULT') : fromRc(c.b.mbind(addr, op.length, op.mode, BigInt(op.nodes), op.flags));
};

export const getMempolicy = (c: Ctx, op: OpOf<'getMempolicy'>): Outcome => {
  const m = c.t.liveMap(op.map);
  const addr = m && range(m, op.offset, 1n);
  if (addr === undefined) return err('EFAULT');
  const [rc, mode, nodes] = c.b.getMempolicy(addr, op.query === 'ADDR_NODE');
  if (rc < 0) return err(errnoName(-rc));
  return op.query === 'ADDR' ? ok({ mode, nodes }) : ok({ node: mode });
};

export const setMempolicy = (c: Ctx, op: OpOf<'setMempolicy'>): Outcome => {
  c.mempolicyTouched = true;
  return fromRc(c.b.setMempolicy(op.mode, BigInt(op.nodes)));
};
