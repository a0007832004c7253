/** load/store ops: resolve the handle, then run the access chain (./access.ts). */
import type { Verdict } from '../verdict.js';
import { decideBy, eitherOf, first, rule, only, type Decision } from '../rule.js';
import { imGet } from '../state/imap.js';
import type { Ctx } from '../ctx.js';
import type { SpecState } from '../state/types.js';
import { beyondVma, map16, mapped, map4, shmemEof, segv, sigbusAt, type Acc } from './access.js';
import { map5Fault, map5Private, shmemFault, userfaultRule } from './access-fault.js';
import type { Steps } from '../run.js';

/** Dead map handle: the address is unmapped → SIGSEGV SEGV_MAPERR at the offset (spec/README.md). */
export const deadMapAccess = rule<Ctx<'load' | 'store'>>({
  id: 'GEN-SEGV-MAPERR',
  cite: 'arch/x86/mm/fault.c do_user_addr_fault; spec/README.md dead map handles',
  decide: ({ s, op }) => (s.maps.has(op.map) ? undefined : only(s, segv(op.offset, 'SEGV_MAPERR'))),
});

const faultChain = [map4, shmemEof, userfaultRule, map5Private, map5Fault] as const;

/**
 * MAP-8 (P-THP-COLLAPSE=UNPATCHED): a fault on a page an unpatched MADV_COLLAPSE may have folded
 * into a large folio either trips the order-0 check (WARN, SIGBUS: S19) or, if no folio was
 * built, completes as usual. Runs after the PTE check: a present PTE needs no fault.
 */
export const map8Large = rule<Acc>({
  id: 'MAP-8',
  cite: 'MAP-8, §4 P-THP-COLLAPSE; S19 (large folio in guest_memfd: WARN and SIGBUS at the next fault)',
  decide: (a): Decision | undefined => {
    if (!imGet(a.ino.folios, a.fp)?.maybeLarge) return undefined;
    const usual = decideBy(a, faultChain, shmemFault);
    const asDecision: Decision = { allowed: usual.allowed, next: (o) => usual.next(o) };
    const bus: Decision = { allowed: [sigbusAt(a.offset)], next: () => a.s };
    return eitherOf(asDecision, bus, 'P-THP-COLLAPSE UNPATCHED: the collapse may or may not have built a large folio');
  },
});

export const accessChain = [beyondVma, map16, mapped, map8Large, ...faultChain] as const;

export const hostAccess = (c: Ctx<'load'> | Ctx<'store'>): Verdict<SpecState> => {
  const dead = first(c as Ctx<'load' | 'store'>, [deadMapAccess]);
  if (dead !== undefined) return dead;
  const map = c.s.maps.get(c.op.map)!;
  const ino = c.s.inodes.get(map.inode)!;
  const mp = Number(c.op.offset >> 12n);
  const write = c.op.kind === 'store';
  const a: Acc = {
    p: c.p, s: c.s, mapId: c.op.map, map, ino, offset: c.op.offset,
    mp, fp: map.pgoff + mp, off: Number(c.op.offset & 4095n), write,
    value: c.op.kind === 'store' ? c.op.value : 0, how: c.op.onUserfault, fill: c.op.fill,
  };
  return decideBy(a, accessChain, shmemFault);
};

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  load: (p, s, o) => hostAccess({ p, s, op: o }),
  store: (p, s, o) => hostAccess({ p, s, op: o }),
} satisfies Steps;
