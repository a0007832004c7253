/**
 * The one operation vocabulary of gmemcheck, declared once. Each entry says what the op is at the
 * kernel ABI: its fields with their C types (and so their ranges), the handles it uses and
 * creates, the file pages it touches, and its enum→number tables. Everything else is derived
 * from these declarations: the Op types, the boundary validator and the remote wire schema
 * (./validate.ts), the text rendering (./render-text.ts), the C call of the reproducer
 * (./render-c.ts), the handle bookkeeping of the minimiser and same-page suspects (./handles.ts).
 * The three behaviours — spec, emulator, kernel — stay independent implementations of each op.
 *
 * Byte quantities userspace passes to the kernel are bigints, so unaligned values and values near
 * 2^63 (CRE-4, FIO-5, SLOT-6) are exact; each is bounded by its C type. Stored or loaded bytes are
 * numbers 0..255. The ok value of each op and the handling of dead handles are fixed in
 * ./CONVENTIONS.md. Adding an op: docs/adding-an-op.md.
 */
import {
  bool, byte, count, creates, enumOf, handle, i64, int, mapOffset, nullable, releases, u32, u64, variant, words,
  type Fields, type ValuesOf,
} from './field.js';
import { PAGE_SIZE } from './handles.js';
import { FALLOC, MADV, MEM, MLOCK_FLAG, MPOL, MPOL_F, MS, PROT, UFFD_MODE } from './uapi.js';
import { FD_OPS } from './ops-fd.js';
import { MAP_OPS } from './ops-map.js';
import { MREMAP_OPS } from './ops-mremap.js';
import { SPAN_OPS } from './ops-span.js';
import { VCPU_OPS } from './ops-vcpu.js';
import { FD2_OPS } from './ops-fd2.js';
import { CHILD_OPS } from './ops-child.js';
import { UFFD_EXTRA_OPS } from './ops-uffd-extra.js';
import { OBSERVE_OPS } from './ops-observe.js';
import { MMRANGE_OPS } from './ops-mmrange.js';
import { MPROT_OPS } from './ops-mprot.js';
import { KVMFD_OPS } from './ops-kvmfd.js';
import { NUMA_OPS } from './ops-numa.js';
import { PROCOBS_OPS } from './ops-procobs.js';
import { UFFDWP_OPS } from './ops-uffdwp.js';
import { HOMESLOT_OPS } from './ops-homeslot.js';
import { KSTATS_OPS } from './ops-kstats.js';
import { UFFDSCAN_OPS } from './ops-uffdscan.js';
import { CONVCOPY_OPS } from './ops-convcopy.js';

/** File pages an op touches: a byte range of the file behind an fd, or of a mapping. */
export type Footprint =
  | { readonly fd: number; readonly offset: bigint; readonly len: bigint }
  | { readonly map: number; readonly offset: bigint; readonly len: bigint };

export interface OpDecl<F extends Fields> {
  /** One line for docs and reports: the call(s) the op stands for. */
  readonly doc: string;
  readonly fields: F;
  /** The file pages the op touches; a created map maps its footprint's file from its offset. */
  readonly footprint?: (op: ValuesOf<F>) => Footprint | undefined;
  /** A created fd that names the same file as another fd field (dup). */
  readonly sameFileAs?: keyof F & string;
  /** Why a standalone C reproducer cannot issue this op (it becomes a KTAP SKIP). */
  readonly notReproducible?: string;
}

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;

/** Enum tables of the vocabulary: name → the number the C side receives. */
export const FILE_IO_CALL = { read: 0, write: 1, pread: 2, pwrite: 3, lseek: 4, fsync: 5 } as const;
/**
 * The kernel-side access paths into a mapping (docs/kernel-surface.md section G). GUP: the remote
 * side of process_vm_readv/writev, vmsplice; GUP with FOLL_FORCE: /proc/self/mem; user copies (the
 * kernel touches the mapping through the user page tables): read(pipe) into it and write(pipe)
 * out of it, and the local side of process_vm_readv/writev (pvm_local_read writes the mapping,
 * pvm_local_write reads it).
 */
