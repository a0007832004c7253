/**
 * Pins on pages of a mapping (docs/kernel-surface.md G07, G12, G13): an io_uring ring with the
 * range registered as its fixed buffer (MAP-36: a long-term write pin, all or nothing) and a pipe
 * the range was vmspliced into (MAP-33: page references, as many pages as the pipe holds). Both
 * reach the pages through GUP as kernelAccess does (./gup.ts), and both then hold the *pages*, not
 * the file offsets: a later write through the file shows through the pin while the page stays in
 * the file, and after a punch, a truncation or the munmap of a private copy the pin keeps the page
 * it had, with the bytes it held then (MAP-37). `pinRead` reads through the pin: io_uring
 * WRITE_FIXED from the registered buffer, or read(2) of the pipe (which consumes what it reads).
 *
 * Which page a pin holds is kept per pin page (spec/state/types.ts PinSrc); `reconcilePins` runs
 * after every step and detaches the pages the step removed from the file or the mapping.
 */
import { PIPE_PAGES, err, ok, type Outcome } from '../vocab/index.js';
import { cases, eitherOf, fact, only, rule, andThen, type Decision, type Rule } from '../rule.js';
import { EMPTY, imEach, imGet, imSet, type IMap } from '../state/imap.js';
import { UNKNOWN, type PageBytes } from '../state/bytes.js';
import { setIn } from '../state/update.js';
import type { Ctx, MapCtx } from '../ctx.js';
import type { Pin, PinSrc, SpecState } from '../state/types.js';
import { gupEither, gupFaultIn, gupStop, type GupStop } from './gup.js';
import { cowRange } from './page-io.js';
import { deadMap, ebadf } from '../lifetime/handles.js';
import { must, onMap, type Steps } from '../run.js';
import type { Verdict } from '../verdict.js';

type C = Ctx<'pin'>;
type M = MapCtx<'pin'>;

/** 2^40: io_uring's cap on one registered buffer (7.2 io_validate_user_buf_range, SZ_1T). */
const IO_URING_MAX = 1n << 40n;
/** 2^30: the cap up to 6.18 (io_buffer_validate, SZ_1G), P-IOURING-BUFMAX. */
const IO_URING_MAX_618 = 1n << 30n;
/** A length with bit 63 set is a negative ssize_t: the iovec import refuses it (lib/iov_iter.c). */
const SSIZE_NEG = 1n << 63n;
/** io_pin_pages refuses more pages than INT_MAX / sizeof(struct page *) with EOVERFLOW. */
const MAX_PIN_PAGES = 268_435_455;
/** From here on the page array (8 bytes a page, kvmalloc) is large enough that its allocation may fail (ENOMEM). */
const BIG_PIN_PAGES = 1 << 20;

/** The pages io_uring's pin spans: the range rounded out to pages (the base is page-aligned). */
const uringPages = (offset: bigint, length: bigint): bigint => ((offset & 4095n) + length + 4095n) >> 12n;
const mayNotAllocate = (d: Decision, pages: bigint): Decision =>
  pages <= BigInt(BIG_PIN_PAGES) ? d : eitherOf(d, { allowed: [err('ENOMEM')], next: () => d.next(err('ENOMEM')) }, 'MAP-36: io_pin_pages allocates its page array (8 bytes a page) before it pins; a large one may fail');

export const map36Fact = fact('MAP-36', 'MAP-36; io_uring/memmap.c io_pin_pages (pin_user_pages_fast FOLL_WRITE|FOLL_LONGTERM, all or nothing: EFAULT), mm/gup.c check_vma_flags, v7.2');
export const map33Pin = fact('MAP-33', 'MAP-33; fs/splice.c vmsplice_to_pipe, iter_to_pipe (page references up to a full pipe), v7.2');
export const map37Fact = fact('MAP-37', 'MAP-37; mm/truncate.c truncate_inode_folio (a removed page lives while referenced), io_uring/rsrc.c io_release_ubuf, fs/pipe.c, v7.2');

const pinDeadMap = deadMap<C>('EFAULT');

/**
 * The iovec's length first (both paths import it: a length with bit 63 set is EINVAL), then
 * io_uring's own checks (a zero length is EFAULT, more than 1 TiB EINVAL) and vmsplice's (nothing
 * to splice: 0). A range before the mapping reaches nothing (EFAULT).
 */
