/**
 * guestAccess through a real guest (src/guest.cc): the first access in a VM gives it a vCPU and a
 * small code memslot of its own (slot id KVM_CAP_NR_MEMSLOTS - 2 at 32 GiB, which no generator
 * uses); each access runs the guest once and turns KVM_RUN's exit into an outcome.
 *
 * An access KVM would serve through a userspace_addr that is not inside the pages of the mapping
 * the slot names (a slot longer than its mapping, a mapping since unmapped, an address never
 * mapped) is relocated, as addrspace.ts does for host-side ranges: running it in place would let
 * the guest read or write whatever this process has there (V8's heap, another mapping). It runs
 * instead in a scratch VM of our own whose only slot maps the same GPA to a page of the dead zone,
 * so the kernel itself gives the answer an isolated address space (spec/README.md: nothing mapped
 * after a mapping) would give.
 */
import { IOCTL, err, errnoName, ok, type OpOf, type Outcome } from '../../../spec/vocab/index.js';
import { BadOpError, TargetBrokenError } from '../../../spec/vocab/errors.js';
import type { RawGuestAccess } from './binding.js';
import type { Ctx } from './context.js';
import { addrOf, unmapped, withinMap } from './addrspace.js';

/** KVM_CAP_NR_MEMSLOTS (include/uapi/linux/kvm.h). */
const CAP_NR_MEMSLOTS = 10;
/** KVM_MEMORY_EXIT_FLAG_PRIVATE (include/uapi/linux/kvm.h). */
const EXIT_PRIVATE = 1n << 3n;
/** KVM exit reasons a broken guest ends with (include/uapi/linux/kvm.h). */
const EXIT_NAMES: Readonly<Record<number, string>> = { 8: 'SHUTDOWN', 9: 'FAIL_ENTRY', 17: 'INTERNAL_ERROR' };
const PAGE = 4096n;
/** Below vm.mmap_min_addr (64 KiB by default) nothing can be mapped: a NULL-based slot's address there is safe. */
const MIN_MAPPABLE = 0x10000n;

/** The code memslot's id: the second-highest valid id (generators use 0..3, the highest and beyond). */
export const codeSlotId = (c: Ctx, vmFd: number): number => {
  const nr = c.b.ioctlInt(vmFd, IOCTL.KVM_CHECK_EXTENSION, CAP_NR_MEMSLOTS);
  return nr > 2 ? nr - 2 : 32;
};

const startGuest = (c: Ctx, vmFd: number, what: string): number => {
  const id = c.b.guestCreate(c.kvmFd, vmFd, codeSlotId(c, vmFd));
  if (typeof id !== 'number') throw new TargetBrokenError(`cannot start a guest in ${what}: ${id[0]} failed with ${errnoName(-id[1])}`);
  return id;
};

/** The guest of a VM, started on first use; why it could not start is a harness error. */
export const guestOf = (c: Ctx, vm: number, vmFd: number): number => {
  const have = c.t.guests.get(vm);
  if (have !== undefined) return have;
  if (c.t.vcpuZero.has(vm)) throw new BadOpError(`guestAccess: the sequence took vCPU id 0 of VM #${vm}, which the harness guest needs (ops-vcpu.ts)`);
  const id = startGuest(c, vmFd, `VM #${vm}`);
  c.t.guests.set(vm, id);
  return id;
};

const outcome = (r: RawGuestAccess, op: OpOf<'guestAccess'>): Outcome => {
  switch (r[0]) {
    case 0: return ok({ value: op.write ? op.value : r[1] });
    case 1: return { kind: 'exit', reason: 'MEMORY_FAULT', gpa: r[1], private: (r[2] & EXIT_PRIVATE) !== 0n };
    case 2: return { kind: 'exit', reason: 'MMIO', gpa: r[1] };
    case 3: return { kind: 'exit', reason: EXIT_NAMES[r[1]] ?? `EXIT_${r[1]}` };
    case 4: return err(errnoName(-r[1]));
    case 5: throw new BadOpError(`guestAccess: GPA 0x${op.gpa.toString(16)} does not fit a page table entry`);
  }
};

/**
 * Would KVM reach host memory that is not the slot's own mapping? Only for slots not served
 * entirely from guest_memfd; a type-0 VM has no private memory, so its other accesses all go
 * through userspace_addr.
 */
export const foreignAddress = (c: Ctx, op: Pick<OpOf<'guestAccess'>, 'vm' | 'gpa'>): boolean => {
  const s = c.t.slots.at(op.vm, op.gpa);
  if (s === undefined || s.gmemOnly) return false;
  const delta = op.gpa - s.gfn * PAGE;
  if (s.uaddr === null) return delta >= MIN_MAPPABLE;
  const m = c.t.liveMap(s.uaddr.map);
  if (m === undefined) return true;
  return !withinMap(m, addrOf(m, s.uaddr.offset + delta) & ~(PAGE - 1n), PAGE);
};

const relocated = (c: Ctx, op: OpOf<'guestAccess'>): Outcome => {
  const zone = c.deadZone;
  if (zone === undefined || !unmapped(c.vq, zone, zone + PAGE)) {
    throw new TargetBrokenError('guestAccess through a userspace_addr outside its mapping: no unmapped place to run it safely');
  }
  if (c.t.scratch === undefined) {
    const vmFd = c.b.ioctlInt(c.kvmFd, IOCTL.KVM_CREATE_VM, 0);
    if (vmFd < 0) throw new TargetBrokenError(`scratch VM for a relocated guest access: ${errnoName(-vmFd)}`);
    c.t.scratch = { vmFd, guest: startGuest(c, vmFd, 'the scratch VM') };
  }
  const { vmFd, guest } = c.t.scratch;
  const page = op.gpa & ~(PAGE - 1n);
  const rc = c.b.setMemoryRegion(vmFd, false, 0, 0, page, PAGE, zone, -1, 0n);
  if (rc < 0) throw new TargetBrokenError(`scratch memslot for a relocated guest access: ${errnoName(-rc)}`);
  try {
    return outcome(c.b.guestAccess(guest, op.gpa, op.write, op.value), op);
  } finally {
    c.b.setMemoryRegion(vmFd, false, 0, 0, page, 0n, zone, -1, 0n);
  }
};

export const guestAccess = (c: Ctx, op: OpOf<'guestAccess'>): Outcome => {
  const vmFd = c.t.vmFd(op.vm);
  // No VM fd: there is nothing to run a vCPU in; the kernel's answer to any VM ioctl on it.
  if (vmFd < 0) return err('EBADF');
  if (foreignAddress(c, op)) {
    if (c.t.slots.vmType(op.vm) !== 0) throw new TargetBrokenError('guestAccess through a foreign userspace_addr in a VM with private memory: cannot be relocated');
    return relocated(c, op);
  }
  return outcome(c.b.guestAccess(guestOf(c, op.vm, vmFd), op.gpa, op.write, op.value), op);
};
