/**
 * get_mempolicy(MPOL_F_ADDR) and (MPOL_F_NODE|MPOL_F_ADDR), and set_mempolicy.
 * The policy looked up at an address is the VMA's own on 6.18 (POL-1′), the inode's shared
 * policy for the file page where the file has a get_policy hook (POL-1, memfd); none reported
 * is MPOL_DEFAULT, never the task policy (POL-2) unless P-POL-QUERY is TASK.
 */
import { err, ok } from '../vocab/index.js';
import { cases, fact, only, rule, andThen, type Decision } from '../rule.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { imGet } from '../state/imap.js';
import type { Policy } from '../state/types.js';
import { gupEither, gupStop, type GupStop } from '../mmap/gup.js';
import { faultIn } from '../mmap/page-io.js';
import { DEFAULT_REPORT, validatePolicy } from './policy.js';
import { pol1Inode, shmemPolicy } from './mbind.js';
import { deadMap } from '../lifetime/handles.js';
import { must, onMap, type Steps } from '../run.js';

type G = MapCtx<'getMempolicy'>;

/** POL-4: no VMA at the address → EFAULT (dead map handle included). */
export const pol4Get = rule<Ctx<'getMempolicy'>>({
  id: 'POL-4',
  cite: 'POL-4; mm/mempolicy.c do_get_mempolicy (vma_lookup fails → EFAULT)',
  decide: ({ s, op }) => {
    const m = s.maps.get(op.map);
    return m === undefined || op.offset < 0n || Number(op.offset >> 12n) >= m.pages ? only(s, err('EFAULT')) : undefined;
  },
});
export const getPolDead = deadMap<Ctx<'getMempolicy'>>('EFAULT');
export const getPolPre = [getPolDead, pol4Get] as const;

export const pol5 = fact('POL-5', 'POL-5 (placement at allocation: policy, else task policy)');
export const pol11 = fact('POL-11', 'POL-11; S2 mpol_shared_policy_init (a new inode has no policy)');
export const pol9 = fact('POL-9', 'POL-9 (node of a present page; one node: 0)');

/** POL-8: MPOL_F_NODE|MPOL_F_ADDR faults the page in through GUP and reports its node. */
export const pol8 = rule<G>({
  id: 'POL-8',
  cite: 'POL-8; mm/mempolicy.c lookup_node (obs:MP-G-30/31, MP-P-30)',
  decide: ({ p, s, op, map }) => {
    if (op.query !== 'ADDR_NODE') return undefined;
    const mp = Number(op.offset >> 12n);
    const node = (g: GupStop): Decision => {
      if (g.stop === mp) return only(s, err('EFAULT'), g.why === null ? undefined : [g.why]);
      const next = () => faultIn(p, s, op.map, mp, map.pgoff + mp);
      if (p.numaNodes <= 1) return andThen(ok({ node: 0 }), next, [pol9]);
      const nodes = Array.from({ length: p.numaNodes }, (_, n) => [ok({ node: n }), next] as const);
      return cases(nodes, 'POL-5 (MN): placement on a multi-node host is not modelled', [pol5]);
    };
    return gupEither(gupStop(p, s, map, mp, mp + 1, false), node);
  },
});

const lookup = (c: G): Policy | undefined => {
  const mp = Number(c.op.offset >> 12n);
  if (c.ino.kind === 'memfd' || c.p.variants.polScope === 'INODE') return imGet(c.ino.policy, c.map.pgoff + mp);
  return imGet(c.map.vmaPolicy, mp);
};

/** POL-1′ / POL-1: a recorded policy is reported as stored. */
export const pol1Get = rule<G>({
  id: 'POL-1′',
  cite: 'POL-1′, POL-1; mm/mempolicy.c __get_vma_policy (obs:MP-G-10..24)',
  decide: (c) => {
    const pol = lookup(c);
    if (pol === undefined) return undefined;
    const shared = c.ino.kind === 'memfd' ? [shmemPolicy] : c.p.variants.polScope === 'INODE' ? [pol1Inode] : undefined;
    return only(c.s, ok({ mode: pol.mode, nodes: pol.nodes }), shared);
  },
});

/** POL-2: nothing recorded → MPOL_DEFAULT with an empty mask (P-POL-QUERY TASK: the task policy). */
export const pol2 = rule<G>({
  id: 'POL-2',
  cite: 'POL-2, §4 P-POL-QUERY; S2 kvm_gmem_get_policy; S14 do_get_mempolicy (obs:MP-T01..04)',
  decide: ({ p, s, ino }) => {
    // P-POL-QUERY is about the gmem get_policy hook (≥6.19); shmem and 6.18 gmem use the generic fallback.
    const hook = ino.kind === 'gmem' && p.variants.polScope === 'INODE';
    const t = hook && p.variants.polQuery === 'TASK' ? s.taskPolicy : null;
    const also = ino.kind === 'gmem' && p.variants.polScope === 'INODE' ? [pol11] : undefined;
    return only(s, ok(t === null ? { ...DEFAULT_REPORT } : { mode: t.mode, nodes: t.nodes }), also);
  },
});
export const getPolMapChain = [pol8, pol1Get, pol2] as const;

/** GEN-MPOL-TASK: set_mempolicy validates like mbind (POL-4) and sets the task policy. */
export const setTaskPolicy = rule<Ctx<'setMempolicy'>>({
  id: 'GEN-MPOL-TASK',
  cite: 'mm/mempolicy.c do_set_mempolicy; POL-4',
  decide: ({ p, s, op }) => {
    const v = validatePolicy(p, op.mode, op.nodes);
    return v.ok ? andThen(ok(), () => ({ ...s, taskPolicy: v.pol })) : only(s, err('EINVAL'));
  },
});
export const setPolChain = [setTaskPolicy] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  getMempolicy: (p, s, o) => onMap({ p, s, op: o }, getPolPre, o.map, getPolMapChain),
  setMempolicy: (p, s, o) => must({ p, s, op: o }, setPolChain),
} satisfies Steps;
