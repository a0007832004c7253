/**
 * Resource limits on what a sequence of ops may make a real kernel hold (issue 12: one client took
 * 3 GB through fallocate/POPULATE, 4,225 fds and 3,000 VMs; one replayed memfd fallocate of 2^62
 * bytes brings the OOM killer). A wrapped target counts its live VMs, fds and maps from the ops and
 * their outcomes, and charges the bytes each op may make the kernel allocate; an op that would pass
 * a limit is refused before it runs (TargetLimitError). Used by the native target itself
 * (adapters/native/index.ts) and, with the agent's own settings, by every agent session.
 */
import { PAGE_SIZE as PAGE, SPAN_MAX_PAGES, createdBy, footprintOf, releasedBy, type Op, type Outcome } from '../spec/vocab/index.js';
import { TargetLimitError } from '../spec/vocab/errors.js';
import { canRunBranches, type BranchOptions, type BranchRun, type Target } from '../spec/vocab/target.js';

export interface TargetLimits {
  /** Live VMs, fds (uffds included) and mappings. */
  readonly vms: number;
  readonly fds: number;
  readonly maps: number;
  /** Bytes the ops may make the kernel allocate, cumulated (see `populates`). */
  readonly populateBytes: bigint;
}

/** Bytes shared by several targets (an agent's sessions); a target alone gets its own. */
export class PopulateBudget {
  private used = 0n;
  constructor(readonly total: bigint) {}
  charge(n: bigint): boolean {
    if (this.used + n > this.total) return false;
    this.used += n;
    return true;
  }
  release(n: bigint): void {
    this.used = this.used > n ? this.used - n : 0n;
  }
  get inUse(): bigint {
    return this.used;
  }
}

const LOFF_MAX = (1n << 63n) - 1n;
/** The native addon's largest buffer per op (adapters/native/src/napi_util.h kMaxBuffer). */
const MAX_OP_BUFFER = 64n << 20n;
/** FALLOC_FL_PUNCH_HOLE (include/uapi/linux/falloc.h): frees, never allocates. */
const PUNCH_HOLE = 0x02;
/**
 * Kernel metadata per memslot page: the rmap (8 bytes per 4 KiB page on a shadow-paging VM such as
 * kvm_pvm), large-page info and a dirty bitmap (arch/x86/kvm/x86.c kvm_alloc_memslot_metadata,
 * v6.18), rounded up.
 */
const SLOT_BYTES_PER_PAGE = 16n;

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/**
 * Most bytes the op can make the kernel allocate, bounded by what it can reach: a fallocate by its
 * loff_t range (a negative or overflowing one is EINVAL/EFBIG), a populate or fill by its map, a
 * memslot by its metadata; a one-byte touch by one page (a THP would be more: shmem THP is off on
 * these machines, /sys/kernel/mm/transparent_hugepage/shmem_enabled).
 */
export const populates = (op: Op, mapLen: (h: number) => bigint): bigint => {
  switch (op.kind) {
    case 'fallocate': {
      if ((op.mode & PUNCH_HOLE) !== 0) return 0n;
      const off = BigInt.asIntN(64, op.offset);
      const len = BigInt.asIntN(64, op.len);
      return off >= 0n && len > 0n && off <= LOFF_MAX - len ? len : 0n;
    }
    case 'madvise':
      return op.advice === 'POPULATE_READ' || op.advice === 'POPULATE_WRITE' ? min(u64(op.length), mapLen(op.map)) : 0n;
    case 'uffdResolve': return min(min(u64(op.length), mapLen(op.map)), MAX_OP_BUFFER);
    case 'fileIo': return op.call === 'write' || op.call === 'pwrite' ? BigInt(op.len) : 0n;
    case 'kernelAccess': return op.call === 'process_vm_writev' ? BigInt(op.len) : 0n;
    // A copy writes every destination page it touches (holes copied as zeroes): an unaligned one a page more.
    case 'copyRange': return op.len === 0 ? 0n : (BigInt(op.len) / PAGE + 2n) * PAGE;
    case 'load': case 'store': return PAGE;
    // The forked child's action allocates in the same files as the parent's op of that kind would.
    case 'child': {
      const a = op.act;
      if (a.kind === 'fallocate') return populates({ kind: 'fallocate', fd: a.fd, mode: a.mode, offset: a.offset, len: a.len }, mapLen);
      return a.kind === 'load' || a.kind === 'store' ? PAGE : 0n;
    }
    // fdWatch's fallocate allocates like the plain op (the first full npm test with it drew a huge
    // one on a memfd: 24 GiB of shmem and the OOM killer).
    case 'fdWatch': return populates({ kind: 'fallocate', fd: op.fd, mode: op.mode, offset: op.offset, len: op.len }, mapLen);
    // Write-protecting a file VMA installs uffd-wp markers in empty PTEs, so the kernel allocates
    // the page tables of the whole range (mm/mprotect.c change_pmd_prepare): a page of PTEs per
    // 2 MiB, bounded by the map.
    case 'uffdWriteProtect': return min(u64(op.length), mapLen(op.map)) / 512n;
    // UFFDIO_POISON puts a marker in every empty PTE of the range (mm/userfaultfd.c
    // mfill_atomic_pte_poison), so it allocates the same page tables: a page per 2 MiB, bounded by the map.
    case 'uffdPoison': return min(u64(op.length), mapLen(op.map)) / 512n;
    case 'setMemoryRegion': case 'setMemoryRegionPad': return (u64(op.size) / PAGE) * SLOT_BYTES_PER_PAGE;
    // MAP_POPULATE (0x8000) and MAP_LOCKED (0x2000) fault the whole new mapping in (MAP-18).
    case 'mmapEx': return (op.flags & 0xa000n) !== 0n ? u64(op.length) : 0n;
    // A grown (or duplicated) VM_LOCKED VMA populates its new part (MAP-10; mm/mremap.c do_mremap
    // populate_expand → mm_populate). Whether the VMA is locked is not known here: every growth is
    // charged. A new length of 0 or past the user address space is refused before anything, and a
    // map this wrapper does not know as live (length 0) is not issued at all (a dead map: EFAULT).
    case 'mremap': {
      const n = u64(op.newLength);
      const len = mapLen(op.map);
      if (n === 0n || n > 1n << 47n || len === 0n) return 0n;
      const old = op.oldSize === 'zero' ? 0n : len;
      return n > old ? n - old : 0n;
    }
    // spanRange's mlock faults in the map's tail pages and the anonymous pages after it (at most
    // SPAN_MAX_PAGES each; the anonymous ones are unmapped again by the same call).
    case 'spanRange': return op.call === 'mlock' ? BigInt(2 * SPAN_MAX_PAGES) * PAGE : 0n;
    default: return 0n;
  }
};

