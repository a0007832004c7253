/**
 * Kernel-side accesses to a mapping (kernelAccess), futex and O_DIRECT I/O. Each range goes
 * through addrspace.place(): a range that leaves the mapping is issued on the mapping's own part
 * (the kernel stops at the hole after it, as at any unmapped gap), and a range wholly outside it in
 * the dead zone, where every call that would write memory is issued as its reading twin (the
 * answer is the same there: nothing is mapped to reach).
 */
import { KERNEL_ACCESS_CALL, FUTEX_OP, MADV, err, ok, type KernelAccessCall } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { TargetBrokenError } from '../../../spec/vocab/errors.js';
import { addrOf, pageEnd, place } from './addrspace.js';
import type { Ctx } from './context.js';
import { fromRc } from './outcomes.js';
import { DEAD } from './ops-mm.js';
import { openDioScratch } from './scratch.js';

/** The reading twin of each call that writes memory (used in the dead zone). */
const READING: Readonly<Partial<Record<KernelAccessCall, KernelAccessCall>>> = {
  process_vm_writev: 'process_vm_readv', proc_mem_write: 'proc_mem_read', pipe_read_into: 'pipe_write_from', pvm_local_read: 'pvm_local_write',
};
/** What a call answers when it reaches nothing (no safe place to issue it). */
const NONE: Readonly<Record<KernelAccessCall, 'EFAULT' | 'EIO'>> = {
  process_vm_readv: 'EFAULT', process_vm_writev: 'EFAULT', proc_mem_read: 'EIO', proc_mem_write: 'EIO', vmsplice: 'EFAULT',
  pipe_read_into: 'EFAULT', pipe_write_from: 'EFAULT', pvm_local_read: 'EFAULT', pvm_local_write: 'EFAULT',
};

const countFirst = ([rc, first]: [number, number]): Outcome => fromRc(rc, (count) => ({ count, first: count > 0 ? first : null }));

export const kernelAccess = (c: Ctx, op: OpOf<'kernelAccess'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const len = BigInt(op.len);
  const p = place(c.vq, m, op.offset, len, c.deadZone, { split: true });
  if (p.kind === 'none') return err(NONE[op.call]);
  const call = p.kind === 'relocated' ? (READING[op.call] ?? op.call) : op.call;
  const own = p.kind === 'split' ? p.ownLen : len;
  return countFirst(c.b.kernelAccess(KERNEL_ACCESS_CALL[call], p.addr, len, own, op.value));
};

/** A word with nowhere safe to go is issued at the same in-page offset of page 0, which nothing maps. */
export const futex = (c: Ctx, op: OpOf<'futex'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const p = place(c.vq, m, op.offset, 4n, c.deadZone, { split: false });
  const addr = p.kind === 'none' || p.kind === 'split' ? BigInt.asUintN(64, op.offset) & 4095n : p.addr;
  return fromRc(c.b.futex(addr, FUTEX_OP[op.op], op.value), (woken) => ({ woken }));
};

export const directIo = (c: Ctx, op: OpOf<'directIo'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  if (c.dio === undefined) {
    const s = openDioScratch(c.b);
    if ('why' in s) throw new TargetBrokenError(`directIo: ${s.why}`);
    c.dio = s.fd;
  }
  const len = BigInt(op.len);
  if (len === 0n) return ok({ count: 0, first: null });
  // A request aligned to 512 bytes that runs past the mapping pins the mapping's own pages, moves
  // them, and then fails on the hole after it (ext4 reports EFAULT for a DMA it could not pin
  // whole): its own part is issued, then the rest in the dead zone, whose EFAULT wins (issue()).
  // Anything else that leaves the mapping is issued whole in the dead zone, where nothing is mapped
  // for the DMA to reach (its direction kept: the two check the length in different orders).
  const aligned = ((op.offset | len) & 511n) === 0n;
  const p = place(c.vq, m, op.offset, len, c.deadZone, { split: aligned });
  if (p.kind === 'none') return err('EFAULT');
  const dio = c.dio;
  const at = (addr: bigint, n: bigint, write: boolean): Outcome => countFirst(c.b.directIo(dio, addr, n, write, op.value));
  if (p.kind === 'split') {
    const own = at(p.addr, p.ownLen, op.write);
    return own.kind !== 'ok' ? own : at(p.rest, p.restLen, true);
  }
  if (p.kind === 'relocated' && !aligned && (len & 511n) === 0n) {
    // A misaligned buffer that starts in the mapping is pinned up to the hole (faulting those pages
    // in, for write when reading into it) before the whole I/O fails; the relocated request cannot
    // reach them, so the same GUP fault-in is done on them first (MADV_POPULATE_*, MAP-9).
    const addr = addrOf(m, op.offset);
    if (addr >= m.base && addr < pageEnd(m)) c.b.madvise(addr & ~4095n, pageEnd(m) - (addr & ~4095n), op.write ? MADV.POPULATE_READ : MADV.POPULATE_WRITE);
  }
  return at(p.addr, len, op.write);
};
