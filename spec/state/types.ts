/**
 * The abstract state. Everything is immutable and range-based: per-page facts are interval maps
 * (./imap.ts) keyed by page index, so cost follows the number of distinct ranges, not file size.
 * Handles (spec/vocab/handles.ts) index the tables; a handle absent from its table is dead.
 */
import type { IMap } from './imap.js';
import type { PMap } from './pmap.js';
import type { PageBytes } from './bytes.js';
import type { VmHandle } from '../vocab/index.js';

/** A folio in a file's page cache. Interned (see ./folio.ts): compare with ===. */
export interface Folio {
  /** Zeroed/initialised (FIO-11, MAP-13: only these show in mincore). */
  readonly uptodate: boolean;
  /** Its direct-map entry is gone (DMAP-3). */
  readonly dmapGone: boolean;
  /**
   * An unpatched MADV_COLLAPSE may have folded it into a large folio (P-THP-COLLAPSE=UNPATCHED,
   * MAP-8): the next fault may SIGBUS. "May": the collapse itself reports success either way.
   */
  readonly maybeLarge: boolean;
}

/** A NUMA policy as get_mempolicy reports it: mode with mode flags, node mask. Interned per value. */
export interface Policy {
  readonly mode: number;
  /** The node mask word as get_mempolicy copies it out (64 bits). */
  readonly nodes: bigint;
  /**
   * The home node set_mempolicy_home_node gave it (POL-23); absent = NUMA_NO_NODE. Neither
   * get_mempolicy nor numa_maps shows it, but mpol_equal compares it, so it splits VMAs.
   */
  readonly home?: number;
}

export type Share = 'shared' | 'private';

/** Where a page of a file is bound (SLOT-7: at most one slot per page). */
export interface BindRef {
  readonly vm: VmHandle;
  readonly slot: number;
}

/**
 * One open file = one inode here: every creation makes a new file and inode, dup() shares the
 * file, and nothing re-opens an inode (/proc/self/fd re-open → ENXIO, obs:FD-11/12).
 */
export interface Inode {
  readonly id: number;
  readonly kind: 'gmem' | 'memfd';
  /** Owning VM (gmem), for SLOT-5 "gmem of another VM". -1 for memfd. */
  readonly vm: VmHandle;
  readonly flags: bigint;
  readonly sizeBytes: bigint;
  readonly sizePages: number;
  /** Derived from flags and the profile at creation (CRE-11: fixed for life). */
  readonly mmapable: boolean;
  readonly initShared: boolean;
  readonly noDirectMap: boolean;
  readonly writeFlag: boolean;
  readonly folios: IMap<Folio>;
  readonly data: IMap<PageBytes>;
  /** Explicit shareability entries (conversion series, SHR-2); absent = initial state. */
  readonly attrs: IMap<Share>;
  /** Shared (inode) mempolicy keyed by file page (POL-1, shmem). */
  readonly policy: IMap<Policy>;
  readonly bindings: IMap<BindRef>;
  /** File position (memfd read/write/lseek). */
  readonly pos: bigint;
  /**
   * Status flags F_SETFL kept beyond O_RDWR|O_LARGEFILE (O_APPEND, O_NONBLOCK, O_NOATIME), and the
   * whole-file locks held (F_RDLCK 0 / F_WRLCK 1) by the process (POSIX) and by the open file
   * (OFD); absent = none. One open file per inode here, so they live with the inode (LIFE-11, LIFE-13).
   */
  readonly fl?: number;
  readonly posixLock?: 0 | 1;
  readonly ofdLock?: 0 | 1;
  /** st_mode after fchmod/fchown on memfd (GEN-SHMEM-ATTR); absent = as created. */
  readonly mode?: number;
  readonly fdCount: number;
  readonly mapCount: number;
}

export interface UffdReg {
  readonly uffd: number;
  /** uffdio_register.mode (__u64). */
  readonly mode: bigint;
}

