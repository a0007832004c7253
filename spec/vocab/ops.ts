/**
 * The one operation vocabulary of gmemcheck. The spec, the generators, every target, the remote
 * protocol, the reports and the C reproducer all speak it. Byte quantities that userspace passes
 * to the kernel are bigint so that unaligned values and values near 2^63 (kernel-rules.md CRE-4,
 * FIO-5, SLOT-6) are expressible exactly; byte values stored or loaded are numbers 0..255.
 * The ok value of each op and the handling of dead handles are fixed in ./CONVENTIONS.md.
 */
import type { FdHandle, MapHandle, UffdHandle, VmHandle } from './handles.js';

/** Where a memslot's userspace_addr points (kernel-rules.md SLOT-3: it is not cross-checked). */
export type UserAddr =
  | { readonly kind: 'map'; readonly map: MapHandle; readonly offset: bigint }
  | { readonly kind: 'null' }
  | { readonly kind: 'unaligned' };

/** What the guest_memfd field of a memslot names (kernel-rules.md SLOT-5). */
export type SlotFd =
  | { readonly kind: 'fd'; readonly fd: FdHandle }
  | { readonly kind: 'vmFd'; readonly vm: VmHandle }
  | { readonly kind: 'kvmFd' }
  | { readonly kind: 'notOpen' };

export type MadviseAdvice = 'DONTNEED' | 'REMOVE' | 'COLLAPSE' | 'HUGEPAGE' | 'POPULATE_READ' | 'POPULATE_WRITE';
export type FileIoCall = 'read' | 'write' | 'pread' | 'pwrite' | 'lseek' | 'fsync';
export type KernelAccessCall = 'process_vm_readv' | 'process_vm_writev';
export type UffdResolveHow = 'COPY' | 'CONTINUE' | 'ZEROPAGE';
export type ConvertApi = 'GMEM-ATTR2' | 'GMEM-CONVERT';
export type MempolicyQuery = 'ADDR' | 'ADDR_NODE';

