/** One-byte host loads and stores through a mapping (guard.cc turns faults into outcomes). */
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { addrOf, withinMap } from './addrspace.js';
import type { Ctx } from './context.js';
import { fromAccess, signalOutcome } from './outcomes.js';
import { accessUffd } from './ops-uffd.js';

/** x86-64 4-level paging: user addresses are below 2^47. */
const USER_TOP = 1n << 47n;

export const access = (c: Ctx, op: OpOf<'load'> | OpOf<'store'>): Outcome => {
  const m = c.t.liveMap(op.map);
  // Dead map: nothing is accessed; the answer an unmapped address gives (README conventions).
  if (m === undefined) return signalOutcome('SIGSEGV', 'SEGV_MAPERR', op.offset);
  const addr = addrOf(m, op.offset);
  const store = op.kind === 'store';
  if (!withinMap(m, addr, 1n)) {
    // Past the mapping: a real access only where nothing is mapped (then it must fault with
    // SEGV_MAPERR), and always as a load so that a racing new mapping could never be written.
    if (addr >= USER_TOP || c.b.pageMapped(addr)) return signalOutcome('SIGSEGV', 'SEGV_MAPERR', op.offset);
    const r = c.b.access(addr, false, 0);
    return typeof r === 'number' ? signalOutcome('SIGSEGV', 'SEGV_MAPERR', op.offset) : fromAccess(r, m.base, false);
  }
  const reg = c.t.regAt(addr);
  if (reg !== undefined) return accessUffd(c, m, reg, addr, op);
  return fromAccess(c.b.access(addr, store, store ? op.value : 0), m.base, store);
};
