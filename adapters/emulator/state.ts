/**
 * The emulated kernel's objects. Shapes follow the kernel: an inode owns a page cache (folios keyed
 * by page index plus fallocated-but-untouched extents), a shareability attribute tree and (≥6.19 /
 * shmem) a shared mempolicy; a mapping is a VMA with its own PTEs, VMA policy and uffd
 * registrations; a VM owns memslots and its guest mappings (SPTEs).
 */
import type { UserAddr } from '../../spec/vocab/index.js';
import type { RangeMap } from './rangemap.js';

/** A NUMA policy as mm stores it (mode without flags, mode flags, effective and user node masks). */
export interface Policy {
  readonly mode: number;
  readonly flags: number;
  /** Node masks (one 64-bit word, as the targets pass them). */
  readonly nodes: bigint;
  readonly userNodes: bigint;
  /** set_mempolicy_home_node's node; absent = NUMA_NO_NODE (a fresh policy from mpol_new). */
  readonly home?: number;
}

/** mpol_equal: mode, flags, masks and the home node. */
export const policyEq = (a: Policy | null, b: Policy | null): boolean =>
  a === b || (a !== null && b !== null && a.mode === b.mode && a.flags === b.flags && a.nodes === b.nodes && a.userNodes === b.userNodes && (a.home ?? -1) === (b.home ?? -1));

export interface Folio {
  /** null = all zero bytes. */
  data: Uint8Array | null;
  /** PG_uptodate: set once the folio was zeroed or filled (MAP-13 mincore, FIO-11). */
  uptodate: boolean;
  node: number;
  /** Direct-map entry removed (DMAP-3); only for NO_DIRECT_MAP files. */
  dmapRemoved: boolean;
}

/** What fallocate recorded for an untouched extent: the policy that places it once materialised. */
export interface AllocExtent {
  readonly policy: Policy | null;
  /** shmem only: a second fallocate cleared these pages and marked them up to date (see shmemFallocate). */
  readonly uptodate?: boolean;
}

export interface Binding {
  readonly vm: Vm;
  readonly slot: Slot;
  readonly start: number;
  readonly end: number;
}

export interface Inode {
  readonly ino: number;
  readonly kind: 'gmem' | 'memfd';
  size: bigint;
  readonly flags: bigint;
  readonly vm: Vm | null;
  readonly folios: Map<number, Folio>;
  readonly alloc: RangeMap<AllocExtent>;
  /** Shareability attribute per page: true = private (SHR-2). Missing entries per P-ATTR-MISSING. */
  readonly attrs: RangeMap<boolean>;
  readonly sharedPolicy: RangeMap<Policy>;
  readonly bindings: Binding[];
  readonly maps: Set<Mapping>;
  /** References from fds and mappings (LIFE-1); the file is released at 0. */
  refs: number;
  released: boolean;
  /** Pages whose folio became a THP through an unpatched MADV_COLLAPSE (P-THP-COLLAPSE). */
  readonly collapsed: Set<number>;
  /** File position (only used by write() under the write() series and by memfd read/write). */
  pos: bigint;
  /** The open file's F_SETFL flags (one open file per inode here); absent = none. */
  fl?: number;
  /** Whole-file locks: the process's POSIX lock and the open file's OFD lock (0 read, 1 write). */
  posixLock?: 0 | 1;
  ofdLock?: 0 | 1;
  /** memfd st_mode once fchmod/fchown changed it. */
  mode?: number;
}

