/**
 * O_DIRECT I/O between a scratch file on ext4 and a mapping (directIo, MAP-32). iomap first
 * refuses a length that is not a multiple of the device's logical block (EINVAL; 512 bytes, or
 * 4096 on a 4K-sector device), then pins the user buffer with GUP (FOLL_PIN; for write when reading
 * the file into the mapping) and moves the data by DMA. It stops at the first page it cannot pin —
 * private and EOF gmem pages, every page of a NO_DIRECT_MAP file (DMAP-5), the hole after the
 * mapping — after the pinned prefix was moved; ext4 then reports EFAULT (only filesystems passing
 * IOMAP_DIO_PARTIAL report the prefix as a count: GEN-DIO-PARTIAL). A buffer the device cannot DMA
 * to (its address below the device's DMA alignment) is refused with EINVAL, before or after the
 * pin fails (measured on 6.18.44: both, by the prefix's length), so such a request answers EINVAL or EFAULT and moves
 * nothing, unless the device takes it (then a prefix cut short is moved before the EFAULT: what
 * such a request leaves in the mapping's prefix is unspecified, either byte).
 */
import { err, ok } from '../vocab/index.js';
import { eitherOf, fact, only, rule, andThen, type Decision, type Rule } from '../rule.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { faultAroundAtEof, gupEither, gupFaultIn, gupStop, gupWrite, type GupStop } from './gup.js';
import { deadMap } from '../lifetime/handles.js';
import { readOut } from './kernel-access.js';
import { UNKNOWN } from '../state/bytes.js';
import { cowRange } from './page-io.js';
import { onMap, type Steps } from '../run.js';

type C = Ctx<'directIo'>;
type M = MapCtx<'directIo'>;

export const map32Fact = fact('MAP-32', 'MAP-32; fs/iomap/direct-io.c iomap_dio_bio_iter, block/bio.c bio_iov_iter_get_pages (FOLL_PIN), v7.2');
export const genDioPartial = fact('GEN-DIO-PARTIAL', 'fs/iomap/direct-io.c __iomap_dio_rw (EFAULT after a partial transfer unless IOMAP_DIO_PARTIAL), v7.2');

export const dioDead = deadMap<C>('EFAULT');
export const dioEmpty = rule<C>({
  id: 'MAP-32',
  cite: 'MAP-32; fs/iomap/direct-io.c __iomap_dio_rw (nothing to do → 0), v7.2',
  decide: ({ s, op }) => (op.len <= 0 ? only(s, ok({ count: 0, first: null })) : undefined),
});
/** GEN-DIO-ALIGN: iomap checks file position and length against the logical block before pinning anything. */
export const dioLength = rule<C>({
  id: 'GEN-DIO-ALIGN',
  cite: 'fs/iomap/direct-io.c iomap_dio_bio_iter ((pos | length) & (logical block - 1) → EINVAL), v7.2',
  decide: ({ s, op }) => (op.len % 512 !== 0 ? only(s, err('EINVAL')) : undefined),
});
/**
 * Nothing can be pinned from the buffer's first page: EFAULT from the pin — or, for a buffer off
 * 512-byte alignment, EINVAL from the alignment check where the kernel makes it first. Measured on
 * 7.2.13 (ext4 on virtio-blk, gmemcheck vm): EINVAL for such a buffer past the mapping's end and on
 * an EOF page; 6.18.44 on the host answered EFAULT (obs:DIO-05). A device whose DMA alignment is
 * finer than 512 bytes takes the buffer and fails the pin: EFAULT. Nothing moves either way, and
 * an EINVAL leaves the state as it was under either P-DIO-ALIGN.
 */
const nothingPinned = (s: C['s'], offset: bigint, efault: Decision): Decision =>
  (offset & 511n) !== 0n
    ? eitherOf(efault, only(s, err('EINVAL'), [map32Fact]), 'MAP-32: a misaligned buffer whose first page cannot be pinned is refused by the alignment check (EINVAL) or by the pin (EFAULT), as the kernel orders them')
    : efault;

/** Before or past the mapping nothing can be pinned. */
export const dioUnmapped = rule<C>({
  id: 'MAP-32',
  cite: 'MAP-32; block/bio.c bio_iov_iter_get_pages (nothing pinned → EFAULT), v7.2; measured on 7.2.13 (EINVAL first for a misaligned buffer)',
  decide: ({ s, op }) => {
    const m = s.maps.get(op.map);
    return m !== undefined && op.offset >= 0n && op.offset >> 12n < BigInt(m.pages) ? undefined : nothingPinned(s, op.offset, only(s, err('EFAULT'), [map32Fact]));
  },
});
export const dioPre = [dioDead, dioEmpty, dioLength, dioUnmapped] as const;

/**
 * P-DIO-ALIGN=CHECK-FIRST (7.2): iov_iter_extract_bvecs checks the buffer's address and length
 * against the device's DMA alignment before it pins any page (lib/iov_iter.c), so a buffer the
 * device refuses is EINVAL with the mapping untouched. One the device takes (a DMA alignment finer
 * than 512 bytes, such as NVMe's 4) is pinned; a cut-short pin is trimmed to whole blocks and, moving
 * a prefix of unknown length, fails with EFAULT (block/bio.c bio_iov_iter_align_down, v7.2), never
 * with a post-pin EINVAL: so every EINVAL here leaves the state as it was.
 */
