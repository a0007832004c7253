/** What every op implementation of one native target instance shares. */
import type { MapHandle } from '../../../spec/vocab/index.js';
import { BadOpError } from '../../../spec/vocab/errors.js';
import type { NativeBinding } from './binding.js';
import { Tables } from './tables.js';
import { arenaOf, findDeadZone, vmaQuery, type Arena, type VmaQuery } from './addrspace.js';

/** A userfault helper thread that stayed blocked (uffd.cc): its map's page is PROT_NONE. */
export interface StuckAccess {
  readonly id: number;
  readonly map: MapHandle;
}

export interface Ctx {
  readonly b: NativeBinding;
  readonly t: Tables;
  /** This instance's own /dev/kvm fd (KVM_CREATE_VM, CHECK_EXTENSION, SlotFd kvmFd). */
  readonly kvmFd: number;
  /** How long a userfault may stay unanswered before the op throws TargetTimeoutError. */
  readonly uffdTimeoutMs: number;
  /** Unmapped address where dead-map and off-the-end ranges are issued (addrspace.ts). */
  readonly deadZone: bigint | undefined;
  /** Where the suite's mappings are hinted, each with a free gap after it (addrspace.ts). */
  readonly arena: Arena | undefined;
  /** Which VMA covers or follows an address (PROCMAP_QUERY). */
  readonly vq: VmaQuery;
  /** Set once setMempolicy ran, so close() puts the thread's policy back to MPOL_DEFAULT. */
  mempolicyTouched: boolean;
  /** Helper threads to join at close() before their maps may be unmapped (release.ts). */
  readonly stuck: StuckAccess[];
  /** The O_DIRECT scratch fd (scratch.ts), opened at the first directIo. */
  dio: number | undefined;
  /** Parallel runs whose branch threads stayed blocked (parallel.ts): every map stays until they end. */
  readonly stuckRuns: number[];
}

export const newCtx = (b: NativeBinding, kvmFd: number, uffdTimeoutMs: number): Ctx => {
  const deadZone = findDeadZone();
  return {
    b, t: new Tables(), kvmFd, uffdTimeoutMs, deadZone, arena: arenaOf(deadZone), vq: vmaQuery((a) => b.nextVma(a)),
    mempolicyTouched: false, stuck: [], stuckRuns: [], dio: undefined,
  };
};

/**
 * Issues a creation call for a fresh handle and records the fd it returns. A handle id created
 * twice is a generator bug, not a kernel outcome: it is refused *before* the call, so no fd is
 * created that nothing would ever close.
 */
export const create = <K>(table: Map<K, number>, id: K, what: string, issue: () => number): number => {
  if (table.has(id)) throw new BadOpError(`${what} handle ${String(id)} created twice`);
  const fd = issue();
  if (fd >= 0) table.set(id, fd);
  return fd;
};