export const KERNEL_ACCESS_CALL = {
  process_vm_readv: 0, process_vm_writev: 1, proc_mem_read: 2, proc_mem_write: 3, vmsplice: 4,
  pipe_read_into: 5, pipe_write_from: 6, pvm_local_read: 7, pvm_local_write: 8,
} as const;
/**
 * futex(2) op words: the four the vocabulary waits and wakes with, and three the kernel must
 * refuse with ENOSYS (CLOCK_REALTIME with WAKE, the first unassigned command, bit 31 in the
 * command). Never a real command beyond WAIT/WAKE: LOCK_PI2 (13) would write the caller's TID into
 * the word, REQUEUE would touch a second address.
 */
export const FUTEX_OP = {
  WAIT: 0, WAKE: 1, WAIT_PRIVATE: 128, WAKE_PRIVATE: 129, WAKE_CLOCK_REALTIME: 257, CMD_14: 14, WAKE_BIT31: -0x7fffffff,
} as const;
/**
 * What holds a pin on pages of a mapping (docs/kernel-surface.md G07, G12): an io_uring ring with
 * the range registered as its one fixed buffer (IORING_REGISTER_BUFFERS: a long-term write pin,
 * FOLL_WRITE|FOLL_LONGTERM), or a non-blocking pipe the range was vmspliced into (page references).
 */
export const PIN_HOW = { IO_URING: 0, VMSPLICE: 1 } as const;
/** Which call an `mlock` op makes: mlock(2), mlock2(2) with its flags word, munlock(2). */
export const MLOCK_CALL = { MLOCK: 0, MLOCK2: 1, MUNLOCK: 2 } as const;
/** Pages the pipe behind vmsplice holds (1 MiB, the default fs.pipe-max-size): vmsplice stops when it is full. */
export const PIPE_PAGES = 256;
export const UFFD_RESOLVE = { COPY: 0, CONTINUE: 1, ZEROPAGE: 2 } as const;
export const CONVERT_API = { 'GMEM-ATTR2': 0, 'GMEM-CONVERT': 1 } as const;
export const MEMPOLICY_QUERY = { ADDR: MPOL_F.ADDR, ADDR_NODE: MPOL_F.ADDR | MPOL_F.NODE } as const;

/** Byte and page counts a target allocates buffers for (the generators never ask for more than a page). */
export const MAX_BUFFER_BYTES = 1 << 20;

const fd = handle('fd');
const map = handle('map');
const vm = handle('vm');
const onFd = (fd: number, offset: bigint, len: bigint): Footprint => ({ fd, offset, len });
const onMap = (map: number, offset: bigint, len: bigint): Footprint => ({ map, offset, len });
const resolveHow = enumOf(UFFD_RESOLVE);
const GUEST = 'guest-side op: needs a vCPU running guest code, not reproduced by this standalone program';

/** Where a memslot's userspace_addr points (SLOT-3: it is not cross-checked). */
const userAddr = variant({ map: { map, offset: mapOffset() }, null: {}, unaligned: {} });
/** What the guest_memfd field of a memslot names (SLOT-5); pathFd: an O_PATH descriptor of the fd's file, opened for the call (SLOT-21). */
const slotFd = variant({ fd: { fd }, vmFd: { vm }, kvmFd: {}, notOpen: {}, pathFd: { fd } });