interface Pinning {
  readonly g: GupStop;
  /** Bytes in the pinned prefix, and the page after the buffer. */
  readonly moved: number;
  readonly b: number;
  /** The state with the prefix faulted in, and with it also COW-broken where the DMA writes it. */
  readonly faulted: () => C['s'];
  readonly pinned: () => C['s'];
  readonly also: readonly Rule<never>[];
}
const checkFirst = (c: M, { g, moved, b, faulted, pinned, also }: Pinning): Decision => {
  const { s, op } = c;
  const refused = only(s, err('EINVAL'), [map32Fact]);
  const why = 'MAP-32 (P-DIO-ALIGN=CHECK-FIRST): a buffer off 512-byte alignment is refused before any pin (EINVAL, nothing faulted) unless the device\'s DMA alignment is finer';
  const into = !op.write;
  if (moved === 0) return eitherOf(refused, andThen(err('EFAULT'), faulted, also), why);
  if (g.stop < b) return eitherOf(refused, andThen(err('EFAULT'), into ? () => gupWrite(pinned(), op.map, op.offset, moved, UNKNOWN) : pinned, also), why);
  const counted = into ? andThen(ok({ count: moved, first: op.value }), () => gupWrite(faulted(), op.map, op.offset, moved, op.value), also) : readOut(faulted(), op.map, c.map, op.offset, moved, also);
  return eitherOf(refused, counted, why);
};

/**
 * The DMA: pin [offset, offset+len); move what was pinned; EFAULT (or the count) if that was not
 * all of it. A buffer below 512-byte alignment may be beyond the device's DMA alignment: pinned in
 * full it is moved or refused (EINVAL); pinned in part, the whole I/O fails (EFAULT) moving nothing.
 */
const dma = (c: M): Decision => {
  const { p, s, op, map } = c;
  const into = !op.write;
  const a = Number(op.offset >> 12n);
  const end = op.offset + BigInt(op.len);
  const b = Number((end + 4095n) >> 12n);
  return gupEither(gupStop(p, s, map, a, b, into), (g: GupStop) => {
    const stopByte = g.stop >= b ? end : BigInt(g.stop) * 4096n;
    const moved = stopByte > op.offset ? Number((stopByte < end ? stopByte : end) - op.offset) : 0;
    const also = [...(g.why ? [g.why] : []), map32Fact];
    const faulted = () => faultAroundAtEof(gupFaultIn(s, op.map, a, Math.min(g.stop, b), 'gup', !into), op.map, g, b, !into);
    const misaligned = (op.offset & 511n) !== 0n;
    // The pin faulted the prefix in (for write when reading into the mapping: a private mapping's
    // pages are COW-broken); a device that takes the buffer moves it, one that does not moves nothing.
    const pinned = () => (into ? cowRange(faulted(), op.map, a, Math.min(g.stop, b)) : faulted());
    if (misaligned && p.variants.dioAlign === 'CHECK-FIRST') return checkFirst(c, { g, moved, b, faulted, pinned, also });
    if (moved === 0) return nothingPinned(s, op.offset, andThen(err('EFAULT'), faulted, also));
    if (misaligned && g.stop < b) {
      const next = into ? () => gupWrite(pinned(), op.map, op.offset, moved, UNKNOWN) : pinned;
      // Measured on 6.18.44 (ext4, virtio-blk): a one-page prefix ends in EFAULT (obs:DIO-05), a
      // two-page prefix in EINVAL (obs:DIO-06, DIO-07): the bio built from the pinned prefix is checked
      // against the device's alignment before or after the pin stops, as the bio's size falls.
      return eitherOf(andThen(err('EFAULT'), next, also), andThen(err('EINVAL'), pinned, also),
        'MAP-32: a misaligned buffer cut short by a page it could not pin fails whole, with EFAULT or with the EINVAL of the alignment check');
    }
    const done = into ? () => gupWrite(faulted(), op.map, op.offset, moved, op.value) : faulted;
    const counted = into ? andThen(ok({ count: moved, first: op.value }), done, also) : readOut(faulted(), op.map, map, op.offset, moved, also);
    if (g.stop >= b) return misaligned ? eitherOf(counted, andThen(err('EINVAL'), pinned, also), 'MAP-32: whether the device can DMA to a buffer not aligned to 512 bytes is its DMA alignment (P-DIO-ALIGN=PIN-FIRST: checked after the pin)') : counted;
    return eitherOf(andThen(err('EFAULT'), done, [...also, genDioPartial]), counted, 'GEN-DIO-PARTIAL: a direct I/O cut short by a page it could not pin moves the pinned prefix, then reports EFAULT or that count, as the filesystem chooses');
  });
};

/** MAP-32: the DMA, where the length and the buffer suit the device; EINVAL where they may not. */
export const map32 = rule<M>({
  id: 'MAP-32',
  cite: 'MAP-32, DMAP-5; fs/iomap/direct-io.c iomap_dio_bio_iter; block/bio.c bio_iov_iter_get_pages (a misaligned vector fails the whole I/O), v7.2; measured on 6.18.44 (ext4 on virtio-blk)',
  decide: (c): Decision => {
    const d = dma(c);
    // A 4K-sector device refuses lengths that are only 512-byte multiples, before pinning.
    return c.op.len % 4096 === 0 ? d
      : eitherOf(d, only(c.s, err('EINVAL'), [map32Fact]), 'GEN-DIO-ALIGN: a length of whole 512-byte blocks is refused (EINVAL) on a device with 4096-byte logical blocks');
  },
});
export const dioMapChain = [map32] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  directIo: (p, s, o) => onMap({ p, s, op: o }, dioPre, o.map, dioMapChain),
} satisfies Steps;
