/**
 * UFFDIO_COPY / ZEROPAGE / CONTINUE issued with no fault pending (GEN-UFFD-MFILL, UFD-6/7/8).
 * Pages are filled from the start until one fails; a partial success reports the bytes done.
 */
import { withWp } from './writeprotect.js';
import { withPoison } from './poison.js';
import { PAGE, err, ok, type Errno, type OpOf, type Profile } from '../vocab/index.js';
import { cases, eitherOf, fact, only, rule, andThen, type Decision } from '../rule.js';
import { TASK_SIZE, aligned, type Ctx, type MapCtx } from '../ctx.js';
import { deadMap, ebadf } from '../lifetime/handles.js';
import { EMPTY, imFind, imGet, imSet, imUpdate, type IMap } from '../state/imap.js';
import { fillPage } from '../state/bytes.js';
import { folio, policyEq } from '../state/folio.js';
import { withInode, withMap } from '../state/update.js';
import type { Inode, Mapping, SpecState } from '../state/types.js';
import { firstPrivate } from '../shareability/shared.js';
import { ufd6, ufd7, ufd8, ufd9 } from './fault.js';
import { onMap, type Steps } from '../run.js';
import { AROUND_LOOSE, maybeMappedIn, settled } from '../mmap/fault-around.js';

type C = Ctx<'uffdResolve'>;
type M = MapCtx<'uffdResolve'>;
/** The checks UFFDIO_POISON shares with the resolve ioctls (the same mfill_atomic entry). */
type CF = { readonly s: SpecState; readonly op: OpOf<'uffdResolve'> | OpOf<'uffdPoison'> };
type MF = { readonly p: Profile; readonly s: SpecState; readonly ino: Inode };

const deadUffd = ({ s, op }: CF): boolean => !s.uffds.has(op.uffd);
export const resDead = ebadf<C>(deadUffd);
export const poisonDead = ebadf<Ctx<'uffdPoison'>>(deadUffd);

/** GEN-UFFD-MFILL: page-aligned non-empty range (EINVAL), inside one registered VMA (ENOENT). */
const mfillRangeDecide = ({ s, op }: CF): Decision | undefined => {
  if (!aligned(op.offset) || !aligned(op.length) || op.length <= 0n || op.offset < 0n) return only(s, err('EINVAL'));
  const m = s.maps.get(op.map);
  const a = Number(op.offset >> 12n);
  const b = Number((op.offset + op.length) >> 12n);
  if (op.length > TASK_SIZE || op.offset + op.length > TASK_SIZE) return only(s, err('EINVAL'));
  if (m === undefined) return only(s, err('ENOENT'));
  if (b > m.pages) {
    // validate_range's "len > TASK_SIZE - start" depends on where the mapping sits.
    return cases([[err('ENOENT'), () => s], [err('EINVAL'), () => s]], 'past the mapping: EINVAL if start+len crosses TASK_SIZE, else ENOENT');
  }
  if (imFind(m.uffd, a, b, (r) => r === undefined) !== undefined) return only(s, err('ENOENT'));
  // The range must lie inside one VMA (find_dst_vma). A mapping is split wherever a VMA
  // attribute changes and merges back where neighbours are identical: the uffd context and
  // mode (vma_modify_flags_uffd), the VMA mempolicy (mbind), VM_HUGEPAGE (madvise) and VM_LOCKED (mlock).
  const uniform = <V>(im: IMap<V>, eq: (x: V | undefined, y: V | undefined) => boolean): boolean => {
    const first = imGet(im, a);
    return imFind(im, a, b, (v) => !eq(v, first)) === undefined;
  };
  const oneVma = uniform(m.uffd, (x, y) => x?.uffd === y?.uffd && x?.mode === y?.mode) && uniform(m.vmaPolicy, policyEq) && uniform(m.hugepage, (x, y) => x === y) && uniform(m.locked, (x, y) => x === y);
  return oneVma ? undefined : only(s, err('ENOENT'));
};
export const mfillRange = rule<C>({
  id: 'GEN-UFFD-MFILL',
  cite: 'mm/userfaultfd.c mfill_atomic, validate_dst_vma; fs/userfaultfd.c validate_range',
  decide: mfillRangeDecide,
});
export const poisonRange = rule<Ctx<'uffdPoison'>>({ ...mfillRange, decide: mfillRangeDecide });
export const resDeadMap = deadMap<C>('EFAULT');
export const poisonDeadMap = deadMap<Ctx<'uffdPoison'>>('EFAULT');
export const resPre = [resDeadMap, resDead, mfillRange] as const;

