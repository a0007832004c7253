/** The guest mapping level at a GPA (LVL-1..5): gmem-served pages are order-0, so 4K (1). */
import { ok } from '../vocab/index.js';
import { cases, fact, only, rule } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { ebadf, vmDead } from '../lifetime/handles.js';
import { imGet } from '../state/imap.js';
import { routeOf } from './route.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'guestMapLevel'>;
export const levelDead = ebadf<C>(({ s, op }) => vmDead(s, op.vm));

export const lvl1 = fact('LVL-1', 'LVL-1; S15, SEED4 (host mappings do not decide the level)');
export const lvl4 = fact('LVL-4', 'LVL-4, §4 P-HUGE-SPLIT (no huge folios upstream: never above 4K)');

const either = (s: C['s'], why: string) => cases([[ok({ level: 0 }), () => s], [ok({ level: 1 })  , () => s]], why);

/** LVL-3: not served from gmem: the level follows host page tables (not tracked: none or 4K). */
export const lvl3 = rule<C>({
  id: 'LVL-3',
  cite: 'LVL-3, ENV-4 (VM stats pages_* stay 0 under kvm_pvm, obs:finding 1)',
  decide: ({ p, s, op }) => {
    const r = routeOf(p, s, s.vms.get(op.vm)!, op.gpa);
    if (r.kind === 'none') return only(s, ok({ level: 0 }));
    return r.kind === 'uaddr' ? either(s, 'LVL-3: the level of a userspace_addr-served page follows host page tables, which the spec does not track') : undefined;
  },
});

/** LVL-2: a gmem-served GPA touched since its last invalidation is mapped 4K; otherwise not mapped. */
export const lvl2Level = rule<C>({
  id: 'LVL-2',
  cite: 'LVL-2, LVL-1, LVL-4; S1 (*max_order = 0)',
  decide: ({ s, op }) => {
    const vm = s.vms.get(op.vm)!;
    return only(s, ok({ level: imGet(vm.sptes, Number(op.gpa >> 12n)) === undefined ? 0 : 1 }), [lvl1, lvl4]);
  },
});
export const levelChain = [levelDead, lvl3, lvl2Level] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  guestMapLevel: (p, s, o) => must({ p, s, op: o }, levelChain),
} satisfies Steps;