/** A target with its resources counted and capped. */
export interface LimitedTarget extends Target {
  /** The wrapped target (what an agent backend abandons after a timeout). */
  readonly inner: Target;
  /** Gives this target's share of the budget back (close() does it too). */
  release(): void;
}

/** uffd handles live in their own namespace: offset so they never collide with fd handles. */
const UFFD = 2 ** 31;

/**
 * `t` with its resources counted and capped. `where` names the setting a refusal points at (e.g.
 * "agent --max-vms"). The budget defaults to one of the target's own.
 */
export const limitedTarget = (
  t: Target, l: TargetLimits, where: { readonly [K in keyof TargetLimits]: string },
  budget: PopulateBudget = new PopulateBudget(l.populateBytes),
): LimitedTarget => {
  const vms = new Set<number>();
  const fds = new Set<number>();
  const maps = new Map<number, bigint>();
  const charged = { bytes: 0n };
  const refuse = (what: string): never => {
    throw new TargetLimitError(`${t.name} limit: ${what}; the op was not run`);
  };
  // What an op creates and releases comes from its declaration (spec/vocab/ops.ts).
  const before = (op: Op): void => {
    const made = createdBy(op);
    if (made?.cls === 'vm' && !vms.has(made.id) && vms.size >= l.vms) refuse(`at most ${l.vms} VMs per target (${where.vms})`);
    if ((made?.cls === 'fd' || made?.cls === 'uffd') && fds.size >= l.fds) refuse(`at most ${l.fds} fds per target (${where.fds})`);
    if (made?.cls === 'map' && maps.size >= l.maps) refuse(`at most ${l.maps} mappings per target (${where.maps})`);
    const bytes = populates(op, (h) => maps.get(h) ?? 0n);
    if (charged.bytes + bytes > l.populateBytes) refuse(`at most ${l.populateBytes >> 20n} MiB populated per target (${where.populateBytes})`);
    if (!budget.charge(bytes)) refuse(`the memory budget (${budget.total >> 20n} MiB shared by every target) is in use`);
    charged.bytes += bytes;
  };
  const after = (op: Op, o: Outcome): void => {
    if (o.kind !== 'ok') return;
    const made = createdBy(op);
    if (made?.cls === 'vm') vms.add(made.id);
    if (made?.cls === 'fd') fds.add(made.id);
    if (made?.cls === 'uffd') fds.add(UFFD + made.id);
    if (made?.cls === 'map') maps.set(made.id, footprintOf(op)?.len ?? 0n);
    // munmapPart: the new handle is the piece after the range, the old one keeps the pages before
    // it (its footprint is the range, not the piece: charging by it would miss what a piece holds).
    if (op.kind === 'munmapPart') {
      const whole = ((maps.get(op.map) ?? 0n) + PAGE - 1n) / PAGE * PAGE;
      const end = BigInt.asIntN(64, op.offset) + ((u64(op.length) + PAGE - 1n) / PAGE) * PAGE;
      maps.set(op.id, end >= 0n && end < whole ? whole - end : 0n);
      if (op.offset > 0n && op.offset < whole) maps.set(op.map, op.offset);
    }
    const gone = releasedBy(op);
    if (gone?.cls === 'vm') vms.delete(gone.id);
    if (gone?.cls === 'fd') fds.delete(gone.id);
    if (gone?.cls === 'map') maps.delete(gone.id);
  };
  const release = (): void => {
    budget.release(charged.bytes);
    charged.bytes = 0n;
  };
  return {
    name: t.name,
    inner: t,
    release,
    probe: () => t.probe(),
    apply: async (op) => {
      try {
        before(op);
      } catch (e) {
        // A malformed op (a field of the wrong type) has no cost to charge: the target refuses it itself.
        if (e instanceof TargetLimitError) throw e;
      }
      const o = await t.apply(op);
      after(op, o);
      return o;
    },
    // Branch ops are charged like any op before the threads start (models/parallel: they create nothing).
    ...(canRunBranches(t) ? {
      runBranches: async (branches: readonly (readonly Op[])[], o?: BranchOptions): Promise<BranchRun> => {
        for (const op of branches.flat()) {
          try {
            before(op);
          } catch (e) {
            if (e instanceof TargetLimitError) throw e;
          }
        }
        return t.runBranches(branches, o);
      },
    } : {}),
    close: async () => {
      release();
      await t.close();
    },
  };
};
