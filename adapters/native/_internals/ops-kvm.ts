/** VM, capability, memslot and memory-attribute ops (numbers from spec/vocab/uapi.ts). */
import { CONVENTION, IOCTL, type OpOf, type Outcome, type SlotFd, type UserAddr } from '../../../spec/vocab/index.js';
import { addrOf } from './addrspace.js';
import type { Ctx } from './context.js';
import { create } from './context.js';
import { fromRc } from './outcomes.js';

/** The stand-ins for SlotFd 'notOpen' and UserAddr 'unaligned' (spec/vocab/conventions.ts, shared with the reproducer). */
const { NOT_OPEN_FD, UNALIGNED_UADDR } = CONVENTION;

export const createVm = (c: Ctx, op: OpOf<'createVm'>): Outcome => {
  const rc = create(c.t.vms, op.id, 'vm', () => c.b.ioctlInt(c.kvmFd, IOCTL.KVM_CREATE_VM, op.type));
  // A created VM's type is a small number: KVM_CREATE_VM refuses any other (ENV-10).
  if (rc >= 0) c.t.slots.vmCreated(op.id, Number(op.type));
  return fromRc(rc);
};

export const closeVm = (c: Ctx, op: OpOf<'closeVm'>): Outcome => {
  // The guest's vCPU holds a reference to the VM: it goes first, as if the guest had never run.
  const g = c.t.guests.get(op.vm);
  if (g !== undefined) {
    c.b.guestDestroy(g);
    c.t.guests.delete(op.vm);
  }
  const rc = c.b.close(c.t.vmFd(op.vm));
  if (rc === 0) {
    c.t.vms.delete(op.vm);
    c.t.slots.vmClosed(op.vm);
  }
  return fromRc(rc);
};

export const checkExtension = (c: Ctx, op: OpOf<'checkExtension'>): Outcome =>
  fromRc(c.b.ioctlInt(op.vm === null ? c.kvmFd : c.t.vmFd(op.vm), IOCTL.KVM_CHECK_EXTENSION, op.cap), (v) => v);

export const userAddr = (c: Ctx, u: UserAddr): bigint => {
  switch (u.kind) {
    case 'null': return 0n;
    case 'unaligned': return UNALIGNED_UADDR;
    case 'map': {
      // KVM only checks alignment and access_ok, so a dead map's last base is as good as any.
      const m = c.t.maps.get(u.map);
      return m === undefined ? u.offset : addrOf(m, u.offset);
    }
  }
};

export const slotFd = (c: Ctx, s: SlotFd): number => {
  switch (s.kind) {
    case 'fd': return c.t.fd(s.fd);
    case 'vmFd': return c.t.vmFd(s.vm);
    case 'kvmFd': return c.kvmFd;
    case 'notOpen': return NOT_OPEN_FD;
    case 'pathFd': return NOT_OPEN_FD; // replaced by a real O_PATH descriptor around the call (setMemoryRegion)
  }
};

export const setMemoryRegion = (c: Ctx, op: OpOf<'setMemoryRegion'>): Outcome => {
  // SLOT-21: an O_PATH descriptor of the file, open only for the call (a dead handle has none: the stand-in fd).
  const path = op.gmem.kind === 'pathFd' ? c.b.openPath(c.t.fd(op.gmem.fd)) : -1;
  const gmemFd = path >= 0 ? path : slotFd(c, op.gmem);
  const rc = c.b.setMemoryRegion(c.t.vmFd(op.vm), op.v1, op.slot, op.flags, op.gpa, op.size,
    userAddr(c, op.uaddr), gmemFd, op.gmemOffset);
  if (path >= 0) c.b.close(path);
  if (rc === 0) c.t.slots.accepted(op);
  return fromRc(rc);
};

export const setMemoryAttributes = (c: Ctx, op: OpOf<'setMemoryAttributes'>): Outcome =>
  fromRc(c.b.setMemoryAttributes(c.t.vmFd(op.vm), op.gpa, op.size, op.attributes));
