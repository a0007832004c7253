/**
 * Pins (MAP-33, MAP-36, MAP-37): IORING_REGISTER_BUFFERS takes a long-term write pin on every page
 * of the range or none (EFAULT); vmsplice into a pipe takes references to the pages it reaches
 * (for read), up to a full pipe. A pin holds folios, not file offsets: what it reads later is what
 * those folios hold then, in the page cache or not.
 */
import { PIPE_PAGES, err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import type { Folio, Pin } from '../state.js';
import { reachPage } from '../gup.js';

/** io_uring's cap on one registered buffer (SZ_1T). */
const IO_URING_MAX = 1n << 40n;

export const pin = (k: Kernel, op: OpOf<'pin'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  // The iovec import: a length that is a negative ssize_t.
  if (op.length >= 1n << 63n) return err('EINVAL');
  const uring = op.how === 'IO_URING';
  if (uring && op.length === 0n) return err('EFAULT');
  if (uring && k.profile.variants.iouringBufMax === '1G' && op.length > 1n << 30n) return err('EFAULT');
  if (uring && op.length > IO_URING_MAX) return err('EINVAL');
  // io_pin_pages: more pages than INT_MAX / 8 overflow its page array; a large array may not be allocated.
  const pages = ((op.offset & 4095n) + op.length + 4095n) / 4096n;
  if (uring && pages > 268_435_455n) return err('EOVERFLOW');
  if (uring && pages > 1n << 20n) return err('ENOMEM');
  if (!uring && op.length === 0n) {
    k.claim(k.pins, op.id, { how: 'VMSPLICE', inode: m.inode, fpage: 0, folios: [], start: 0, len: 0, consumed: 0 }, 'pin');
    return ok({ count: 0 });
  }
  if (op.offset < 0n) return err('EFAULT');
  const a = Number(op.offset / 4096n);
  const end = op.offset + op.length;
  let b = Number((end + 4095n) / 4096n);
  if (!uring && b - a > PIPE_PAGES) b = a + PIPE_PAGES;
  // Bug: io_uring pins a read-only mapping (FOLL_WRITE dropped from the long-term pin).
  const write = uring && !(m.inode.kind === 'gmem' && k.bug('iouring-pin-readonly'));
  const folios: Folio[] = [];
  for (let mp = a; mp < b; mp += 1) {
    const f = reachPage(k, m, mp, write, 'gup');
    if (!f) break;
    folios.push(f);
  }
  if (uring && folios.length < b - a) return err('EFAULT');
  if (folios.length === 0) return err('EFAULT');
  const limit = BigInt(b) * 4096n < end ? BigInt(b) * 4096n : end;
  const stop = folios.length < b - a ? BigInt(a + folios.length) * 4096n : limit;
  const len = Number(stop - op.offset);
  // Bug: vmsplice copies the bytes into the pipe (as splice from a file may) instead of referencing the pages.
  const held = !uring && m.inode.kind === 'gmem' && k.bug('vmsplice-pin-copies')
    ? folios.map((f) => ({ ...f, data: f.data ? f.data.slice() : null })) : folios;
  const p: Pin = { how: op.how, inode: m.inode, fpage: m.pgoff + a, folios: held, start: Number(op.offset % 4096n), len, consumed: 0 };
  k.claim(k.pins, op.id, p, 'pin');
  return ok({ count: uring ? Number(op.length) : len });
};

export const unpin = (k: Kernel, op: OpOf<'unpin'>): Outcome => {
  if (!k.pins.has(op.pin)) return err('EBADF');
  k.pins.delete(op.pin);
  return ok();
};

const byteAt = (p: Pin, at: number): number => {
  const x = p.start + at;
  const f = p.folios[Math.floor(x / 4096)];
  return f?.data ? f.data[x % 4096]! : 0;
};

export const pinRead = (k: Kernel, op: OpOf<'pinRead'>): Outcome => {
  const p = k.pins.get(op.pin);
  if (!p) return err('EBADF');
  if (p.how === 'IO_URING') {
    if (op.offset + BigInt(op.len) > BigInt(p.len)) return err('EFAULT');
    if (op.len === 0) return ok({ count: 0, first: null });
    return ok({ count: op.len, first: byteAt(p, Number(op.offset)) });
  }
  if (op.offset >= 1n << 63n) return err('EINVAL');
  if (op.offset !== 0n) return err('ESPIPE');
  if (op.len === 0) return ok({ count: 0, first: null });
  const left = p.len - p.consumed;
  if (left === 0) return err('EAGAIN');
  const count = Math.min(op.len, left);
  const first = byteAt(p, p.consumed);
  p.consumed += count;
  return ok({ count, first });
};
