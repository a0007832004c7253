/**
 * setVmaName: prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME) over a range of a live map, placed like
 * madvise's range (addrspace.ts: a range leaving the mapping goes where it meets no VMA, or is
 * split: the mapping's own part first, the rest in the dead zone). The name is one of the four
 * fixed strings of the C wrapper. A dead map is not issued (CONVENTIONS.md: EFAULT).
 */
import { VMA_NAME } from '../../../spec/vocab/ops-mremap.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { place } from './addrspace.js';
import type { Ctx } from './context.js';
import { fromRc } from './outcomes.js';
import { DEAD, issue } from './ops-mm.js';

export const setVmaName = (c: Ctx, op: OpOf<'setVmaName'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const p = place(c.vq, m, op.offset, op.length, c.deadZone, { split: true });
  const name = VMA_NAME[op.name];
  return fromRc(issue(p, op.length, (a, l) => c.b.setVmaName(a, l, name), (rc) => rc < 0, () => -12 /* ENOMEM: no safe place, as madvise */));
};
