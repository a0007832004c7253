/**
 * Kernel-side accesses to a mapping — process_vm_readv/writev (remote side), /proc/self/mem,
 * vmsplice, user copies through a pipe or the local side of process_vm_* — plus futex, O_DIRECT
 * (MAP-9, MAP-31..35) and mincore (MAP-13).
 */
import { FUTEX_OP, PIPE_PAGES, err, ok } from '../../../spec/vocab/index.js';
import type { KernelAccessCall, OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { reachPage, type Reach } from '../gup.js';
import { aligned } from '../i64.js';

/** How each call reaches the mapping, which way the data goes, and how it answers. */
const CALLS: { readonly [K in KernelAccessCall]: { readonly reach: Reach; readonly into: boolean; readonly none: 'EFAULT' | 'EIO'; readonly pipe?: 'buffers' | 'pages' } } = {
  process_vm_readv: { reach: 'gup', into: false, none: 'EFAULT' },
  process_vm_writev: { reach: 'gup', into: true, none: 'EFAULT' },
  proc_mem_read: { reach: 'force', into: false, none: 'EIO' },
  proc_mem_write: { reach: 'force', into: true, none: 'EIO' },
  vmsplice: { reach: 'gup', into: false, none: 'EFAULT', pipe: 'pages' },
  pipe_read_into: { reach: 'copy', into: true, none: 'EFAULT', pipe: 'buffers' },
  pipe_write_from: { reach: 'copy', into: false, none: 'EFAULT', pipe: 'buffers' },
  pvm_local_read: { reach: 'copy', into: true, none: 'EFAULT' },
  pvm_local_write: { reach: 'copy', into: false, none: 'EFAULT' },
};

interface Moved { readonly bytes: number; readonly first: number | null; readonly stopped: boolean }

/** Moves [offset, end) page by page until a page cannot be reached; writes `value` when `into`. */
const walk = (k: Kernel, m: NonNullable<ReturnType<Kernel['liveMap']>>, offset: bigint, end: bigint, into: boolean, reach: Reach, value: number, privateOk = false): Moved => {
  let bytes = 0;
  let first: number | null = null;
  let at = offset;
  while (at < end) {
    const mp = Number(at / 4096n);
    const folio = mp < m.npages ? reachPage(k, m, mp, into, reach, privateOk) : null;
    if (!folio) return { bytes, first, stopped: true };
    const from = Number(at % 4096n);
    const to = end - BigInt(mp) * 4096n >= 4096n ? 4096 : Number(end % 4096n);
    if (into) {
      folio.data ??= new Uint8Array(4096);
      folio.data.fill(value & 0xff, from, to);
    }
    first ??= folio.data ? folio.data[from]! : 0;
    bytes += to - from;
    at = BigInt(mp + 1) * 4096n;
  }
  return { bytes, first, stopped: false };
};

/**
 * Bytes move page by page; the first page the path cannot reach ends the transfer: a short count,
 * or the path's errno if nothing counted. A pipe counts whole buffers (4096-byte pieces of the
 * transfer); vmsplice takes no more pages than the pipe holds.
 */
export const kernelAccess = (k: Kernel, op: OpOf<'kernelAccess'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  if (op.len <= 0) return ok({ count: 0, first: null });
  const c = CALLS[op.call];
  if (op.offset < 0n) return err(c.none);
  let end = op.offset + BigInt(op.len);
  if (c.pipe === 'pages') {
    const cap = (op.offset / 4096n + BigInt(PIPE_PAGES)) * 4096n;
    if (end > cap) end = cap;
  }
  const gmem = m.inode.kind === 'gmem';
  // Bug: vmsplice's read-only GUP skips the fault handler's shareability check (private bytes leak).
  const r = walk(k, m, op.offset, end, c.into, c.reach, op.value, gmem && op.call === 'vmsplice' && k.bug('vmsplice-private-pins'));
  // Bug: a pipe copy counts the bytes of a buffer it could not finish.
  const bytesCounted = gmem && k.bug('pipe-copy-counts-bytes');
  const count = c.pipe === 'buffers' && r.stopped && !bytesCounted ? r.bytes - (r.bytes % 4096) : r.bytes;
  // Bug: /proc/self/mem reports EFAULT, not EIO, when it moved nothing.
  if (count === 0) return err(c.none === 'EIO' && gmem && k.bug('proc-mem-efault') ? 'EFAULT' : c.none);
  return ok({ count, first: c.into ? op.value & 0xff : r.first });
};

/**
 * futex: the op word (ENOSYS for CLOCK_REALTIME on WAKE and unknown commands), u32 alignment,
 * then the key. A shared key pins the page (for write, then for read); WAKE_PRIVATE needs nothing;
 * WAIT_PRIVATE reads the word through the page tables. WAIT has a zero timeout.
 */
export const futex = (k: Kernel, op: OpOf<'futex'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  const word = FUTEX_OP[op.op];
  const cmd = word & ~(128 | 256 | 512 | 1024);
  if ((word & 256) !== 0 || (cmd !== 0 && cmd !== 1)) return err('ENOSYS');
  if ((op.offset & 3n) !== 0n) return err('EINVAL');
  const mp = op.offset >= 0n ? Number(op.offset / 4096n) : -1;
  // Bug: a private key is resolved with GUP like a shared one.
  if (op.op === 'WAKE_PRIVATE' && !(k.bug('futex-private-gup') && m.inode.kind === 'gmem' && mp >= 0 && mp < m.npages)) return ok({ woken: 0 });
  if (op.op === 'WAKE_PRIVATE') return reachPage(k, m, mp, false, 'gup') ? ok({ woken: 0 }) : err('EFAULT');
  if (mp < 0 || mp >= m.npages) return err('EFAULT');
  const writable = op.op === 'WAIT_PRIVATE' ? null : reachPage(k, m, mp, true, 'gup');
  const folio = op.op === 'WAIT_PRIVATE' ? reachPage(k, m, mp, false, 'copy') : (writable ?? reachPage(k, m, mp, false, 'gup'));
  if (!folio) return err('EFAULT');
  // get_futex_key: a read-only pin of an anonymous page (a private copy) makes no key.
  if (op.op !== 'WAIT_PRIVATE' && writable === null && m.anon.get(m.pgoff + mp) === folio) return err('EFAULT');
  if (cmd === 1) return ok({ woken: 0 });
  const at = Number(op.offset % 4096n);
  const bytes = folio.data ? folio.data.subarray(at, at + 4) : new Uint8Array(4);
  const current = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
  return err(current === op.value ? 'ETIMEDOUT' : 'EAGAIN');
};

/**
 * O_DIRECT to an emulated ext4 file on a device with 512-byte logical blocks and a 4-byte DMA
 * alignment (what the development host's virtio disk showed): a length not a multiple of 512 is
 * EINVAL; then the buffer is pinned (GUP; for write when reading into the mapping) and moved. A
 * pin cut short fails with EFAULT after the prefix moved (ext4 passes no IOMAP_DIO_PARTIAL); a
 * buffer not 4-byte aligned is refused: EFAULT if its pin failed, EINVAL otherwise, moving nothing
 * (P-DIO-ALIGN=PIN-FIRST), or EINVAL before any pin (CHECK-FIRST).
 */
export const directIo = (k: Kernel, op: OpOf<'directIo'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  if (op.len <= 0) return ok({ count: 0, first: null });
  if (op.len % 512 !== 0) return err('EINVAL');
  const misaligned = (op.offset & 3n) !== 0n;
  // P-DIO-ALIGN=CHECK-FIRST (7.2): the extraction checks the address against the DMA alignment
  // before it pins a page, so the refusal leaves the mapping untouched (before it or past it too).
  if (misaligned && k.profile.variants.dioAlign === 'CHECK-FIRST') return err('EINVAL');
  if (op.offset < 0n) return err('EFAULT');
  const into = !op.write;
  // Bug: the DMA path pins private gmem pages (no shareability check on FOLL_PIN).
  const privateOk = m.inode.kind === 'gmem' && k.bug('odirect-private-dma');
  const end = op.offset + BigInt(op.len);
  if (misaligned) {
    // PIN-FIRST (6.18): pinned page by page (faulting them in), then refused whole: nothing is moved.
    for (let at = op.offset; at < end; at = (at / 4096n + 1n) * 4096n) {
      const mp = Number(at / 4096n);
      if (mp >= m.npages || !reachPage(k, m, mp, into, 'gup', privateOk)) return err('EFAULT');
    }
    return err('EINVAL');
  }
  const r = walk(k, m, op.offset, end, into, 'gup', op.value, privateOk);
  if (r.bytes === 0 || r.stopped) return err('EFAULT');
  return ok({ count: r.bytes, first: into ? op.value & 0xff : r.first });
};

/**
 * mincore: start must be page-aligned (EINVAL), the range mapped (ENOMEM). A page is resident if
 * this VMA maps it or its page-cache folio is up to date: fallocated-only pages are not (MAP-13).
 */
export const mincore = (k: Kernel, op: OpOf<'mincore'>): Outcome => {
  // Dead map: not issued; EFAULT before anything else (spec/vocab/CONVENTIONS.md).
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  if (!aligned(op.offset) || op.offset < 0n) return err('EINVAL');
  if (op.pages <= 0) return ok([]);
  const s = Number(op.offset / 4096n);
  if (s + op.pages > m.npages) return err('ENOMEM');
  const out: boolean[] = [];
  for (let mp = s; mp < s + op.pages; mp += 1) {
    const page = m.pgoff + mp;
    if (m.ptes.has(page) || m.anon.has(page)) {
      out.push(true);
      continue;
    }
    const f = m.inode.folios.get(page);
    out.push((f?.uptodate ?? m.inode.alloc.get(page)?.uptodate ?? false) || (m.inode.kind === 'gmem' && k.bug('mincore-fallocated') && m.inode.alloc.has(page)));
  }
  return ok(out);
};
