/**
 * The memslots the kernel accepted, per VM, as far as a real guest's safety needs them: where a
 * guest access to a GPA would reach host memory through userspace_addr. A memslot may be larger
 * than the mapping its userspace_addr names, or name a mapping that is gone; a guest access there
 * would make KVM read or write whatever this process has at that address (V8's heap, another
 * mapping). ops-guest.ts relocates such accesses (see there); this table says when.
 */
import { GMEM_FLAG, MEM, type FdHandle, type OpOf, type VmHandle } from '../../../spec/vocab/index.js';

export interface SlotRecord {
  readonly gfn: bigint;
  readonly npages: bigint;
  /** The mapping userspace_addr was taken from, and the offset into it (null: a NULL address). */
  readonly uaddr: { readonly map: number; readonly offset: bigint } | null;
  /**
   * Served from guest_memfd for every access (a GUEST_MEMFD slot bound to a file created with
   * MMAP: kvm_memslot_is_gmem_only), so userspace_addr is never used.
   */
  readonly gmemOnly: boolean;
}

export class SlotTable {
  private readonly byVm = new Map<VmHandle, Map<number, SlotRecord>>();
  /** Which gmem fd handles name a file created with MMAP (dups share the file). */
  private readonly mmapable = new Map<FdHandle, boolean>();
  private readonly types = new Map<VmHandle, number>();

  vmCreated(vm: VmHandle, type: number): void {
    this.types.set(vm, type);
  }

  vmType(vm: VmHandle): number | undefined {
    return this.types.get(vm);
  }

  fileCreated(fd: FdHandle, flags: bigint): void {
    this.mmapable.set(fd, (flags & GMEM_FLAG.MMAP) !== 0n);
  }

  fileDuplicated(from: FdHandle, to: FdHandle): void {
    const m = this.mmapable.get(from);
    if (m !== undefined) this.mmapable.set(to, m);
  }

  /** After a KVM_SET_USER_MEMORY_REGION(2) the kernel accepted: create, move, change or delete. */
  accepted(op: OpOf<'setMemoryRegion'>): void {
    if (op.slot >>> 16 !== 0) return; // another address space: the guest never uses it
    const slots = this.byVm.get(op.vm) ?? new Map<number, SlotRecord>();
    this.byVm.set(op.vm, slots);
    if (op.size === 0n) {
      slots.delete(op.slot);
      return;
    }
    const gmem = (op.flags & MEM.GUEST_MEMFD) !== 0 && op.gmem.kind === 'fd' && this.mmapable.get(op.gmem.fd) === true;
    const prior = slots.get(op.slot);
    slots.set(op.slot, {
      gfn: op.gpa >> 12n, npages: op.size >> 12n,
      // A flags-only change keeps the slot's address; only a new slot takes the op's.
      uaddr: prior ? prior.uaddr : op.uaddr.kind === 'map' ? { map: op.uaddr.map, offset: op.uaddr.offset } : null,
      gmemOnly: prior ? prior.gmemOnly : gmem,
    });
  }

  vmClosed(vm: VmHandle): void {
    this.byVm.delete(vm);
    this.types.delete(vm);
  }

  at(vm: VmHandle, gpa: bigint): SlotRecord | undefined {
    const gfn = gpa >> 12n;
    for (const s of this.byVm.get(vm)?.values() ?? []) if (gfn >= s.gfn && gfn < s.gfn + s.npages) return s;
    return undefined;
  }
}