export const OPS = {
  // --- VMs and capabilities ---------------------------------------------------------------
  createVm: decl({ doc: 'KVM_CREATE_VM on /dev/kvm (the type is the ioctl\'s unsigned long argument)', fields: { id: creates('vm'), type: u64() } }),
  closeVm: decl({ doc: 'close() of a VM fd', fields: { vm: releases('vm') } }),
  checkExtension: decl({ doc: 'KVM_CHECK_EXTENSION on /dev/kvm (vm null) or on a VM fd (the capability is the ioctl\'s long argument)', fields: { vm: nullable(vm), cap: u64() } }),
  // --- files ------------------------------------------------------------------------------
  createGmem: decl({
    doc: 'KVM_CREATE_GUEST_MEMFD on a VM fd',
    fields: { vm, id: creates('fd'), size: u64(), flags: u64('hex'), reserved: words(6) },
  }),
  createMemfd: decl({ doc: 'memfd_create + ftruncate: the shmem control backing', fields: { id: creates('fd'), size: i64() } }),
  close: decl({ doc: 'close()', fields: { fd: releases('fd') } }),
  dup: decl({ doc: 'dup()', fields: { fd, id: creates('fd') }, sameFileAs: 'fd' }),
  fstat: decl({ doc: 'fstat(): ok { size, blksize, mode }', fields: { fd } }),
  fdFlags: decl({ doc: 'fcntl(F_GETFL/F_GETFD): ok { accmode, cloexec }', fields: { fd } }),
  sameInode: decl({ doc: 'do two fds name the same inode (st_dev/st_ino)? ok boolean', fields: { fd, other: fd } }),
  fileIo: decl({
    doc: 'read/write/pread/pwrite of len bytes (writes carry value in every byte), lseek(offset, SEEK_SET), fsync',
    fields: { fd, call: enumOf(FILE_IO_CALL), offset: i64(), len: count(MAX_BUFFER_BYTES), value: byte() },
    footprint: (o) => (o.call === 'lseek' || o.call === 'fsync' ? undefined : onFd(o.fd, o.offset, BigInt(o.len))),
  }),
  ftruncate: decl({ doc: 'ftruncate()', fields: { fd, size: i64() }, footprint: (o) => onFd(o.fd, o.size, 1n << 62n) }),
  fallocate: decl({
    doc: 'fallocate()',
    fields: { fd, mode: int({ bits: FALLOC }), offset: i64(), len: i64() },
    footprint: (o) => onFd(o.fd, o.offset, o.len),
  }),
  // --- mappings and host accesses ---------------------------------------------------------
  mmap: decl({
    doc: 'mmap() of an fd, the kernel choosing the address (MAP_SHARED or MAP_PRIVATE)',
    fields: { fd, id: creates('map'), offset: u64(), length: u64(), prot: u64({ bits: PROT, zero: 'NONE' }), shared: bool() },
    footprint: (o) => onFd(o.fd, o.offset, o.length),
  }),
  munmap: decl({ doc: 'munmap() of the whole mapping', fields: { map: releases('map') } }),
  mprotect: decl({ doc: 'mprotect() of the whole mapping', fields: { map, prot: u64({ bits: PROT, zero: 'NONE' }) } }),
  load: decl({
    doc: 'a one-byte host load at a map offset; a userfault is answered with onUserfault (COPY fills with fill)',
    fields: { map, offset: mapOffset(), onUserfault: resolveHow, fill: byte() },
    footprint: (o) => onMap(o.map, o.offset, 1n),
  }),
  store: decl({
    doc: 'a one-byte host store at a map offset; a userfault is answered with onUserfault (COPY fills with fill)',
    fields: { map, offset: mapOffset(), value: byte(), onUserfault: resolveHow, fill: byte() },
    footprint: (o) => onMap(o.map, o.offset, 1n),
  }),
  madvise: decl({
    doc: 'madvise()',
    fields: { map, offset: mapOffset(), length: u64(), advice: enumOf(MADV) },
    footprint: (o) => onMap(o.map, o.offset, o.length),
  }),
  kernelAccess: decl({
    doc: 'a kernel-side access of len bytes at a map offset (KERNEL_ACCESS_CALL: GUP, /proc/self/mem, vmsplice, user copies through a pipe or process_vm_*); data moved into the mapping is value in every byte: ok { count, first }',
    fields: { map, offset: mapOffset(), len: count(MAX_BUFFER_BYTES), call: enumOf(KERNEL_ACCESS_CALL), value: byte() },
    footprint: (o) => onMap(o.map, o.offset, BigInt(o.len)),
  }),
  mlock: decl({
    doc: 'mlock/mlock2/munlock (MLOCK_CALL) of length bytes at a map offset; flags is mlock2\'s (MLOCK_ONFAULT)',
    fields: { map, offset: mapOffset(), length: u64(), call: enumOf(MLOCK_CALL), flags: u32({ bits: MLOCK_FLAG }) },
    footprint: (o) => onMap(o.map, o.offset, o.length),
  }),
  msync: decl({
    doc: 'msync() of length bytes at a map offset with flags (MS_ASYNC|MS_INVALIDATE|MS_SYNC)',
    fields: { map, offset: mapOffset(), length: u64(), flags: int({ bits: MS }) },
    footprint: (o) => onMap(o.map, o.offset, o.length),
  }),
  mincore: decl({
    doc: 'mincore() over `pages` pages: ok boolean[]',
    fields: { map, offset: mapOffset(), pages: count(MAX_BUFFER_BYTES / 4096) },
    footprint: (o) => onMap(o.map, o.offset, BigInt(o.pages) * PAGE_SIZE),
  }),
  // --- memslots ---------------------------------------------------------------------------
  setMemoryRegion: decl({
    doc: 'KVM_SET_USER_MEMORY_REGION2 (or the v1 ioctl when v1); size 0 deletes the slot',
    fields: {
      vm, v1: bool(), slot: u32(), flags: u32({ bits: MEM }), gpa: u64(), size: u64(), uaddr: userAddr, gmem: slotFd, gmemOffset: u64(),
    },
    footprint: (o) => (o.gmem.kind === 'fd' ? onFd(o.gmem.fd, o.gmemOffset, o.size) : undefined),
  }),
  // --- NUMA mempolicy ---------------------------------------------------------------------
  mbind: decl({
    doc: 'mbind() with a one-word node mask',
    fields: { map, offset: mapOffset(), length: u64(), mode: u64({ names: MPOL, unknown: 'MPOL?' }), nodes: u64('hex'), flags: u32('hex') },
    footprint: (o) => onMap(o.map, o.offset, o.length),
  }),
  getMempolicy: decl({
    doc: 'get_mempolicy with MPOL_F_ADDR (ok { mode, nodes }) or MPOL_F_ADDR|MPOL_F_NODE (ok { node })',
    fields: { map, offset: mapOffset(), query: enumOf(MEMPOLICY_QUERY) },
    footprint: (o) => onMap(o.map, o.offset, 1n),
  }),
  setMempolicy: decl({ doc: "set_mempolicy(): the calling task's policy", fields: { mode: int({ names: MPOL, unknown: 'MPOL?' }), nodes: u64('hex') } }),
  // --- userfaultfd ------------------------------------------------------------------------
  uffdCreate: decl({ doc: 'userfaultfd(UFFD_USER_MODE_ONLY) + UFFDIO_API with the given features', fields: { id: creates('uffd'), features: u64('hex') } }),
  uffdRegister: decl({
    doc: 'UFFDIO_REGISTER',
    fields: { uffd: handle('uffd'), map, offset: mapOffset(), length: u64(), mode: u64({ bits: UFFD_MODE }) },
    footprint: (o) => onMap(o.map, o.offset, o.length),
  }),
  uffdResolve: decl({
    doc: 'a resolve ioctl (UFFDIO_COPY/CONTINUE/ZEROPAGE) issued with no fault pending: ok { count }',
    fields: { uffd: handle('uffd'), how: resolveHow, map, offset: mapOffset(), length: u64(), fill: byte() },
    footprint: (o) => onMap(o.map, o.offset, o.length),
  }),
  // --- shareability -----------------------------------------------------------------------
  convert: decl({
    doc: 'proposed in-place conversion on the gmem fd (SHR-3 / SHR-10) with errorOffsetIn in the struct\'s error_offset (the series refuses non-zero: SHR-23; traces recorded before the field read it as 0); errno may carry errorOffset',
    fields: { fd, api: enumOf(CONVERT_API), offset: u64(), len: u64(), toPrivate: bool(), errorOffsetIn: u64() },
    footprint: (o) => onFd(o.fd, o.offset, o.len),
  }),
  setMemoryAttributes: decl({ doc: 'VM-level KVM_SET_MEMORY_ATTRIBUTES (SHR-1)', fields: { vm, gpa: u64(), size: u64(), attributes: u64() } }),
  // --- guest side -------------------------------------------------------------------------
  guestAccess: decl({
    doc: 'a guest access of one byte at a GPA: ok { value } or an exit',
    fields: { vm, gpa: u64(), write: bool(), value: byte() },
    notReproducible: GUEST,
  }),
  guestMapLevel: decl({
    doc: 'the guest mapping level at a GPA after a guest access: ok { level: 0 (none) | 1 (4K) | 2 (2M) | 3 (1G) }',
    fields: { vm, gpa: u64() },
    notReproducible: GUEST,
  }),
  // --- the wider kernel surface (issue 15, docs/kernel-surface.md) -----------------------
  futex: decl({
    doc: 'futex(2) on the 32-bit word at a map offset: WAIT with a zero timeout (EAGAIN if the word is not value, ETIMEDOUT if it is), WAKE (ok { woken })',
    fields: { map, offset: mapOffset(), op: enumOf(FUTEX_OP), value: u32('hex') },
    footprint: (o) => onMap(o.map, o.offset, 4n),
  }),
  directIo: decl({
    doc: 'O_DIRECT I/O of len bytes between a scratch file on a block filesystem and a map offset: read = file (value in every byte) into the mapping, write = the mapping into the file: ok { count, first }',
    fields: { map, offset: mapOffset(), len: count(MAX_BUFFER_BYTES), write: bool(), value: byte() },
    footprint: (o) => onMap(o.map, o.offset, BigInt(o.len)),
  }),
  pin: decl({
    doc: 'pin length bytes at a map offset (PIN_HOW: IORING_REGISTER_BUFFERS on a new ring, or vmsplice into a new non-blocking pipe): ok { count } = the bytes held',
    fields: { map, offset: mapOffset(), length: u64(), how: enumOf(PIN_HOW), id: creates('pin') },
    footprint: (o) => onMap(o.map, o.offset, o.length),
  }),
  unpin: decl({ doc: 'drop a pin (IORING_UNREGISTER_BUFFERS and close the ring; close both ends of the pipe)', fields: { pin: releases('pin') } }),
  pinRead: decl({
    doc: 'read len bytes through a pin: io_uring WRITE_FIXED from the registered buffer at offset into a scratch memfd; read(2) of the pipe (pread at offset ≠ 0): ok { count, first }',
    fields: { pin: handle('pin'), offset: u64(), len: count(MAX_BUFFER_BYTES) },
  }),
  // --- fd-level calls (issue 15; ./ops-fd.ts) ---------------------------------------------
  ...FD_OPS,
  // --- the mapping family (issue 15; ./ops-map.ts) ---------------------------------------
  ...MAP_OPS,
  // --- the vCPU side and creation misuse (issue 15; ./ops-vcpu.ts) -------------------------
  ...VCPU_OPS,
  // --- the rest of the fd-level calls (issue 15; ./ops-fd2.ts) ---------------------------
  ...FD2_OPS,
  // --- the forked child (issue 15; ./ops-child.ts) ---------------------------------------
  ...CHILD_OPS,
  // --- the remaining userfaultfd calls (issue 15; ./ops-uffd-extra.ts) --------------------
  ...UFFD_EXTRA_OPS,
  // --- observation (issue 15; ./ops-observe.ts) ------------------------------------------
  ...OBSERVE_OPS,
  // --- naming a VMA (issue 15; ./ops-mremap.ts) ------------------------------------------
  ...MREMAP_OPS,
  // --- partial munmap (issue 15; ./ops-mmrange.ts) ---------------------------------------
  ...MMRANGE_OPS,
  // --- the fd and memslot calls of round 4 (issue 15; ./ops-kvmfd.ts) ---------------------
  ...KVMFD_OPS,
  // --- NUMA: get_mempolicy's flags word, numa_maps (issue 15; ./ops-numa.ts) ----------------
  ...NUMA_OPS,
  // --- procfs query ioctls (issue 15; ./ops-procobs.ts) ----------------------------------
  ...PROCOBS_OPS,
  // --- userfaultfd write protection (issue 15; ./ops-uffdwp.ts) ----------------------------
  ...UFFDWP_OPS,
  // --- set_mempolicy_home_node, memslot pads (issue 15, round 5; ./ops-homeslot.ts) ------------
  ...HOMESLOT_OPS,
  // --- mprotect of a range (issue 15; ./ops-mprot.ts) -------------------------------------
  ...MPROT_OPS,
  // --- KVM binary statistics (issue 15, round 5; ./ops-kstats.ts) ----------------------------
  ...KSTATS_OPS,
  // --- userfaultfd poison markers (issue 15; ./ops-uffdscan.ts) ---------------------------
  ...UFFDSCAN_OPS,
  // --- copy_file_range between two files of the sequence (issue 15; ./ops-convcopy.ts) ------
  ...CONVCOPY_OPS,
  // --- a range op spanning a mapping and an anonymous VMA after it (issue 15; ./ops-span.ts) --
  ...SPAN_OPS,
} as const;

