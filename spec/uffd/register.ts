/**
 * UFFDIO_REGISTER on a mapping: generic checks (UFD-11), then vma_can_userfault: 6.18 refuses
 * gmem except async WP (UFD-1); the series accepts INIT_SHARED files (UFD-2, UFD-3 for sync WP);
 * shmem accepts every mode (GEN-UFFD-SHMEM); another context's range → EBUSY.
 */
import { staleWp } from './writeprotect.js';
import { UFFD_FEATURE, UFFD_MODE, err, ok } from '../vocab/index.js';
import { cases, fact, only, rule, andThen } from '../rule.js';
import { P, TASK_SIZE, aligned, type Ctx, type MapCtx } from '../ctx.js';
import { deadMap, ebadf } from '../lifetime/handles.js';
import { imEach, imFind, imSet } from '../state/imap.js';
import { withMap } from '../state/update.js';
import { onMap, type Steps } from '../run.js';

type C = Ctx<'uffdRegister'>;
type M = MapCtx<'uffdRegister'>;
/** uffdio_register.mode is a __u64: any bit outside these, 32..63 included, is EINVAL. */
const ALL_MODES = UFFD_MODE.MISSING | UFFD_MODE.WP | UFFD_MODE.MINOR;

export const regDead = ebadf<C>(({ s, op }) => !s.uffds.has(op.uffd));

/** UFD-11: a mode, page-aligned non-empty range, starting inside a VMA (dead map: none) → else EINVAL. */
export const ufd11Reg = rule<C>({
  id: 'UFD-11',
  cite: 'UFD-11; fs/userfaultfd.c userfaultfd_register, validate_range',
  decide: ({ s, op }) => {
    if (op.mode === 0n || (op.mode & ~ALL_MODES) !== 0n) return only(s, err('EINVAL'));
    if (!aligned(op.offset) || !aligned(op.length) || op.length <= 0n || op.offset < 0n) return only(s, err('EINVAL'));
    if (op.length > TASK_SIZE || op.offset + op.length > TASK_SIZE) return only(s, err('EINVAL'));
    const m = s.maps.get(op.map);
    return m === undefined || op.offset >> 12n >= BigInt(m.pages) ? only(s, err('EINVAL')) : undefined;
  },
});
export const regDeadMap = deadMap<C>('EFAULT');
export const regPre = [regDeadMap, regDead, ufd11Reg] as const;

const wpAsyncOnly = (c: M): boolean =>
  c.op.mode === UFFD_MODE.WP && ((c.s.uffds.get(c.op.uffd)?.features ?? 0n) & UFFD_FEATURE.WP_ASYNC) !== 0n;

export const ufd1Async = fact('UFD-1', 'UFD-1 (async WP-only may register any memory type)');

/** UFD-1 (6.18): gmem is neither anon, hugetlb nor shmem → EINVAL, except WP-only with WP_ASYNC. */
export const ufd1 = rule<M>({
  id: 'UFD-1',
  cite: 'UFD-1; S13 6.18 vma_can_userfault (obs:UF-G0-*, UF-G1-*, UF-P1-*)',
  decide: (c) => (c.ino.kind === 'gmem' && !wpAsyncOnly(c) && !c.p.features.uffd ? only(c.s, err('EINVAL')) : undefined),
});

/** UFD-2: under the series, only INIT_SHARED files can userfault (can_userfault). */
export const ufd2 = rule<M>({
  id: 'UFD-2',
  cite: 'UFD-2; S13 kvm_gmem can_userfault, SEED2',
  decide: (c) => (c.ino.kind === 'gmem' && !wpAsyncOnly(c) && !c.ino.initShared ? only(c.s, err('EINVAL')) : undefined),
});

/** UFD-3: synchronous WP on an INIT_SHARED gmem VMA: P-UFFD-WP. */
export const ufd3 = rule<M>({
  id: 'UFD-3',
  cite: 'UFD-3, §4 P-UFFD-WP; S13 vma_can_userfault',
  decide: (c) =>
    c.ino.kind === 'gmem' && !wpAsyncOnly(c) && (c.op.mode & UFFD_MODE.WP) !== 0n && c.p.variants.uffdWp === 'REJECT'
      ? only(c.s, err('EINVAL'))
      : undefined,
});

/** UFD-11: pages already registered by another context → EBUSY. */
export const ufd11Busy = rule<M>({
  id: 'UFD-11',
  cite: 'UFD-11; fs/userfaultfd.c userfaultfd_register (EBUSY)',
  decide: ({ s, op, map }) => {
    const a = Number(op.offset >> 12n);
    const b = Math.min(map.pages, Number((op.offset + op.length + P - 1n) >> 12n));
    return imFind(map.uffd, a, b, (r) => r !== undefined && r.uffd !== op.uffd) !== undefined ? only(s, err('EBUSY')) : undefined;
  },
});

export const genUffdShmem = fact('GEN-UFFD-SHMEM', 'fs/userfaultfd.c vma_can_userfault (shmem: all modes)');
export const ufd2Fact = fact('UFD-2', 'UFD-2 (MISSING and MINOR on INIT_SHARED gmem)');

/**
 * The mapped part of the range is registered with this context and mode. A page this context has
 * already registered with every requested mode bit keeps its registration (a superset stays:
 * MISSING|MINOR then MINOR leaves MISSING on); any other page takes exactly the new mode (MISSING
 * then MINOR drops MISSING). userfaultfd_register_range skips a VMA whose flags already contain
 * the request; measured on 6.18 with memfd.
 */
const registered = (m: M['map'], a: number, b: number, uffd: number, mode: bigint): M['map'] => {
  let out = m.uffd;
  let map = m;
  imEach(m.uffd, a, b, (x, y, cur) => {
    if (cur !== undefined && cur.uffd === uffd && (cur.mode & mode) === mode) return;
    out = imSet(out, x, y, { uffd, mode });
    // A page leaving WP keeps its uffd-wp bit or marker (UFD-20: stale, so maybe).
    if ((mode & UFFD_MODE.WP) === 0n) map = staleWp(map, x, y);
  });
  return { ...map, uffd: out };
};

export const registerOk = rule<M>({
  id: 'UFD-11',
  cite: 'UFD-11; mm/userfaultfd.c userfaultfd_register_range (skips a VMA already registered with the requested modes)',
  decide: (c) => {
    const { s, op, map } = c;
    const a = Number(op.offset >> 12n);
    const b = Math.min(map.pages, Number((op.offset + op.length + P - 1n) >> 12n));
    const also = c.ino.kind === 'memfd' ? [genUffdShmem] : wpAsyncOnly(c) ? [ufd1Async] : [ufd2Fact];
    const next = () => withMap(s, op.map, registered(map, a, b, op.uffd, op.mode));
    if ((op.offset + op.length + P - 1n) >> 12n <= BigInt(map.pages)) return andThen(ok(), next, also);
    // Past the mapping: validate_range refuses start+len beyond TASK_SIZE, which depends on the address.
    return cases([[ok(), next], [err('EINVAL'), () => s]], 'range past the mapping: EINVAL if start+len crosses TASK_SIZE, else the mapped part registers', also);
  },
});
export const regMapChain = [ufd1, ufd2, ufd3, ufd11Busy, registerOk] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  uffdRegister: (p, s, o) => onMap({ p, s, op: o }, regPre, o.map, regMapChain),
} satisfies Steps;
