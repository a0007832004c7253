/**
 * Page-cache hints on a gmem or memfd fd (FIO-22, FIO-24): posix_fadvise, readahead and
 * sync_file_range. Both files sit behind noop_backing_dev_info (the pseudo filesystems and the
 * internal tmpfs mount have no backing device), so generic_fadvise accepts the six advice values
 * and does nothing, and sync_file_range finds nothing to write back; none of them changes a byte
 * or a page's residency. Check orders (v7.2):
 *  - fadvise64_64: the fd; generic_fadvise: len < 0, and since "[PATCH v2] mm/fadvise: validate
 *    offset in generic_fadvise" (Kevin Lourenco, 8 Feb 2026) offset < 0, EINVAL; then the advice.
 *  - readahead: the fd, FMODE_READ, a mapping with a_ops, S_ISREG, then IS_ANON_FILE (gmem:
 *    EINVAL); memfd goes on to vfs_fadvise(WILLNEED) with the size_t count as a loff_t length.
 *  - sync_file_range: the fd, unknown flags, offset < 0, offset + nbytes < 0 (as a loff_t that
 *    wraps), the end below the offset, all EINVAL; a regular file then syncs nothing: 0.
 */
import { err, ok, type OpOf, type Profile } from '../vocab/index.js';
import { cases, only, rule, type Decision } from '../rule.js';
import type { Ctx, FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import type { SpecState } from '../state/types.js';
import { onFile, type Steps } from '../run.js';
import { asLoff } from './file-state.js';

type C = Ctx<'fdAdvise'>;
type F = FileCtx<'fdAdvise'>;
type Op = OpOf<'fdAdvise'>;

const SYNC_FILE_RANGE_VALID = 7;
const FADV_MAX = 5;

export const adviseDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));

/**
 * Does generic_fadvise refuse a negative offset? Not on 6.18 (measured on memfd, obs:FDC-10); since
 * the Feb 2026 patch it does (v7.2). The profiles carry no release number: P-FSMAGIC=ANON is the
 * 6.18 file; a GMEMFS kernel may be from before the patch or after it, so both are allowed there.
 */
const negOffsetModels = (p: Profile): readonly ('accept' | 'einval')[] => (p.variants.fsMagic === 'ANON' ? ['accept'] : ['accept', 'einval']);

/** generic_fadvise on a noop bdi: len, offset, then the advice (an int: anything but 0..5 is EINVAL). */
const fadvise = (p: Profile, s: SpecState, offset: bigint, len: bigint, advice: number): Decision => {
  if (len < 0n) return only(s, err('EINVAL'));
  const known = advice >= 0 && advice <= FADV_MAX;
  // An unknown advice is EINVAL whether or not the offset is checked first.
  if (offset >= 0n || !known) return only(s, known ? ok() : err('EINVAL'));
  const models = negOffsetModels(p);
  if (models.length === 1) return only(s, ok());
  return cases([[ok(), () => s], [err('EINVAL'), () => s]], 'FIO-24: a negative fadvise offset is accepted before "mm/fadvise: validate offset in generic_fadvise" (Feb 2026) and EINVAL since');
};

/** FIO-24: posix_fadvise succeeds without effect for the six advice values; readahead refuses gmem (EINVAL). */
export const fio24 = rule<F>({
  id: 'FIO-24',
  cite: 'FIO-24; mm/fadvise.c ksys_fadvise64_64, generic_fadvise (noop bdi); mm/readahead.c ksys_readahead (IS_ANON_FILE); "[PATCH v2] mm/fadvise: validate offset in generic_fadvise" (Kevin Lourenco, 8 Feb 2026), v7.2 (obs:DM-20, FDC-10)',
  decide: ({ p, s, op, ino }) => {
    if (op.call === 'fadvise') return fadvise(p, s, op.offset, op.len, op.word | 0);
    if (op.call !== 'readahead') return undefined;
    if (ino.kind === 'gmem') return only(s, err('EINVAL'));
    // The size_t count arrives in vfs_fadvise as a loff_t length.
    return fadvise(p, s, op.offset, op.len, 3);
  },
});

/** sync_file_range's argument checks, in the kernel's order. */
const syncRangeBad = (op: Op): boolean => {
  if ((op.word & ~SYNC_FILE_RANGE_VALID) !== 0) return true;
  const end = asLoff(op.offset + op.len);
  return op.offset < 0n || end < 0n || end < op.offset;
};

/** FIO-22: sync_file_range checks its arguments, then has nothing to write back: 0. */
export const fio22Range = rule<F>({
  id: 'FIO-22',
  cite: 'FIO-22; fs/sync.c ksys_sync_file_range, sync_file_range (VALID_FLAGS, offset and endbyte checks; filemap_fdatawrite_range on a mapping that cannot write back), v7.2 (obs:FDC-10)',
  decide: ({ s, op }) => (op.call === 'syncFileRange' ? only(s, syncRangeBad(op) ? err('EINVAL') : ok()) : undefined),
});
export const adviseChain = [fio24, fio22Range] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fdAdvise: (p, s, o) => onFile({ p, s, op: o }, [adviseDead], o.fd, () => adviseChain),
} satisfies Steps;
