/**
 * UFFDIO_MOVE (UFD-23). Only anonymous memory can move: the kernel refuses a shared VMA, a VMA not
 * registered with this context, or any non-anonymous VMA with EINVAL, after the argument checks
 * and the VMA lookups. Every mapping the vocabulary can make is a file mapping (gmem is always
 * MAP_SHARED; memfd MAP_PRIVATE is still not anonymous), so once both VMAs are found the answer is
 * EINVAL under every profile — the uffd-v2 series gives gmem uffd operations, but move_pages never
 * consults them.
 *
 * Check order (mm/userfaultfd.c userfaultfd_move, validate_range, move_pages, uffd_move_lock,
 * validate_move_areas, v7.2; the same at v6.18 in fs/userfaultfd.c and mm/userfaultfd.c): the
 * destination range (start aligned, length a non-zero page multiple, inside TASK_SIZE), the source
 * range likewise, unknown mode bits — all EINVAL; then the destination VMA and the source VMA are
 * looked up (none: ENOENT), then the VMA checks (EINVAL).
 */
import { err } from '../vocab/index.js';
import { cases, only, rule } from '../rule.js';
import { deadMap, ebadf } from '../lifetime/handles.js';
import { UFFDIO_MOVE_MODE, type OpOf, type Profile } from '../vocab/index.js';
import { must, type Steps } from '../run.js';
import type { Ctx } from '../ctx.js';
import type { SpecState } from '../state/types.js';
import type { Verdict } from '../verdict.js';

type C = Ctx<'uffdMove'>;
const KNOWN_MODE = UFFDIO_MOVE_MODE.DONTWAKE | UFFDIO_MOVE_MODE.ALLOW_SRC_HOLES;
const PAGE = 4096n;

/** A dead source map is not issued either (spec/vocab/CONVENTIONS.md), like a dead destination. */
export const moveDeadSrc = rule<C>({
  id: 'GEN-DEAD-MAP',
  cite: 'spec/vocab/CONVENTIONS.md dead map handles (uffdMove: EFAULT, as uffdResolve)',
  decide: ({ s, op }) => (s.maps.has(op.src) ? undefined : only(s, err('EFAULT'))),
});
export const moveDeadMap = deadMap<C>('EFAULT');
export const moveDeadUffd = ebadf<C>(({ s, op }) => !s.uffds.has(op.uffd));

/** The argument checks that need no VMA: both starts aligned (a map's base is), the length a non-zero page multiple, the mode known. */
export const moveArgs = rule<C>({
  id: 'UFD-23',
  cite: 'UFD-23; mm/userfaultfd.c userfaultfd_move, validate_range, validate_unaligned_range, v7.2',
  decide: ({ s, op }) => {
    const bad = op.offset % PAGE !== 0n || op.srcOffset % PAGE !== 0n || op.length % PAGE !== 0n || op.length === 0n || (op.mode & ~KNOWN_MODE) !== 0n;
    return bad ? only(s, err('EINVAL')) : undefined;
  },
});

const startIn = (s: SpecState, map: number, off: bigint): boolean => {
  const m = s.maps.get(map)!;
  return off >= 0n && off < BigInt(m.pages) * PAGE;
};

/**
 * UFD-23: both starts inside their mappings: both VMAs are found, and a file VMA never moves:
 * EINVAL. A start outside its mapping meets whatever this process has mapped there — nothing
 * (ENOENT) or a VMA that fails the same checks (EINVAL): the spec does not know the address space
 * around the target's mappings (and a range past the TASK_SIZE end is EINVAL too).
 */
export const ufd23 = rule<C>({
  id: 'UFD-23',
  cite: 'UFD-23; mm/userfaultfd.c move_pages (VM_SHARED → EINVAL), uffd_move_lock / find_vmas_mm_locked (no VMA → ENOENT), validate_move_areas (not registered with this context, not anonymous → EINVAL), v7.2',
  decide: ({ s, op }) => {
    if (startIn(s, op.map, op.offset) && startIn(s, op.src, op.srcOffset)) return only(s, err('EINVAL'));
    return cases([[err('EINVAL'), () => s], [err('ENOENT'), () => s]], 'a start outside its mapping: what lies there belongs to the rest of the address space');
  },
});

export const movePre = [moveDeadMap, moveDeadSrc, moveDeadUffd, moveArgs, ufd23] as const;

const uffdMove = (p: Profile, s: SpecState, op: OpOf<'uffdMove'>): Verdict<SpecState> => must({ p, s, op }, movePre);

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = { uffdMove } satisfies Steps;