export type Op =
  // --- VMs and capabilities ---------------------------------------------------------------
  | { readonly kind: 'createVm'; readonly id: VmHandle; readonly type: number }
  | { readonly kind: 'closeVm'; readonly vm: VmHandle }
  /** KVM_CHECK_EXTENSION on /dev/kvm (vm === null) or on a VM fd. */
  | { readonly kind: 'checkExtension'; readonly vm: VmHandle | null; readonly cap: number }
  // --- files ------------------------------------------------------------------------------
  | {
      readonly kind: 'createGmem'; readonly vm: VmHandle; readonly id: FdHandle;
      readonly size: bigint; readonly flags: bigint; readonly reserved: readonly bigint[];
    }
  /** memfd_create + ftruncate: the shmem control backing for the uffd properties. */
  | { readonly kind: 'createMemfd'; readonly id: FdHandle; readonly size: bigint }
  | { readonly kind: 'close'; readonly fd: FdHandle }
  | { readonly kind: 'dup'; readonly fd: FdHandle; readonly id: FdHandle }
  /** fstat: ok value { size, blksize, mode }. */
  | { readonly kind: 'fstat'; readonly fd: FdHandle }
  /** fcntl(F_GETFL/F_GETFD): ok value { accmode, cloexec }. */
  | { readonly kind: 'fdFlags'; readonly fd: FdHandle }
  /** Do two fds name the same inode (st_dev/st_ino)? ok value boolean. */
  | { readonly kind: 'sameInode'; readonly fd: FdHandle; readonly other: FdHandle }
  /** read/write/pread/pwrite of len bytes (writes carry `value` in every byte), lseek(offset, SEEK_SET), fsync. */
  | {
      readonly kind: 'fileIo'; readonly fd: FdHandle; readonly call: FileIoCall;
      readonly offset: bigint; readonly len: number; readonly value: number;
    }
  | { readonly kind: 'ftruncate'; readonly fd: FdHandle; readonly size: bigint }
  | { readonly kind: 'fallocate'; readonly fd: FdHandle; readonly mode: number; readonly offset: bigint; readonly len: bigint }
  // --- mappings and host accesses ---------------------------------------------------------
  | {
      readonly kind: 'mmap'; readonly fd: FdHandle; readonly id: MapHandle; readonly offset: bigint;
      readonly length: bigint; readonly prot: number; readonly shared: boolean;
    }
  | { readonly kind: 'munmap'; readonly map: MapHandle }
  | { readonly kind: 'mprotect'; readonly map: MapHandle; readonly prot: number }
  /**
   * A one-byte host load / store at a map-relative offset. If the access raises a userfault, a
   * handler thread answers with `onUserfault` (COPY fills the page with `fill`); see the `uffd`
   * outcome. Without a uffd registration `onUserfault` is irrelevant.
   */
  | {
      readonly kind: 'load'; readonly map: MapHandle; readonly offset: bigint;
      readonly onUserfault: UffdResolveHow; readonly fill: number;
    }
  | {
      readonly kind: 'store'; readonly map: MapHandle; readonly offset: bigint; readonly value: number;
      readonly onUserfault: UffdResolveHow; readonly fill: number;
    }
  | { readonly kind: 'madvise'; readonly map: MapHandle; readonly offset: bigint; readonly length: bigint; readonly advice: MadviseAdvice }
  /** Kernel-side access through GUP (process_vm_readv/writev on our own pid). ok value { count, first }. */
  | { readonly kind: 'kernelAccess'; readonly map: MapHandle; readonly offset: bigint; readonly len: number; readonly call: KernelAccessCall; readonly value: number }
  /** mincore over `pages` pages: ok value boolean[] (resident or not). */
  | { readonly kind: 'mincore'; readonly map: MapHandle; readonly offset: bigint; readonly pages: number }
  // --- memslots ---------------------------------------------------------------------------
  /** KVM_SET_USER_MEMORY_REGION2 (or the v1 ioctl when `v1`); size 0 deletes the slot. */
  | {
      readonly kind: 'setMemoryRegion'; readonly vm: VmHandle; readonly v1: boolean; readonly slot: number;
      readonly flags: number; readonly gpa: bigint; readonly size: bigint; readonly uaddr: UserAddr;
      readonly gmem: SlotFd; readonly gmemOffset: bigint;
    }
  // --- NUMA mempolicy ---------------------------------------------------------------------
  | { readonly kind: 'mbind'; readonly map: MapHandle; readonly offset: bigint; readonly length: bigint; readonly mode: number; readonly nodes: number; readonly flags: number }
  /** get_mempolicy with MPOL_F_ADDR (ok { mode, nodes }) or MPOL_F_ADDR|MPOL_F_NODE (ok { node }). */
  | { readonly kind: 'getMempolicy'; readonly map: MapHandle; readonly offset: bigint; readonly query: MempolicyQuery }
  /** set_mempolicy: the calling task's policy. */
  | { readonly kind: 'setMempolicy'; readonly mode: number; readonly nodes: number }
  // --- userfaultfd ------------------------------------------------------------------------
  /** userfaultfd(UFFD_USER_MODE_ONLY) + UFFDIO_API with the given features. */
  | { readonly kind: 'uffdCreate'; readonly id: UffdHandle; readonly features: number }
  | { readonly kind: 'uffdRegister'; readonly uffd: UffdHandle; readonly map: MapHandle; readonly offset: bigint; readonly length: bigint; readonly mode: number }
  /** A resolve ioctl issued with no fault pending (e.g. COPY onto a populated page). ok value { count }. */
  | { readonly kind: 'uffdResolve'; readonly uffd: UffdHandle; readonly how: UffdResolveHow; readonly map: MapHandle; readonly offset: bigint; readonly length: bigint; readonly fill: number }
  // --- shareability -----------------------------------------------------------------------
  /** Proposed in-place conversion on the gmem fd (kernel-rules.md SHR-3 / SHR-10). errno may carry errorOffset. */
  | { readonly kind: 'convert'; readonly fd: FdHandle; readonly api: ConvertApi; readonly offset: bigint; readonly len: bigint; readonly toPrivate: boolean }
  /** VM-level KVM_SET_MEMORY_ATTRIBUTES (kernel-rules.md SHR-1). */
  | { readonly kind: 'setMemoryAttributes'; readonly vm: VmHandle; readonly gpa: bigint; readonly size: bigint; readonly attributes: bigint }
  // --- guest side -------------------------------------------------------------------------
  /** A guest access of one byte at a GPA. ok { value } or an `exit`. */
  | { readonly kind: 'guestAccess'; readonly vm: VmHandle; readonly gpa: bigint; readonly write: boolean; readonly value: number }
  /** The guest mapping level at a GPA after a guest access: ok { level: 0 (none) | 1 (4K) | 2 (2M) | 3 (1G) }. */
  | { readonly kind: 'guestMapLevel'; readonly vm: VmHandle; readonly gpa: bigint };

export type OpKind = Op['kind'];
export type OpOf<K extends OpKind> = Extract<Op, { kind: K }>;

/** Every op kind, for exhaustiveness tests and for capability tables. */
export const OP_KINDS = [
  'createVm', 'closeVm', 'checkExtension', 'createGmem', 'createMemfd', 'close', 'dup', 'fstat', 'fdFlags',
  'sameInode', 'fileIo', 'ftruncate', 'fallocate', 'mmap', 'munmap', 'mprotect', 'load', 'store', 'madvise',
  'kernelAccess', 'mincore', 'setMemoryRegion', 'mbind', 'getMempolicy', 'setMempolicy', 'uffdCreate',
  'uffdRegister', 'uffdResolve', 'convert', 'setMemoryAttributes', 'guestAccess', 'guestMapLevel',
] as const satisfies readonly OpKind[];
