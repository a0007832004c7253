/**
 * The forked child (spec/vocab/ops-child.ts): gm_child forks in C, the child does its one action
 * with plain syscalls (or one byte access under its own fault handler) and reports through a pipe;
 * the wait is bounded and a child that does not finish is killed — harness breakage, never an
 * outcome and never a hang of this process.
 */
import { CHILD_VM_IOCTL_CAP, type OpOf, type Outcome } from '../../../spec/vocab/index.js';
import { TargetBrokenError, TargetTimeoutError } from '../../../spec/vocab/errors.js';
import { addrOf, withinMap } from './addrspace.js';
import type { Ctx } from './context.js';
import { fromAccess, fromRc, signalOutcome } from './outcomes.js';

/** gm_sys.h's codes of gm_child. */
export const GM_CHILD_LOST = -100004;
export const GM_CHILD_TIMEOUT = -100005;
export const GM_CHILD_SIGNAL = -200000;
/** How long a child may take: one syscall or one fault (a fallocate of the largest allowed range included). */
export const CHILD_TIMEOUT_MS = 10_000;
const KIND = { load: 0, store: 1, fallocate: 2, ftruncate: 3, vmIoctl: 4 } as const;

/** The child's report as an outcome: a signal (si_addr was the accessed address), or the call's result. */
const report = (rc: number, kind: keyof typeof KIND, base: bigint, addr: bigint): number | Outcome => {
  if (rc === GM_CHILD_TIMEOUT) throw new TargetTimeoutError(`child ${kind}: the forked child did not finish within ${CHILD_TIMEOUT_MS} ms and was killed`);
  if (rc === GM_CHILD_LOST || (rc <= -100000 && rc > GM_CHILD_SIGNAL)) throw new TargetBrokenError(`child ${kind}: the forked child could not be made or ended without reporting (harness code ${rc})`);
  if (rc > GM_CHILD_SIGNAL) return rc;
  const sig = GM_CHILD_SIGNAL - rc;
  return fromAccess([sig >> 8, sig & 0xff, addr], base, false);
};

export const child = (c: Ctx, op: OpOf<'child'>): Outcome => {
  const a = op.act;
  switch (a.kind) {
    case 'load':
    case 'store': {
      const m = c.t.liveMap(a.map);
      // A dead map, or an offset past it: the child would touch an address this mapping does not
      // own (spec/vocab/CONVENTIONS.md): not issued, the answer of an unmapped address.
      if (m === undefined) return signalOutcome('SIGSEGV', 'SEGV_MAPERR', a.offset);
      const addr = addrOf(m, a.offset);
      if (!withinMap(m, addr, 1n)) return signalOutcome('SIGSEGV', 'SEGV_MAPERR', a.offset);
      const store = a.kind === 'store';
      const r = report(c.b.child(KIND[a.kind], addr, store ? a.value : 0, -1, 0, 0n, 0n, CHILD_TIMEOUT_MS), a.kind, m.base, addr);
      if (typeof r !== 'number') return r;
      return fromAccess(r, m.base, store);
    }
    case 'fallocate': {
      const r = report(c.b.child(KIND.fallocate, 0n, 0, c.t.fd(a.fd), a.mode, a.offset, a.len, CHILD_TIMEOUT_MS), a.kind, 0n, 0n);
      return typeof r === 'number' ? fromRc(r) : r;
    }
    case 'ftruncate': {
      const r = report(c.b.child(KIND.ftruncate, 0n, 0, c.t.fd(a.fd), 0, a.size, 0n, CHILD_TIMEOUT_MS), a.kind, 0n, 0n);
      return typeof r === 'number' ? fromRc(r) : r;
    }
    case 'vmIoctl': {
      const r = report(c.b.child(KIND.vmIoctl, 0n, 0, c.t.vmFd(a.vm), 0, 0n, BigInt(CHILD_VM_IOCTL_CAP), CHILD_TIMEOUT_MS), a.kind, 0n, 0n);
      return typeof r === 'number' ? fromRc(r, (v) => v) : r;
    }
  }
};
