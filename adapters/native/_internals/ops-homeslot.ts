/**
 * set_mempolicy_home_node (POL-23) and KVM_SET_USER_MEMORY_REGION2 with pads (SLOT-20) on this
 * kernel. The home-node call walks every VMA of its range, so only the mapping's own pages may
 * reach the kernel's walk (a range past them could give Node's own VMAs a home node, or split
 * them): the argument checks run first on one page above the user address space, where no VMA
 * is (EINVAL, or ENOENT once they pass), then the mapping's own part runs for real. Holes add
 * nothing to the kernel's answer (they are skipped), so that is the whole range's answer in the
 * spec's address space, where only unmapped space surrounds a mapping.
 */
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { PAGE_SIZE as PAGE } from '../../../spec/vocab/handles.js';
import { USER_TOP, addrOf, pageEnd, reachesNothing, sizeT } from './addrspace.js';
import type { Ctx } from './context.js';
import { DEAD } from './ops-mm.js';
import { slotFd, userAddr } from './ops-kvm.js';
import { fromRc } from './outcomes.js';

const ENOENT = -2;

export const setMempolicyHomeNode = (c: Ctx, op: OpOf<'setMempolicyHomeNode'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const call = (a: bigint, l: bigint): number => c.b.setMempolicyHomeNode(a, l, op.node, op.flags);
  const addr = addrOf(m, op.offset);
  const size = sizeT(op.length);
  // A wrapping or empty range: the kernel answers before it looks at any VMA.
  if (reachesNothing(addr, size)) return fromRc(call(addr, size));
  const probe = call(USER_TOP + (addr & (PAGE - 1n)), PAGE);
  if (probe !== ENOENT) return fromRc(probe);
  const end = addr + ((size + PAGE - 1n) & ~(PAGE - 1n));
  const lo = addr > m.base ? addr : m.base;
  const hi = end < pageEnd(m) ? end : pageEnd(m);
  return fromRc(lo < hi ? call(lo, hi - lo) : ENOENT);
};

export const setMemoryRegionPad = (c: Ctx, op: OpOf<'setMemoryRegionPad'>): Outcome => {
  // SLOT-21: an O_PATH descriptor of the file, open only for the call (as setMemoryRegion).
  const path = op.gmem.kind === 'pathFd' ? c.b.openPath(c.t.fd(op.gmem.fd)) : -1;
  const gmemFd = path >= 0 ? path : slotFd(c, op.gmem);
  const rc = c.b.setMemoryRegionPad(c.t.vmFd(op.vm), op.slot, op.flags, op.gpa, op.size, userAddr(c, op.uaddr), gmemFd, op.gmemOffset, op.pad1, op.pad2);
  if (path >= 0) c.b.close(path);
  // The slot table (guest-access safety) records the slot as the zero-padded call would have made it.
  if (rc === 0) {
    c.t.slots.accepted({
      kind: 'setMemoryRegion', vm: op.vm, v1: false, slot: op.slot, flags: op.flags, gpa: op.gpa, size: op.size, uaddr: op.uaddr, gmem: op.gmem, gmemOffset: op.gmemOffset,
    });
  }
  return fromRc(rc);
};
