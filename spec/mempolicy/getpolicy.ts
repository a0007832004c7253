/**
 * get_mempolicy(MPOL_F_ADDR) and (MPOL_F_NODE|MPOL_F_ADDR), and set_mempolicy.
 * The policy looked up at an address is the VMA's own on 6.18 (POL-1′), the inode's shared
 * policy for the file page where the file has a get_policy hook (POL-1, memfd); none reported
 * is MPOL_DEFAULT, never the task policy (POL-2) unless P-POL-QUERY is TASK.
 */
import { err, ok } from '../vocab/index.js';
import { cases, fact, only, owning, rule, andThen, type Decision } from '../rule.js';
import { pol1Inode } from './mbind.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { imGet } from '../state/imap.js';
import type { Policy } from '../state/types.js';
import { gupEither, gupStop, type GupStop } from '../mmap/gup.js';
import { faultIn } from '../mmap/page-io.js';
import { DEFAULT_REPORT, validatePolicy } from './policy.js';
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
      const next = () => faultIn(p, s, op.map, mp, map.pgoff + mp, true);
      if (p.numaNodes <= 1) return andThen(ok({ node: 0 }), next, [pol9]);
      const nodes = Array.from({ length: p.numaNodes }, (_, n) => [ok({ node: n }), next] as const);
      return cases(nodes, 'POL-5 (MN): placement on a multi-node host is not modelled', [pol5]);
    };
    return gupEither(gupStop(p, s, map, mp, mp + 1, false), node);
  },
});

/** Where the policy is looked up: the inode's shared policy (memfd, or gmem with policy hooks) or the VMA's own. */
const inodeScope = (c: G): boolean => c.ino.kind === 'memfd' || c.p.variants.polScope === 'INODE';

const reported = (c: G, pol: Policy | undefined, also?: Parameters<typeof only>[2]): Decision | undefined =>
  pol === undefined ? undefined : only(c.s, ok({ mode: pol.mode, nodes: pol.nodes }), also);

/**
 * POL-1 (gmem with policy hooks, ≥6.19) / GEN-SHMEM-POLICY (memfd): the shared policy stored for
 * the file page is reported, through any mapping of it.
 */
export const pol1Get = rule<G>({
  id: 'POL-1',
  cite: 'POL-1; S2 kvm_gmem_get_policy (shared policy keyed by file offset)',
  decide: (c) => (c.ino.kind === 'gmem' && inodeScope(c) ? reported(c, imGet(c.ino.policy, c.map.pgoff + Number(c.op.offset >> 12n))) : undefined),
});
export const shmemPolicyGet = rule<G>({
  id: 'GEN-SHMEM-POLICY',
  cite: 'mm/shmem.c shmem_get_policy (shared policy keyed by file offset)',
  decide: (c) => (c.ino.kind === 'memfd' ? reported(c, imGet(c.ino.policy, c.map.pgoff + Number(c.op.offset >> 12n))) : undefined),
});

/** POL-1′ (6.18, no policy hooks): the VMA's own policy is reported; another mapping has none. */
export const pol1PrimeGet = rule<G>({
  id: 'POL-1′',
  cite: 'POL-1′; mm/mempolicy.c __get_vma_policy (obs:MP-G-10..24)',
  decide: (c) => (inodeScope(c) ? undefined : reported(c, imGet(c.map.vmaPolicy, Number(c.op.offset >> 12n)))),
});

/** POL-2: nothing recorded → MPOL_DEFAULT with an empty mask (P-POL-QUERY TASK: the task policy). */
export const pol2 = rule<G>({
  id: 'POL-2',
  cite: 'POL-2, §4 P-POL-QUERY; S2 kvm_gmem_get_policy; S14 do_get_mempolicy (obs:MP-T01..04)',
  decide: ({ p, s, ino }) => {
    // P-POL-QUERY is about the gmem get_policy hook (≥6.19); shmem and 6.18 gmem use the generic fallback.
    const hook = ino.kind === 'gmem' && p.variants.polScope === 'INODE';
    const t = hook && p.variants.polQuery === 'TASK' ? s.taskPolicy : null;
    const also = hook ? [pol11] : undefined;
    const d = only(s, ok(t === null ? { ...DEFAULT_REPORT } : { mode: t.mode, nodes: t.nodes }), also);
    // With the hooks, whether a policy is recorded for the file page is the inode's shared policy
    // (POL-1): a kernel that reports one here (6.18's VMA-local policy, POL-1′) breaks POL-1;
    // POL-2 only says what "none" reads as.
    return hook ? owning(d, pol1Inode, ['value']) : d;
  },
});
export const getPolMapChain = [pol8, pol1Get, shmemPolicyGet, pol1PrimeGet, pol2] as const;

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