export interface Mapping {
  readonly id: number;
  readonly inode: Inode;
  /** File page index of map offset 0. */
  readonly pgoff: number;
  readonly npages: number;
  readonly length: bigint;
  /** READ|WRITE|EXEC of every page `protAt` does not name (read through ./prot.ts). */
  prot: number;
  /** Per map page protection a partial mprotect set (VM_READ/WRITE/EXEC split the VMA). */
  readonly protAt: RangeMap<number>;
  readonly shared: boolean;
  alive: boolean;
  /** PTEs of this VMA: file page index → folio it maps. */
  readonly ptes: Map<number, Folio>;
  /** MAP_PRIVATE copy-on-write pages (memfd only), by file page index. */
  readonly anon: Map<number, Folio>;
  /** vma->vm_policy per map page (a VMA split by mbind). */
  readonly vmaPolicy: RangeMap<Policy>;
  /** uffd registration per map page. */
  readonly uffd: RangeMap<UffdReg>;
  /** VM_HUGEPAGE per map page (MADV_HUGEPAGE). */
  readonly hugepage: RangeMap<true>;
  /** VM_LOCKED per map page (mlock; a VMA split by it). */
  /** VM_LOCKED, and whether VM_LOCKONFAULT came with it (mlock2 MLOCK_ONFAULT): the two split a VMA. */
  readonly locked: RangeMap<true | 'onfault'>;
  /** VMA flags madvise set per map page (ops/madvise.ts ADVISED bits; each splits the VMA). */
  readonly advised: RangeMap<number>;
  /** Guard PTE markers per map page (MADV_GUARD_INSTALL): page-table state, so no VMA split. */
  readonly guard: RangeMap<true>;
  /** uffd-wp bits and markers per map page (UFFDIO_WRITEPROTECT): page-table state, no VMA split. */
  readonly wp: RangeMap<true>;
  /** Poison PTE markers per map page (UFFDIO_POISON): page-table state, no VMA split. */
  readonly poison: RangeMap<true>;
}

export interface Uffd {
  readonly id: number;
  /** uffdio_api.features (__u64). */
  readonly features: bigint;
}

export interface UffdReg {
  readonly ctx: Uffd;
  /** uffdio_register.mode (__u64). */
  readonly mode: bigint;
}

/**
 * userspace_addr as KVM stored it: inside a mapping that was really created (its address stays
 * the same after munmap), or a bare address (NULL, or a map handle whose mmap never succeeded:
 * the harness then passes the offset itself).
 */
export type SlotAddr = Extract<UserAddr, { kind: 'map' }> | { readonly kind: 'raw'; readonly addr: bigint };

export interface Slot {
  readonly id: number;
  readonly flags: number;
  readonly gfn: number;
  readonly npages: number;
  readonly uaddr: SlotAddr;
  /** The gmem binding; `inode.released` means the file was closed for good (SLOT-11). */
  gmem: { readonly inode: Inode; readonly pgoff: number; readonly gmemOnly: boolean } | null;
}

export interface Vm {
  readonly id: number;
  readonly type: number;
  fdOpen: boolean;
  readonly slots: Map<number, Slot>;
  /** Guest mappings: gfn → level (1 = 4K, 2 = 2M). */
  readonly sptes: Map<number, number>;
  /** VM-level KVM_SET_MEMORY_ATTRIBUTES (true = private), by gfn. */
  readonly attrs: RangeMap<boolean>;
  /** x86 n_max_mmu_pages: 0 until the first memslot create or delete commits (kvm_arch_commit_memory_region). */
  mmuPages?: number;
}

/** A vCPU: its VM (held by reference, so it outlives the VM fd) and its id. */
export interface Vcpu {
  readonly vm: Vm;
  readonly vcpuId: bigint;
}

/** One fd: the file it names (one file per inode here, so the inode) and its FD_CLOEXEC bit. */
export interface OpenFile {
  readonly inode: Inode;
  readonly cloexec: boolean;
}

/**
 * A pin (io_uring registered buffer or a pipe of vmspliced pages): the folios themselves, so a
 * folio punched out of the page cache or a private copy dropped with its mapping lives on here
 * with its bytes (mm/truncate.c: a removed page lives while referenced). `fpage` is the file page
 * of folio 0 (the page-cache index a still-attached folio sits at).
 */
export interface Pin {
  readonly how: 'IO_URING' | 'VMSPLICE';
  readonly inode: Inode;
  readonly fpage: number;
  readonly folios: readonly Folio[];
  /** The first byte within folio 0, and the bytes held. */
  readonly start: number;
  readonly len: number;
  /** VMSPLICE: bytes read out of the pipe so far. */
  consumed: number;
}