type Decls = typeof OPS;
export type OpKind = keyof Decls;
type FieldsOf<K extends OpKind> = Decls[K] extends OpDecl<infer F> ? F : never;
type Shape<K extends OpKind> = { readonly [P in 'kind' | keyof FieldsOf<K>]: P extends 'kind' ? K : ValuesOf<FieldsOf<K>>[P & keyof ValuesOf<FieldsOf<K>>] };
export type Op = { [K in OpKind]: Shape<K> }[OpKind];
export type OpOf<K extends OpKind> = Extract<Op, { readonly kind: K }>;

/** Every op kind, in declaration order. */
export const OP_KINDS = Object.keys(OPS) as OpKind[];

/** The declaration of an op kind, with its fields typed generically (for the derived consumers). */
export const declOf = (kind: OpKind): OpDecl<Fields> => OPS[kind] as unknown as OpDecl<Fields>;

export type UserAddr = OpOf<'setMemoryRegion'>['uaddr'];
export type SlotFd = OpOf<'setMemoryRegion'>['gmem'];
export type MadviseAdvice = OpOf<'madvise'>['advice'];
export type FileIoCall = OpOf<'fileIo'>['call'];
export type KernelAccessCall = OpOf<'kernelAccess'>['call'];
export type UffdResolveHow = OpOf<'load'>['onUserfault'];
export type ConvertApi = OpOf<'convert'>['api'];
export type MempolicyQuery = OpOf<'getMempolicy'>['query'];
export * from './ops-fd.js';
export * from './ops-map.js';
export * from './ops-vcpu.js';
export * from './ops-fd2.js';
export * from './ops-child.js';
export * from './ops-uffd-extra.js';
export * from './ops-observe.js';
export * from './ops-mmrange.js';
export * from './ops-mprot.js';
export * from './ops-kvmfd.js';
export * from './ops-numa.js';
export * from './ops-procobs.js';
export * from './ops-uffdwp.js';
export * from './ops-homeslot.js';
export * from './ops-kstats.js';
export * from './ops-uffdscan.js';
export * from './ops-convcopy.js';
export * from './ops-span.js';
