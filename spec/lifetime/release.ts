/**
 * Reference counting (LIFE-1): an inode lives while any fd or mapping refers to
 * it; when the last goes its memory, shared policy (POL-11) and bindings go with it. A binding
 * holds no reference (SLOT-11): the slot stays, but now names a dead file. The VM lives while its
 * fd or any of its gmem files does (SLOT-12).
 */
import type { SpecState } from '../state/types.js';
import { setIn, withInode, zapSptes } from '../state/update.js';
import { fact } from '../rule.js';

export const life1 = fact('LIFE-1', 'LIFE-1; S1 (memory lifetime tied to the inode), fs/file_table.c fput');
export const slot11 = fact('SLOT-11', 'SLOT-11; S1 kvm_gmem_release, kvm_gmem_get_pfn');

export const releaseVmIfUnused = (s: SpecState, vm: number): SpecState => {
  const v = s.vms.get(vm);
  if (v === undefined || v.fdOpen) return s;
  for (const ino of s.inodes.values()) if (ino.kind === 'gmem' && ino.vm === vm) return s;
  // A vCPU holds its VM too (kvm_vm_ioctl_create_vcpu: kvm_get_kvm).
  for (const v of s.vcpus.values()) if (v.vm === vm) return s;
  return { ...s, vms: setIn(s.vms, vm, undefined) };
};

const releaseIfUnused = (s: SpecState, inode: number): SpecState => {
  const ino = s.inodes.get(inode);
  if (ino === undefined || ino.fdCount > 0 || ino.mapCount > 0) return s;
  // kvm_gmem_release invalidates the bound ranges: guest mappings of them go too (SLOT-11).
  const zapped = ino.kind === 'gmem' ? zapSptes(s, ino, 0, Number.MAX_SAFE_INTEGER) : s;
  const out = { ...zapped, inodes: setIn(zapped.inodes, inode, undefined) };
  return ino.kind === 'gmem' ? releaseVmIfUnused(out, ino.vm) : out;
};

export const dropFdRef = (s: SpecState, inode: number): SpecState => {
  const ino = s.inodes.get(inode);
  return ino === undefined ? s : releaseIfUnused(withInode(s, { ...ino, fdCount: ino.fdCount - 1 }), inode);
};

export const dropMapRef = (s: SpecState, inode: number): SpecState => {
  const ino = s.inodes.get(inode);
  return ino === undefined ? s : releaseIfUnused(withInode(s, { ...ino, mapCount: ino.mapCount - 1 }), inode);
};

export const addFdRef = (s: SpecState, inode: number): SpecState => {
  const ino = s.inodes.get(inode);
  return ino === undefined ? s : withInode(s, { ...ino, fdCount: ino.fdCount + 1 });
};