export const pinArgs = rule<C>({
  id: 'MAP-36',
  cite: 'MAP-36, MAP-33, §4 P-IOURING-BUFMAX; lib/iov_iter.c copy_iovec_from_user ((ssize_t)len < 0 → EINVAL); io_uring/rsrc.c io_validate_user_buf_range (!len → EFAULT, > SZ_1T → EINVAL; 6.18 io_buffer_validate: > SZ_1G → EFAULT, obs:PIN-02); fs/splice.c vmsplice (empty iovec → 0), v7.2',
  decide: ({ p, s, op }) => {
    if (op.length >= SSIZE_NEG) return only(s, err('EINVAL'), op.how === 'VMSPLICE' ? [map33Pin] : undefined);
    if (op.how === 'IO_URING') {
      if (op.length === 0n) return only(s, err('EFAULT'));
      // P-IOURING-BUFMAX: up to 6.18 a buffer over 1 GiB is EFAULT; 7.2 allows 1 TiB (EINVAL past it).
      if (p.variants.iouringBufMax === '1G') return op.length > IO_URING_MAX_618 ? only(s, err('EFAULT')) : op.offset < 0n ? only(s, err('EFAULT')) : undefined;
      if (op.length > IO_URING_MAX) return only(s, err('EINVAL'));
      const pages = uringPages(op.offset, op.length);
      if (pages > BigInt(MAX_PIN_PAGES)) return only(s, err('EOVERFLOW'));
      if (op.offset < 0n) return mayNotAllocate(only(s, err('EFAULT')), pages);
    } else if (op.length === 0n) {
      return andThen(ok({ count: 0 }), () => addPin(s, op.id, { how: 'VMSPLICE', inode: -1, map: op.map, fpage: 0, mpage: 0, start: 0, len: 0, src: EMPTY, consumed: 0 }), [map33Pin]);
    }
    return op.offset < 0n ? only(s, err('EFAULT'), op.how === 'VMSPLICE' ? [map33Pin] : undefined) : undefined;
  },
});
export const pinPre = [pinDeadMap, pinArgs] as const;

const addPin = (s: SpecState, id: number, pin: Pin): SpecState => ({ ...s, pins: setIn(s.pins, id, pin) });

/** Where each page of a new pin is: a private mapping's COW copy if it has one, else the file's page. */
const pinSources = (s: SpecState, mapId: number, a: number, b: number): IMap<PinSrc> => {
  const map = s.maps.get(mapId)!;
  let src: IMap<PinSrc> = imSet(EMPTY as IMap<PinSrc>, 0, b - a, 'file');
  if (!map.shared) imEach(map.cow, a, b, (x, y, c) => { if (c !== undefined) src = imSet(src, x - a, y - a, 'cow'); });
  return src;
};

/** MAP-36: IORING_REGISTER_BUFFERS pins every page for write or none (EFAULT), faulting in and COW-breaking the ones before the failure. */
export const map36 = rule<M>({
  id: 'MAP-36',
  cite: 'MAP-36; io_uring/memmap.c io_pin_pages (partial pin → unpin, EFAULT); mm/gup.c (FOLL_WRITE breaks COW of a private mapping; the long-term write pin is allowed on shmem and on a guest_memfd mapping: no dirty tracking), v7.2',
  decide: (c) => {
    if (c.op.how !== 'IO_URING') return undefined;
    const { p, s, op } = c;
    const a = Number(op.offset >> 12n);
    const end = op.offset + op.length;
    const b = Number((end + 4095n) >> 12n);
    const decide = (g: GupStop): Decision => {
      const also = g.why === null ? [map36Fact] : [g.why, map36Fact];
      const upto = Math.min(g.stop, b);
      const touched = (): SpecState => cowRange(gupFaultIn(s, op.map, a, upto), op.map, a, upto);
      if (g.stop < b) return andThen(err('EFAULT'), touched, also);
      return andThen(ok({ count: Number(op.length) }), () => {
        const t = touched();
        return addPin(t, op.id, {
          how: 'IO_URING', inode: c.map.inode, map: op.map, fpage: c.map.pgoff + a, mpage: a, start: Number(op.offset & 4095n),
          len: Number(op.length), src: pinSources(t, op.map, a, b), consumed: 0,
        });
      }, also);
    };
    return mayNotAllocate(gupEither(gupStop(p, s, c.map, a, b, true, 'gup'), decide), uringPages(op.offset, op.length));
  },
});

