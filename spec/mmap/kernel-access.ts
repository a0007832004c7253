/** process_vm_readv/writev on our own mapping (MAP-9, DMAP-5, GEN-PVM). ok value { count, first }. */
import { err, ok } from '../vocab/index.js';
import { cases, only, rule, andThen, type Decision } from '../rule.js';
import { UNKNOWN } from '../state/bytes.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { gupEither, gupFaultIn, gupStop, gupWrite, map9, type GupStop } from './gup.js';
import { readByte } from './page-io.js';
import { owningByte } from './content.js';
import { deadMap } from '../lifetime/handles.js';
import { onMap, type Steps } from '../run.js';

export const kaEmpty = rule<Ctx<'kernelAccess'>>({
  id: 'GEN-PVM',
  cite: 'mm/process_vm_access.c process_vm_rw (nothing to transfer → 0)',
  decide: ({ s, op }) => (op.len <= 0 ? only(s, ok({ count: 0, first: null })) : undefined),
});
/** A dead map handle is unmapped memory: nothing can be pinned → EFAULT. */
export const kaDead = rule<Ctx<'kernelAccess'>>({
  id: 'GEN-PVM',
  cite: 'mm/process_vm_access.c process_vm_rw_core; spec/README.md dead map handles',
  decide: ({ s, op }) => (s.maps.has(op.map) && op.offset >= 0n ? undefined : only(s, err('EFAULT'))),
});
export const kaDeadMap = deadMap<Ctx<'kernelAccess'>>('EFAULT');
export const kaPre = [kaDeadMap, kaEmpty, kaDead] as const;

/** MAP-9: transfer until the first page GUP cannot pin; nothing transferred → EFAULT. */
export const map9Access = rule<MapCtx<'kernelAccess'>>({
  id: 'MAP-9',
  cite: 'MAP-9, DMAP-5; mm/process_vm_access.c (partial count) (obs:GUP-G-00..17, GUP-P-00..17)',
  decide: ({ p, s, op, map }) => {
    const write = op.call === 'process_vm_writev';
    const a = Number(op.offset >> 12n);
    const b = Number((op.offset + BigInt(op.len) + 4095n) >> 12n);
    const transfer = (g: GupStop): Decision => {
      const avail = BigInt(g.stop) * 4096n - op.offset;
      const count = g.stop >= b ? op.len : Math.max(0, Number(avail < BigInt(op.len) ? avail : BigInt(op.len)));
      const also = g.why === null ? [map9] : [g.why];
      if (count === 0) return only(s, err('EFAULT'), also);
      const faulted = gupFaultIn(s, op.map, a, g.stop);
      if (write) return andThen(ok({ count, first: op.value }), () => gupWrite(faulted, op.map, op.offset, count, op.value), also);
      const mp = Number(op.offset >> 12n);
      const first = readByte(faulted, op.map, mp, map.pgoff + mp, Number(op.offset & 4095n));
      // The count is GUP's (this rule or what stopped it); the byte read is the page's (./content.ts).
      if (first !== UNKNOWN) return owningByte(andThen(ok({ count, first }), () => faulted, also), s.inodes.get(map.inode)!, first, ['value', 'first']);
      const any = Array.from({ length: 256 }, (_, v) => [ok({ count, first: v }), () => faulted] as const);
      return cases(any, 'SHR-8 / P-CONV-CONTENT: the byte was left unspecified by a conversion', also);
    };
    return gupEither(gupStop(p, s, map, a, b, write), transfer);
  },
});
export const kaMapChain = [map9Access] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  kernelAccess: (p, s, o) => onMap({ p, s, op: o }, kaPre, o.map, kaMapChain),
} satisfies Steps;
