/**
 * setVmaName: prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME) over a range of a mapping (MAP-25,
 * docs/kernel-surface.md E17), in the kernel's order (v7.2): set_anon_vma_name copies the name
 * (strndup_user: longer than ANON_VMA_NAME_MAX_LEN → EINVAL) and checks each character
 * (is_valid_name_char → EINVAL); madvise_set_anon_name checks the start's alignment, the length's
 * rounding and wrap, returns 0 for an empty range, then walks the VMAs: the first VMA met that is
 * a file mapping other than anonymous shmem answers EBADF, a range that meets no VMA ENOMEM.
 * Every mapping of the vocabulary maps a file (guest_memfd or memfd: neither is anonymous shmem),
 * so a range that reaches its mapping is refused and nothing changes.
 *
 * The whole call exists only with CONFIG_ANON_VMA_NAME; without it set_anon_vma_name is a stub
 * returning EINVAL for every argument (include/linux/mm.h). That is a build option the profiles do
 * not carry (this host's 6.18.44 lacks it), so every verdict also allows EINVAL with no change:
 * what the spec still refuses is any other answer — above all success on a gmem VMA.
 */
import { err, ok, type Outcome } from '../vocab/index.js';
import { eitherOf, only, rule, type Decision } from '../rule.js';
import { P, aligned, wrapsU64, type Ctx } from '../ctx.js';
import { deadMap } from '../lifetime/handles.js';
import type { SpecState } from '../state/types.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'setVmaName'>;

/** What a kernel with CONFIG_ANON_VMA_NAME answers; `maybe` is an extra outcome when the base decides. */
const configured = (s: SpecState, op: C['op']): { readonly o: Outcome; readonly maybe?: Outcome } => {
  if (op.name === 'badChar' || op.name === 'tooLong') return { o: err('EINVAL') };
  if (!aligned(op.offset) || op.offset < 0n) return { o: err('EINVAL') };
  const len = (op.length + P - 1n) & ~(P - 1n);
  if (op.length !== 0n && len >= 1n << 64n) return { o: err('EINVAL') };
  const wrap = wrapsU64(op.offset, op.length);
  if (wrap === 'yes') return { o: err('EINVAL') };
  if (op.length === 0n) return { o: ok() };
  const m = s.maps.get(op.map)!;
  // The walk meets this mapping's VMA first when the range starts inside it (a file VMA: EBADF);
  // past its end lies the unmapped gap of spec/vocab/CONVENTIONS.md: no VMA, ENOMEM.
  const o = op.offset >> 12n < BigInt(m.pages) ? err('EBADF') : err('ENOMEM');
  return wrap === 'maybe' ? { o, maybe: err('EINVAL') } : { o };
};

const NO_CONFIG = 'MAP-25: without CONFIG_ANON_VMA_NAME (a build option the profile does not carry; off on the 6.18.44 host) every call is EINVAL';

/** MAP-25: a file VMA cannot be named; the call changes nothing whatever it answers. */
export const map25 = rule<C>({
  id: 'MAP-25',
  cite: 'MAP-25; kernel/sys.c prctl_set_vma; mm/madvise.c set_anon_vma_name (strndup_user, is_valid_name_char), madvise_set_anon_name, madvise_walk_vmas, madvise_vma_behavior (__MADV_SET_ANON_VMA_NAME: vm_file && !vma_is_anon_shmem → EBADF); include/linux/mm.h (the stub without CONFIG_ANON_VMA_NAME: EINVAL), v7.2; measured on 6.18.44 without the option: EINVAL',
  decide: ({ s, op }): Decision => {
    const c = configured(s, op);
    const base = c.maybe === undefined ? only(s, c.o) : eitherOf(only(s, c.o), only(s, c.maybe), 'the mapping base decides whether start + len wraps');
    return c.o.kind === 'errno' && c.o.errno === 'EINVAL' && c.maybe === undefined ? base : eitherOf(base, only(s, err('EINVAL')), NO_CONFIG);
  },
});
/** The dead-map convention (spec/vocab/CONVENTIONS.md): not issued, EFAULT. */
export const vmaNameDead = deadMap<C>('EFAULT');

export const steps = {
  setVmaName: (p, s, o) => must({ p, s, op: o }, [vmaNameDead, map25]),
} satisfies Steps;