export interface Mapping {
  readonly inode: number;
  /** File page of the first mapped page (offset >> 12; < 2^51). */
  readonly pgoff: number;
  readonly pages: number;
  readonly lenBytes: bigint;
  /** The protection (READ|WRITE|EXEC) of every page `protAt` does not name. */
  readonly prot: number;
  /**
   * Pages whose protection a partial mprotect set (MAP-19), map-relative; absent = none, every page
   * has `prot`. VM_READ/WRITE/EXEC are VMA flags, so a run edge is a VMA edge. Read it through
   * spec/mmap/prot-at.ts, never `prot` alone, wherever one page (or a run) is meant.
   */
  readonly protAt?: IMap<number>;
  readonly shared: boolean;
  /** Installed PTEs, map-relative (decides MINOR faults, UFD-5). */
  readonly ptes: IMap<true>;
  /**
   * Pages a read fault's fault-around may have mapped (shmem only; the window depends on the
   * mapping's address, which the spec does not know): maybe a PTE (spec/mmap/fault-around.ts).
   */
  readonly around: IMap<true>;
  /** VMA-local policy, map-relative (POL-1′; also the POL-3 caveat's "VMA policy"). */
  readonly vmaPolicy: IMap<Policy>;
  readonly uffd: IMap<UffdReg>;
  /** Private COW pages of a MAP_PRIVATE memfd mapping, map-relative. */
  readonly cow: IMap<PageBytes>;
  /** Pages given MADV_HUGEPAGE, map-relative: VM_HUGEPAGE is a VMA flag, so it splits the VMA. */
  readonly hugepage: IMap<true>;
  /** Pages under mlock (VM_LOCKED, a VMA flag: mlock of a part splits the VMA), map-relative. */
  readonly locked: IMap<true | 'onfault'>;
  /** VMA flags set by madvise (spec/observe/vma-flags.ts ADV bits; each splits the VMA), map-relative. */
  readonly advised: IMap<number>;
  /**
   * Pages carrying a guard marker (MADV_GUARD_INSTALL, MAP-30), map-relative; absent = none. A
   * marker lives in the page table, not in the VMA flags: it does not split the VMA.
   */
  readonly guard?: IMap<true>;
  /**
   * The uffd-wp state of each page's PTE (UFFDIO_WRITEPROTECT, UFD-20), map-relative; absent =
   * none. `true`: the PTE carries the uffd-wp bit, or, with no page mapped, a uffd-wp marker
   * (file VMAs always get markers). `'maybe'`: a path the spec does not follow to the bit left it
   * either way (a registration that dropped WP keeps stale bits). A PTE-level fact: it does not
   * split the VMA.
   */
  readonly wp?: IMap<true | 'maybe'>;
  /**
   * The poison PTE marker of each page (UFFDIO_POISON, UFD-22), map-relative; absent = none.
   * `'maybe'`: a path the spec does not follow may or may not have left it. A PTE-level fact.
   */
  readonly poison?: IMap<true | 'maybe'>;
}

/**
 * A memslot's userspace_addr as the kernel saw it: inside a mapping (by handle, so it stays the
 * same address after munmap), or a raw address (NULL, or a handle whose mmap had not succeeded:
 * the harness passes the bare offset then, spec/vocab/CONVENTIONS.md).
 */
export type SlotAddr = { readonly kind: 'map'; readonly map: number; readonly offset: bigint } | { readonly kind: 'raw'; readonly addr: bigint };

export interface Slot {
  readonly gfn: number;
  readonly npages: number;
  readonly flags: number;
  readonly uaddr: SlotAddr;
  /** Bound gmem (inode id and file page), or null for a plain slot. */
  /** `gmemOnly`: the file had MMAP, so every guest access is served from it (SLOT-13). */
  readonly gmem: { readonly inode: number; readonly pgoff: number; readonly gmemOnly: boolean } | null;
}

export interface Vm {
  readonly type: number;
  /** The VM fd is open; the VM object itself lives on while a gmem refers to it (SLOT-12). */
  readonly fdOpen: boolean;
  readonly slots: ReadonlyMap<number, Slot>;
  /** GFNs mapped by guest accesses served from gmem (LVL-2: 4K each). */
  readonly sptes: IMap<true>;
  /**
   * A memslot was created or deleted at least once: x86 then sizes the shadow MMU's page budget
   * (kvm_arch_commit_memory_region); before that a shadow-paging vCPU cannot load a root (SLOT-25).
   */
  readonly mmuSized?: true;
  /**
   * A guest access ran in this VM: a target runs its guest's code from a memslot of its own (the
   * native target's code slot, outside the vocabulary), whose pages the MMU maps too (LVL-10).
   */
  readonly guestRan?: true;
}

/** A vCPU (KVM_CREATE_VCPU): it holds its VM alive (kvm_get_kvm) after the VM fd is closed. */
export interface Vcpu {
  readonly vm: number;
  readonly vcpuId: bigint;
}

export interface FdEntry {
  readonly inode: number;
  /** null: not fixed by the op vocabulary (memfd_create flags). */
  readonly cloexec: boolean | null;
}

export interface UffdCtx {
  /** uffdio_api.features (__u64). */
  readonly features: bigint;
}

/**
 * Where a pinned page's bytes are: still the file's page (`file`: the page cache page at the pin's
 * file page, so later writes through the file show), the mapping's private COW copy (`cow`), or a
 * page that left both (a punch, a truncate, munmap of the COW copy): its bytes at that moment, kept
 * alive by the reference (mm/truncate.c: a removed page lives while referenced).
 */
export type PinSrc = 'file' | 'cow' | PageBytes;

/** A pin (docs/kernel-surface.md G07, G12; MAP-33, MAP-36, MAP-37). */
export interface Pin {
  readonly how: 'IO_URING' | 'VMSPLICE';
  readonly inode: number;
  readonly map: number;
  /** File page and map page of pin page 0. */
  readonly fpage: number;
  readonly mpage: number;
  /** The pin's first byte within pin page 0. */
  readonly start: number;
  /** Bytes held. */
  readonly len: number;
  /** Per pin page, where its bytes are. */
  readonly src: IMap<PinSrc>;
  /** VMSPLICE: bytes already read out of the pipe. */
  readonly consumed: number;
}

export interface SpecState {
  readonly nextInode: number;
  readonly vms: PMap<Vm>;
  readonly fds: PMap<FdEntry>;
  readonly inodes: PMap<Inode>;
  readonly maps: PMap<Mapping>;
  /** Map handles whose mmap succeeded, alive or not: their address stays theirs (SlotAddr). */
  readonly mapped: PMap<true>;
  readonly uffds: PMap<UffdCtx>;
  readonly pins: PMap<Pin>;
  readonly vcpus: PMap<Vcpu>;
  readonly taskPolicy: Policy | null;
}
