/** load/store ops: resolve the handle, then run the access chain (./access.ts). */
import type { Verdict } from '../verdict.js';
import { decideBy, first, rule, only } from '../rule.js';
import type { Ctx } from '../ctx.js';
import type { SpecState } from '../state/types.js';
import { beyondVma, map16, mapped, map4, shmemEof, segv, type Acc } from './access.js';
import { map5Fault, map5Private, shmemFault, userfaultRule } from './access-fault.js';

/** Dead map handle: the address is unmapped → SIGSEGV SEGV_MAPERR at the offset (spec/README.md). */
export const deadMapAccess = rule<Ctx<'load' | 'store'>>({
  id: 'GEN-SEGV-MAPERR',
  cite: 'arch/x86/mm/fault.c do_user_addr_fault; spec/README.md dead map handles',
  decide: ({ s, op }) => (s.maps.has(op.map) ? undefined : only(s, segv(op.offset, 'SEGV_MAPERR'))),
});

export const accessChain = [beyondVma, map16, mapped, map4, shmemEof, userfaultRule, map5Private, map5Fault] as const;

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
