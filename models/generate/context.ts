/**
 * What the generator remembers while it resolves a sequence: the handles created so far and the
 * parameters they were created with (requested size, mapping length and file offset). This is
 * bookkeeping about the *requests*, not kernel semantics: it only biases offsets towards edges
 * (0, last page, EOF, past EOF) and keeps handle references valid under shrinking.
 */
import type { Op } from '../../spec/vocab/index.js';

export interface FdInfo { readonly size: bigint }
export interface MapInfo { readonly length: bigint; readonly fileOffset: bigint; readonly fdSize: bigint }
export interface SlotInfo { readonly gpa: bigint; readonly size: bigint }

/** Limits that keep a real kernel safe (no multi-GiB allocations, no huge memslot metadata). */
export interface GenLimits {
  /** Longest allocating fallocate / populate / uffd fill, in pages. */
  readonly maxAllocPages: number;
  /** Longest mapping, in bytes. */
  readonly maxMapBytes: bigint;
  /** Largest memslot, in pages (shadow paging allocates rmaps eagerly). */
  readonly maxSlotPages: number;
}

// The emulator keeps allocated folios per page (as the kernel does), so allocation stays bounded here too.
export const EMULATOR_LIMITS: GenLimits = { maxAllocPages: 4096, maxMapBytes: 1n << 41n, maxSlotPages: 1 << 20 };
export const NATIVE_LIMITS: GenLimits = { maxAllocPages: 64, maxMapBytes: 1n << 30n, maxSlotPages: 1024 };

export class GenContext {
  vms = 0;
  uffds = 0;
  readonly fds: FdInfo[] = [];
  readonly maps: MapInfo[] = [];
  readonly slots: SlotInfo[] = [];
  /** The last memslot request, so a later step can re-issue or delete exactly that slot (SLOT-9, SLOT-10). */
  lastRegion: Extract<Op, { kind: 'setMemoryRegion' }> | undefined;
  constructor(
    readonly limits: GenLimits,
    readonly nrMemslots: number,
    readonly vmTypes: readonly number[] = [0],
    /** The creation flags the profile advertises (cap 244), so series flags such as bit 2 are common where they exist. */
    readonly gmemFlags: bigint = 3n,
  ) {}

  /** Records what a resolved op creates, so later picks can refer to it. */
  record(op: Op): void {
    switch (op.kind) {
      case 'createVm': this.vms++; break;
      case 'createGmem': case 'createMemfd': this.fds.push({ size: op.size }); break;
      case 'dup': this.fds.push({ size: this.fds[op.fd]?.size ?? 0n }); break;
      case 'mmap': this.maps.push({ length: op.length, fileOffset: op.offset, fdSize: this.fds[op.fd]?.size ?? 0n }); break;
      case 'uffdCreate': this.uffds++; break;
      case 'setMemoryRegion':
        if (op.size > 0n) this.slots.push({ gpa: op.gpa, size: op.size });
        this.lastRegion = op;
        break;
      default: break;
    }
  }
}

/** Picks an existing handle (index modulo count), so a shrunk sequence still names something. */
export const pick = (n: number, count: number): number => (count === 0 ? 0 : n % count);
