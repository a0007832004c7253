/** What every op implementation of one native target instance shares. */
import { BadOpError } from '../../../spec/vocab/errors.js';
import type { NativeBinding } from './binding.js';
import type { Tables } from './tables.js';
import type { VmaQuery } from './addrspace.js';

export interface Ctx {
  readonly b: NativeBinding;
  readonly t: Tables;
  /** This instance's own /dev/kvm fd (KVM_CREATE_VM, CHECK_EXTENSION, SlotFd kvmFd). */
  readonly kvmFd: number;
  /** How long a userfault may stay unanswered before the op throws TargetTimeoutError. */
  readonly uffdTimeoutMs: number;
  /** Unmapped address where dead-map and off-the-end ranges are issued (addrspace.ts). */
  readonly deadZone: bigint | undefined;
  /** Which VMA covers or follows an address (PROCMAP_QUERY). */
  readonly vq: VmaQuery;
  /** Set once setMempolicy ran, so close() puts the thread's policy back to MPOL_DEFAULT. */
  mempolicyTouched: boolean;
}

/** Records a created handle; a handle id created twice is a generator bug, not a kernel outcome. */
export const remember = <K>(table: Map<K, number>, id: K, fd: number, what: string): void => {
  if (table.has(id)) throw new BadOpError(`${what} handle ${String(id)} created twice`);
  if (fd >= 0) table.set(id, fd);
};