/** UFD-1 (6.18): a gmem VMA (registered for async WP only) is neither anon nor shmem → EINVAL. */
const notShmemDecide = ({ p, s, ino }: MF) => (ino.kind === 'gmem' && !p.features.uffd ? only(s, err('EINVAL')) : undefined);
export const mfillNotShmem = rule<M>({
  id: 'UFD-1',
  cite: 'UFD-1; mm/userfaultfd.c mfill_atomic (only anon/shmem/hugetlb VMAs)',
  decide: notShmemDecide,
});
export const poisonNotShmem = rule<MapCtx<'uffdPoison'>>({ ...mfillNotShmem, decide: notShmemDecide });

interface Stop { readonly at: number; readonly errs: readonly Errno[]; readonly why: ReturnType<typeof fact> }

/** The first page in [a, b) the resolve cannot fill, with the errno(s) it gives. */
const stopOf = (p: Profile, map: Mapping, ino: Inode, how: C['op']['how'], a: number, b: number): Stop | undefined => {
  const cands: Stop[] = [];
  const add = (at: number | undefined, errs: readonly Errno[], why: ReturnType<typeof fact>) => { if (at !== undefined) cands.push({ at, errs, why }); };
  add(imFind(map.ptes, a, b, (v) => v !== undefined), ['EEXIST'], how === 'CONTINUE' ? ufd7 : ufd6);
  const eof = ino.sizePages - map.pgoff;
  if (eof < b) {
    // shmem, P-SHMEM-UFFD-EOF: ≤ 7.1 CONTINUE's SGP_NOALLOC lookup past EOF is EINVAL and
    // COPY/ZEROPAGE's i_size check EFAULT (mm/shmem.c shmem_get_folio_gfp, shmem_mfill_atomic_pte);
    // 7.2's vm_uffd_ops: the alloc hook returns NULL (ENOMEM), a failed noalloc lookup is EFAULT
    // (mm/userfaultfd.c __mfill_atomic_pte, mfill_atomic_pte_continue). gmem: UFD-6 / P-UFFD-COPY-EOF.
    const ops = p.variants.shmemUffdEof === 'UFFD-OPS';
    const eofErrs: readonly Errno[] = ino.kind === 'memfd' ? [how === 'CONTINUE' ? (ops ? 'EFAULT' : 'EINVAL') : (ops ? 'ENOMEM' : 'EFAULT')]
      : how === 'CONTINUE' ? ['EFAULT'] : how === 'COPY' ? [p.variants.uffdCopyEof] : ['ENOMEM', 'EFAULT'];
    add(Math.max(a, eof), eofErrs, how === 'ZEROPAGE' ? ufd8 : ufd6);
  }
  const priv = firstPrivate(p, ino, map.pgoff + a, map.pgoff + b);
  if (priv !== undefined) add(priv - map.pgoff, ['EINVAL', 'EFAULT', 'EPERM', 'EACCES'], ufd9);
  const fa = map.pgoff + a;
  const fb = map.pgoff + Math.min(b, Math.max(a, eof));
  if (how === 'CONTINUE') {
    // P-MINOR-ZERO=MISSING: a folio never made up to date is not "present" for uffd, for the
    // CONTINUE lookup as for the MINOR fault (the in-fault resolve of ./fault.ts says the same).
    const missing = imFind(ino.folios, fa, fb, (f) => f === undefined || !(ino.kind === 'memfd' || p.variants.minorZero === 'CONTINUE-ZEROES' || f.uptodate));
    add(missing === undefined ? undefined : missing - map.pgoff, ['EFAULT'], ufd7);
  } else if (map.shared) {
    const present = imFind(ino.folios, fa, fb, (f) => f !== undefined && (ino.kind === 'memfd' || p.variants.minorZero === 'CONTINUE-ZEROES' || f.uptodate));
    add(present === undefined ? undefined : present - map.pgoff, ['EEXIST'], how === 'COPY' ? ufd6 : ufd8);
  }
  let best: Stop | undefined;
  for (const c of cands) if (best === undefined || c.at < best.at) best = c;
  return best;
};