/** MAP-33: vmsplice takes references to the pages GUP reaches (for read), at most a full pipe; nothing reached → EFAULT. */
export const map33Splice = rule<M>({
  id: 'MAP-33',
  cite: 'MAP-33; fs/splice.c iter_to_pipe (iov_iter_get_pages2: GUP for read, stops at the first page it cannot get or a full pipe; the pages spliced so far count), v7.2',
  decide: (c) => {
    const { p, s, op } = c;
    const a = Number(op.offset >> 12n);
    const end = op.offset + op.length;
    let b = Number((end + 4095n) >> 12n);
    if (b - a > PIPE_PAGES) b = a + PIPE_PAGES;
    const limit = BigInt(b) * 4096n < end ? BigInt(b) * 4096n : end;
    const decide = (g: GupStop): Decision => {
      const also = g.why === null ? [map33Pin] : [g.why, map33Pin];
      const stopByte = g.stop >= b ? limit : BigInt(g.stop) * 4096n;
      const moved = stopByte > op.offset ? Number(stopByte - op.offset) : 0;
      const upto = Math.min(g.stop, b);
      if (moved === 0) return andThen(err('EFAULT'), () => gupFaultIn(s, op.map, a, upto, 'gup', true), also);
      return andThen(ok({ count: moved }), () => {
        const t = gupFaultIn(s, op.map, a, upto, 'gup', true);
        const pages = Number((op.offset + BigInt(moved) + 4095n) >> 12n) - a;
        return addPin(t, op.id, {
          how: 'VMSPLICE', inode: c.map.inode, map: op.map, fpage: c.map.pgoff + a, mpage: a, start: Number(op.offset & 4095n),
          len: moved, src: pinSources(t, op.map, a, a + pages), consumed: 0,
        });
      }, also);
    };
    return gupEither(gupStop(p, s, c.map, a, b, false, 'gup'), decide);
  },
});
export const pinMapChain = [map36, map33Splice] as const;

// ---- unpin and pinRead ------------------------------------------------------------------------

export const unpinDead = ebadf<Ctx<'unpin'>>(({ s, op }) => !s.pins.has(op.pin));
/** GEN-UNPIN: the ring (after IORING_UNREGISTER_BUFFERS) or both pipe ends close: the references go. */
export const unpinRule = rule<Ctx<'unpin'>>({
  id: 'MAP-37',
  cite: 'MAP-37; io_uring/rsrc.c io_sqe_buffers_unregister, io_release_ubuf (unpin_user_folio); fs/pipe.c free_pipe_info (put the buffers), v7.2',
  decide: ({ s, op }) => andThen(ok(), () => ({ ...s, pins: setIn(s.pins, op.pin, undefined) })),
});

/** The byte at `k` bytes into the pin, wherever its page is now. */
export const pinByte = (s: SpecState, pin: Pin, k: number): number => {
  const at = pin.start + k;
  const page = Math.floor(at / 4096);
  const off = at % 4096;
  const src = imGet(pin.src, page);
  if (src === 'file') {
    const ino = s.inodes.get(pin.inode);
    const d = ino === undefined ? undefined : imGet(ino.data, pin.fpage + page);
    return d === undefined ? 0 : (imGet(d, off) ?? 0);
  }
  if (src === 'cow') {
    const d = imGet(s.maps.get(pin.map)?.cow ?? (EMPTY as IMap<PageBytes>), pin.mpage + page);
    return d === undefined ? 0 : (imGet(d, off) ?? 0);
  }
  return src === undefined ? 0 : (imGet(src, off) ?? 0);
};

const readOutcome = (s: SpecState, pin: Pin, k: number, count: number, next: () => SpecState, also: readonly Rule<never>[]): Decision => {
  const first = pinByte(s, pin, k);
  if (first !== UNKNOWN) return andThen(ok({ count, first }), next, also);
  const any = Array.from({ length: 256 }, (_, v) => [ok({ count, first: v }) as Outcome, next] as const);
  return cases(any, 'SHR-8 / P-CONV-CONTENT: the pinned byte was left unspecified by a conversion', also);
};

export const pinReadDead = ebadf<Ctx<'pinRead'>>(({ s, op }) => !s.pins.has(op.pin));
/**
 * MAP-37: what a pin reads is the page it holds. io_uring: the range must lie inside the
 * registered buffer (EFAULT), the count is the length. The pipe: read(2) from its head only
 * (pread on a pipe is ESPIPE), an empty non-blocking pipe is EAGAIN, and what is read is gone.
 */
export const pinReadRule = rule<Ctx<'pinRead'>>({
  id: 'MAP-37',
  cite: 'MAP-37; io_uring/rsrc.c validate_fixed_range (outside the buffer → EFAULT), io_uring/rw.c WRITE_FIXED; fs/read_write.c ksys_pread64 (pos < 0: EINVAL; no FMODE_PREAD: ESPIPE), fs/pipe.c pipe_read (O_NONBLOCK, empty: EAGAIN), v7.2',
  decide: ({ s, op }) => {
    const pin = s.pins.get(op.pin)!;
    if (pin.how === 'IO_URING') {
      if (op.offset + BigInt(op.len) > BigInt(pin.len)) return only(s, err('EFAULT'));
      if (op.len === 0) return only(s, ok({ count: 0, first: null }));
      return readOutcome(s, pin, Number(op.offset), op.len, () => s, []);
    }
    // pread: a negative loff_t is EINVAL before the fd is looked at, then a pipe is ESPIPE.
    if (op.offset >= SSIZE_NEG) return only(s, err('EINVAL'));
    if (op.offset !== 0n) return only(s, err('ESPIPE'));
    if (op.len === 0) return only(s, ok({ count: 0, first: null }));
    const left = pin.len - pin.consumed;
    if (left === 0) return only(s, err('EAGAIN'));
    const count = Math.min(op.len, left);
    return readOutcome(s, pin, pin.consumed, count, () => ({ ...s, pins: setIn(s.pins, op.pin, { ...pin, consumed: pin.consumed + count }) }), []);
  },
});

