/**
 * One target instance's handle tables (spec/vocab/handles.ts): handle → real fd / mapping. A
 * handle whose creation failed, or that was closed, is absent; fds of absent handles are -1 so
 * that the kernel itself answers EBADF.
 */
import type { FdHandle, MapHandle, PinHandle, UffdHandle, VcpuHandle, VmHandle } from '../../../spec/vocab/index.js';
import { SlotTable } from './slot-table.js';

export interface MapEntry {
  /** Base address the kernel chose; for a failed mmap 0n. Kept after munmap (memslots may name it). */
  readonly base: bigint;
  readonly length: bigint;
  live: boolean;
}

export interface Registration {
  readonly uffd: UffdHandle;
  readonly map: MapHandle;
  readonly start: bigint;
  readonly len: bigint;
  /** uffdio_register.mode: a WP registration may leave uffd-wp markers (ops-mm.ts madvise). */
  readonly mode?: bigint;
}

/** A pin: an io_uring ring (with the registered buffer's address) or a pipe's two ends. */
export type PinEntry = { readonly kind: 'uring'; readonly ring: number; readonly base: bigint } | { readonly kind: 'pipe'; readonly r: number; readonly w: number };

export class Tables {
  readonly vms = new Map<VmHandle, number>();
  readonly fds = new Map<FdHandle, number>();
  readonly maps = new Map<MapHandle, MapEntry>();
  readonly uffds = new Map<UffdHandle, number>();
  readonly pins = new Map<PinHandle, PinEntry>();
  readonly vcpus = new Map<VcpuHandle, number>();
  /** The VM each vCPU was created in (a pre-fault's memslots are its VM's). */
  readonly vcpuVm = new Map<VcpuHandle, VmHandle>();
  /** VMs where the sequence created vCPU id 0, which the harness guest would need (ops-vcpu.ts). */
  readonly vcpuZero = new Set<VmHandle>();
  /** The real guest (src/guest.cc id) of each VM that ran a guest access. */
  readonly guests = new Map<VmHandle, number>();
  /** Accepted memslots, for the real guest's address checks (slot-table.ts). */
  readonly slots = new SlotTable();
  /** A VM of our own where guest accesses whose userspace_addr is not ours run instead (ops-guest.ts). */
  scratch: { readonly vmFd: number; readonly guest: number } | undefined;
  regs: Registration[] = [];
  /** Tails of maps a shorter MAP_FIXED mapping covered (mmapEx over): still mapped, reachable by no handle; unmapped at release. */
  readonly orphans: [bigint, bigint][] = [];

  vmFd(h: VmHandle): number { return this.vms.get(h) ?? -1; }
  fd(h: FdHandle): number { return this.fds.get(h) ?? -1; }
  uffd(h: UffdHandle): number { return this.uffds.get(h) ?? -1; }
  vcpu(h: VcpuHandle): number { return this.vcpus.get(h) ?? -1; }
  liveMap(h: MapHandle): MapEntry | undefined {
    const m = this.maps.get(h);
    return m?.live ? m : undefined;
  }
  /** The registration (if any) whose range holds addr. */
  regAt(addr: bigint): Registration | undefined {
    return this.regs.find((r) => addr >= r.start && addr < r.start + r.len);
  }
  /** [start, start+len) is no longer registered: registrations overlapping it shrink or split. */
  unregister(start: bigint, len: bigint): void {
    const end = start + len;
    this.regs = this.regs.flatMap((r) => {
      const rEnd = r.start + r.len;
      if (rEnd <= start || r.start >= end) return [r];
      const parts: Registration[] = [];
      if (r.start < start) parts.push({ ...r, len: start - r.start });
      if (rEnd > end) parts.push({ ...r, start: end, len: rEnd - end });
      return parts;
    });
  }
  /** The kernel drops registrations with their VMA (munmap) or their uffd (close). */
  dropRegs(pred: (r: Registration) => boolean): void {
    this.regs = this.regs.filter((r) => !pred(r));
  }
}