/** Fill map pages [a, b) (all fillable): COPY/ZEROPAGE allocate and fill, CONTINUE maps. */
const fill = (s: SpecState, mapId: number, map0: Mapping, ino: Inode, how: C['op']['how'], value: number, a: number, b: number): SpecState => {
  // The new PTE replaces a poison marker (mfill_atomic_install_pte: pte_is_uffd_marker, UFD-22).
  const map = withPoison(map0, a, b, undefined);
  const fa = map.pgoff + a;
  const fb = map.pgoff + b;
  const ptes = imSet(map.ptes, a, b, true);
  if (how === 'CONTINUE') {
    const folios = imUpdate(ino.folios, fa, fb, (f) => (f === undefined || f.uptodate ? f : folio(true, f.dmapGone || ino.noDirectMap)));
    return withMap(withInode(s, { ...ino, folios }), mapId, withWp({ ...map, ptes }, a, b, undefined));
  }
  const v = how === 'COPY' ? value : 0;
  if (!map.shared) return withMap(s, mapId, withWp({ ...map, ptes, cow: imSet(map.cow, a, b, fillPage(v) ?? EMPTY) }, a, b, undefined));
  const inoNext = { ...ino, folios: imSet(ino.folios, fa, fb, folio(true, ino.noDirectMap)), data: imSet(ino.data, fa, fb, fillPage(v)) };
  return withMap(withInode(s, inoNext), mapId, withWp({ ...map, ptes }, a, b, undefined));
};

/**
 * UFD-6/7/8: fill until the first failing page. The ioctl succeeds only when the whole range was
 * filled; a filled prefix followed by a failing page is EAGAIN (mm/userfaultfd.c: the ioctl
 * returns -EAGAIN when the copied length differs from the requested one), and the prefix stays.
 */
export const mfill = rule<M>({
  id: 'UFD-6',
  cite: 'UFD-6, UFD-7, UFD-8, §4 P-UFFD-COPY-EOF; mm/userfaultfd.c mfill_atomic; S13; P-SHMEM-UFFD-EOF: mm/userfaultfd.c __mfill_atomic_pte, mfill_atomic_pte_continue and mm/shmem.c shmem_mfill_folio_alloc (v7.2)',
  decide: ({ p, s, op, map, ino }): Decision => {
    const a = Number(op.offset >> 12n);
    const b = Number((op.offset + op.length) >> 12n);
    const decideOn = (m: Mapping): Decision => {
      const st = stopOf(p, m, ino, op.how, a, b);
      const end = st === undefined ? b : st.at;
      const why = st?.why ?? (op.how === 'CONTINUE' ? ufd7 : op.how === 'ZEROPAGE' ? ufd8 : ufd6);
      if (end > a) {
        const filled = () => fill(s, op.map, m, ino, op.how, op.fill, a, end);
        return andThen(end === b ? ok({ count: (end - a) * PAGE }) : err('EAGAIN'), filled, [why]);
      }
      const errs = st!.errs;
      const s2 = m === map ? s : withMap(s, op.map, m);
      if (errs.length === 1) return only(s2, err(errs[0]!), [why]);
      return cases(errs.map((e) => [err(e), () => s2] as const), 'the errno for this resolve is not pinned down (UFD-6 P-UFFD-COPY-EOF, UFD-9)', [why]);
    };
    // GEN-FAULT-AROUND: pages an earlier read fault may have mapped; the fill stops with EEXIST
    // at the first one that was.
    const maybes = maybeMappedIn(map, a, b);
    if (maybes.length === 0) return decideOn(map);
    const known = settled(map, a, b);
    return maybes.reduce((d, q) => eitherOf(d, decideOn({ ...known, ptes: imSet(known.ptes, q, q + 1, true) }), AROUND_LOOSE), decideOn(known));
  },
});
export const resMapChain = [mfillNotShmem, mfill] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  uffdResolve: (p, s, o) => onMap({ p, s, op: o }, resPre, o.map, resMapChain),
} satisfies Steps;