// ---- pins follow their pages ----------------------------------------------------------------

/**
 * After a step: every pinned page that the step took out of its file (the folio is gone: a punch,
 * a truncation, the file's release) or out of its mapping (the private copy is gone: munmap,
 * MADV_DONTNEED, truncation) keeps the bytes it had before the step (MAP-37).
 */
export const reconcilePins = (before: SpecState, after: SpecState): SpecState => {
  let pins = after.pins;
  for (const [id, pin] of after.pins) {
    let src = pin.src;
    imEach(pin.src, 0, Number.MAX_SAFE_INTEGER, (x, y, v) => {
      if (v === 'file') {
        const ino = after.inodes.get(pin.inode);
        const old = before.inodes.get(pin.inode);
        if (old === undefined) return;
        if (ino === undefined) { src = snapshot(src, x, y, old.data, pin.fpage); return; }
        imEach(ino.folios, pin.fpage + x, pin.fpage + y, (fx, fy, f) => {
          if (f === undefined) src = snapshot(src, fx - pin.fpage, fy - pin.fpage, old.data, pin.fpage);
        });
      } else if (v === 'cow') {
        const map = after.maps.get(pin.map);
        const old = before.maps.get(pin.map);
        if (old === undefined) return;
        if (map === undefined) { src = snapshot(src, x, y, old.cow, pin.mpage); return; }
        imEach(map.cow, pin.mpage + x, pin.mpage + y, (cx, cy, c) => {
          if (c === undefined) src = snapshot(src, cx - pin.mpage, cy - pin.mpage, old.cow, pin.mpage);
        });
      }
    });
    if (src !== pin.src) pins = setIn(pins, id, { ...pin, src });
  }
  return pins === after.pins ? after : { ...after, pins };
};

/** Pin pages [x, y) now hold the bytes `data` had at pages [base + x, base + y). */
const snapshot = (src: IMap<PinSrc>, x: number, y: number, data: IMap<PageBytes>, base: number): IMap<PinSrc> => {
  let out = imSet(src, x, y, EMPTY as PageBytes);
  imEach(data, base + x, base + y, (dx, dy, d) => { if (d !== undefined) out = imSet(out, dx - base, dy - base, d); });
  return out;
};

/** The first file page in [a, b) of an inode that a pin holds (its src is still the file's page). */
export const firstPinned = (s: SpecState, inode: number, a: number, b: number): number | undefined => {
  let best: number | undefined;
  for (const pin of s.pins.values()) {
    if (pin.inode !== inode) continue;
    imEach(pin.src, Math.max(0, a - pin.fpage), b - pin.fpage, (x, _y, v) => {
      if (v === 'file' && (best === undefined || pin.fpage + x < best)) best = pin.fpage + x;
      return v === 'file';
    });
  }
  return best;
};

/** Pins on file pages [a, b) of an inode take their pages with them now (the kernel replaced the file's pages). */
export const detachPins = (s: SpecState, inode: number, a: number, b: number): SpecState => {
  const ino = s.inodes.get(inode);
  if (ino === undefined) return s;
  let pins = s.pins;
  for (const [id, pin] of s.pins) {
    if (pin.inode !== inode) continue;
    let src = pin.src;
    imEach(pin.src, Math.max(0, a - pin.fpage), b - pin.fpage, (x, y, v) => {
      if (v === 'file') src = snapshot(src, x, y, ino.data, pin.fpage);
    });
    if (src !== pin.src) pins = setIn(pins, id, { ...pin, src });
  }
  return pins === s.pins ? s : { ...s, pins };
};

/** The verdict with reconcilePins applied to every next state (spec/step.ts). */
export const followPins = (s: SpecState, v: Verdict<SpecState>): Verdict<SpecState> =>
  s.pins.size === 0 ? v : { ...v, next: (o) => reconcilePins(s, v.next(o)) };

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  pin: (p, s, o) => onMap({ p, s, op: o }, pinPre, o.map, o.how === 'IO_URING' ? pinMapChain : [map33Splice]),
  unpin: (p, s, o) => must({ p, s, op: o }, [unpinDead, unpinRule]),
  pinRead: (p, s, o) => must({ p, s, op: o }, [pinReadDead, pinReadRule]),
} satisfies Steps;
