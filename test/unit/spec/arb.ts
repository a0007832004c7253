/** A fast-check arbitrary over every Op kind, with small handles and edge-valued sizes/offsets. */
import fc from 'fast-check';
import { OP_KINDS, type Op, type OpKind } from '../../../spec/vocab/index.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';
import { mapFilesArb, pagemapScanArb, procmapQueryArb } from '../../support/procobs-ops.js';

const h = fc.integer({ min: 0, max: 3 });
const big = fc.oneof(
  fc.constantFrom(0n, 1n, P - 1n, P, P + 1n, 2n * P, 4n * P, 16n * P, 1n << 30n, 1n << 40n, (1n << 63n) - P, 1n << 63n, (1n << 64n) - P),
  fc.bigInt({ min: 0n, max: 64n }).map((n) => n * P),
);
const byte = fc.integer({ min: 0, max: 255 });
const how = fc.constantFrom('COPY', 'CONTINUE', 'ZEROPAGE' as const);
const prot = fc.constantFrom(0n, 1n, 2n, 3n, 4n, 5n, 7n, 8n, 16n, 0x01000000n, 1n << 32n, 1n << 63n);

const ops: { [K in OpKind]: fc.Arbitrary<Extract<Op, { kind: K }>> } = {
  createVm: fc.record({ kind: fc.constant('createVm'), id: h, type: fc.constantFrom(0n, 1n, 4n, 7n, 1n << 32n, 1n << 63n) }),
  closeVm: fc.record({ kind: fc.constant('closeVm'), vm: h }),
  checkExtension: fc.record({ kind: fc.constant('checkExtension'), vm: fc.option(h, { nil: null }), cap: fc.constantFrom(1n, 10n, 231n, 233n, 234n, 235n, 236n, 244n, 245n, 250n, 234n | (1n << 32n), 1n << 63n) }),
  createGmem: fc.record({ kind: fc.constant('createGmem'), vm: h, id: h, size: big, flags: fc.constantFrom(0n, 1n, 2n, 3n, 4n, 7n, 1n << 63n), reserved: fc.array(fc.constantFrom(0n, 1n), { maxLength: 6 }) }),
  createMemfd: fc.record({ kind: fc.constant('createMemfd'), id: h, size: big }),
  close: fc.record({ kind: fc.constant('close'), fd: h }),
  dup: fc.record({ kind: fc.constant('dup'), fd: h, id: h }),
  fstat: fc.record({ kind: fc.constant('fstat'), fd: h }),
  fdFlags: fc.record({ kind: fc.constant('fdFlags'), fd: h }),
  sameInode: fc.record({ kind: fc.constant('sameInode'), fd: h, other: h }),
  fileIo: fc.record({ kind: fc.constant('fileIo'), fd: h, call: fc.constantFrom('read', 'write', 'pread', 'pwrite', 'lseek', 'fsync' as const), offset: big, len: fc.constantFrom(0, 1, 4096, 8192), value: byte }),
  ftruncate: fc.record({ kind: fc.constant('ftruncate'), fd: h, size: big }),
  fallocate: fc.record({ kind: fc.constant('fallocate'), fd: h, mode: fc.constantFrom(0, 1, 2, 3, 5, 0x11, 0x41, 0x80, -1), offset: big, len: big }),
  mmap: fc.record({ kind: fc.constant('mmap'), fd: h, id: h, offset: big, length: big, prot, shared: fc.boolean() }),
  mmapEx: fc.record({ kind: fc.constant('mmapEx'), fd: h, id: h, offset: big, length: big, prot, flags: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    place: fc.oneof(fc.constant({ kind: 'any' as const }), h.map((map) => ({ kind: 'over' as const, map }))) }),
  munmap: fc.record({ kind: fc.constant('munmap'), map: h }),
  mprotect: fc.record({ kind: fc.constant('mprotect'), map: h, prot }),
  load: fc.record({ kind: fc.constant('load'), map: h, offset: big, onUserfault: how, fill: byte }),
  store: fc.record({ kind: fc.constant('store'), map: h, offset: big, value: byte, onUserfault: how, fill: byte }),
  madvise: fc.record({ kind: fc.constant('madvise'), map: h, offset: big, length: big, advice: fc.constantFrom('DONTNEED', 'REMOVE', 'COLLAPSE', 'HUGEPAGE', 'POPULATE_READ', 'POPULATE_WRITE' as const) }),
  kernelAccess: fc.record({ kind: fc.constant('kernelAccess'), map: h, offset: big, len: fc.constantFrom(0, 1, 100, 4096, 10000), call: fc.constantFrom('process_vm_readv', 'process_vm_writev', 'proc_mem_read', 'proc_mem_write', 'vmsplice', 'pipe_read_into', 'pipe_write_from', 'pvm_local_read', 'pvm_local_write' as const), value: byte }),
  mincore: fc.record({ kind: fc.constant('mincore'), map: h, offset: big, pages: fc.integer({ min: 0, max: 8 }) }),
  setMemoryRegion: fc.record({
    kind: fc.constant('setMemoryRegion'), vm: h, v1: fc.boolean(), slot: fc.constantFrom(0, 1, 2, 32764, 1 << 16), flags: fc.constantFrom(0, 1, 2, 4, 5, 6, 8),
    gpa: big, size: big,
    uaddr: fc.oneof(fc.constant({ kind: 'null' as const }), fc.constant({ kind: 'unaligned' as const }), fc.record({ kind: fc.constant('map' as const), map: h, offset: big })),
    gmem: fc.oneof(fc.record({ kind: fc.constant('fd' as const), fd: h }), fc.record({ kind: fc.constant('vmFd' as const), vm: h }), fc.constant({ kind: 'kvmFd' as const }), fc.constant({ kind: 'notOpen' as const })),
    gmemOffset: big,
  }),
  mbind: fc.record({ kind: fc.constant('mbind'), map: h, offset: big, length: big, mode: fc.constantFrom(0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 999n, 2n | (1n << 15n), 2n | (1n << 32n), 1n << 31n), nodes: fc.constantFrom(0n, 1n, 2n, 3n, 1n | (1n << 63n)), flags: fc.constantFrom(0, 1, 2, 3, 8) }),
  getMempolicy: fc.record({ kind: fc.constant('getMempolicy'), map: h, offset: big, query: fc.constantFrom('ADDR', 'ADDR_NODE' as const) }),
  setMempolicy: fc.record({ kind: fc.constant('setMempolicy'), mode: fc.constantFrom(0, 1, 2, 4, 9), nodes: fc.constantFrom(0n, 1n, 2n) }),
  uffdCreate: fc.record({ kind: fc.constant('uffdCreate'), id: h, features: fc.constantFrom(0n, 1n << 7n, 1n << 15n, 1n << 20n, 1n << 32n, 1n << 63n) }),
  uffdRegister: fc.record({ kind: fc.constant('uffdRegister'), uffd: h, map: h, offset: big, length: big, mode: fc.constantFrom(0n, 1n, 2n, 3n, 4n, 5n, 8n, 1n | (1n << 32n)) }),
  uffdResolve: fc.record({ kind: fc.constant('uffdResolve'), uffd: h, how, map: h, offset: big, length: big, fill: byte }),
  convert: fc.record({ kind: fc.constant('convert'), fd: h, api: fc.constantFrom('GMEM-ATTR2', 'GMEM-CONVERT' as const), offset: big, len: big, toPrivate: fc.boolean(), errorOffsetIn: fc.oneof(fc.constant(0n), big) }),
  setMemoryAttributes: fc.record({ kind: fc.constant('setMemoryAttributes'), vm: h, gpa: big, size: big, attributes: fc.constantFrom(0n, 8n, 1n) }),
  guestAccess: fc.record({ kind: fc.constant('guestAccess'), vm: h, gpa: big, write: fc.boolean(), value: byte }),
  guestMapLevel: fc.record({ kind: fc.constant('guestMapLevel'), vm: h, gpa: big }),
  futex: fc.record({ kind: fc.constant('futex'), map: h, offset: big, op: fc.constantFrom('WAIT', 'WAKE', 'WAIT_PRIVATE', 'WAKE_PRIVATE', 'WAKE_CLOCK_REALTIME', 'CMD_14', 'WAKE_BIT31' as const), value: fc.nat({ max: 0xffffffff }) }),
  directIo: fc.record({ kind: fc.constant('directIo'), map: h, offset: big, len: fc.constantFrom(0, 1, 512, 4096, 8192), write: fc.boolean(), value: byte }),
  pin: fc.record({ kind: fc.constant('pin'), map: h, offset: big, length: big, how: fc.constantFrom('IO_URING', 'VMSPLICE' as const), id: h }),
  unpin: fc.record({ kind: fc.constant('unpin'), pin: h }),
  mlock: fc.record({ kind: fc.constant('mlock'), map: h, offset: big, length: big, call: fc.constantFrom('MLOCK', 'MLOCK2', 'MUNLOCK' as const), flags: fc.constantFrom(0, 1, 2, 0xffffffff) }),
  msync: fc.record({ kind: fc.constant('msync'), map: h, offset: big, length: big, flags: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 8, -1) }),
  pinRead: fc.record({ kind: fc.constant('pinRead'), pin: h, offset: big, len: fc.constantFrom(0, 1, 4096, 8192) }),
  lseek: fc.record({ kind: fc.constant('lseek'), fd: h, offset: big, whence: fc.constantFrom(0, 1, 2, 3, 4, 5, 2 ** 31, 2 ** 32 - 1) }),
  fileIoV: fc.record({
    kind: fc.constant('fileIoV'), fd: h, call: fc.constantFrom('readv', 'writev', 'preadv', 'pwritev', 'preadv2', 'pwritev2' as const), offset: fc.oneof(big, fc.constantFrom(-1n, -2n)),
    len: fc.constantFrom(0, 1, 4096, 65536), iovcnt: fc.constantFrom(0, 1, 3, 1024, 1025), rwf: fc.constantFrom(0, 1, 8, 0x10, 0x30, 0x100, 0x200, -(2 ** 31)), value: byte,
  }),
  fdMeta: fc.record({ kind: fc.constant('fdMeta'), fd: h, call: fc.constantFrom('fsync', 'fdatasync', 'syncfs', 'fchmod', 'fchown', 'futimens', 'fstatfs' as const), mode: fc.constantFrom(0, 0o644, 0o4777, 0o2777, 0o2767, 0xffffffff) }),
  fcntl: fc.record({
    kind: fc.constant('fcntl'), fd: h,
    cmd: fc.constantFrom('F_GETFD', 'F_SETFD', 'F_GETFL', 'F_SETFL', 'F_GETLK', 'F_SETLK', 'F_OFD_GETLK', 'F_OFD_SETLK', 'F_SETLEASE', 'F_GETLEASE', 'F_ADD_SEALS', 'F_GET_SEALS' as const),
    arg: fc.constantFrom(0n, 1n, 2n, 3n, 0o2000n, 0o40000n, 0x40n, 1n << 31n, 1n << 32n, (1n << 64n) - 1n),
  }),
  spliceLike: fc.record({
    kind: fc.constant('spliceLike'), fd: h, call: fc.constantFrom('sendfileOut', 'spliceOut', 'copyOut', 'sendfileIn', 'spliceIn', 'copyIn', 'teeOut', 'teeIn', 'vmsplice' as const),
    offset: fc.oneof(big, fc.constantFrom(-1n, -2n)), len: fc.constantFrom(0, 1, 4096, 65536), flags: fc.constantFrom(0, 1, 0x10, 2 ** 31), value: byte,
  }),
  spanRange: fc.record({ kind: fc.constant('spanRange'), map: h, tail: fc.nat(4), pages: fc.nat(4), call: fc.constantFrom('madvDontneed', 'madvRemove', 'madvFree', 'madvWillneed', 'protNone', 'protRead', 'protReadWrite', 'mlock', 'mlockOnfault', 'munlock' as const) }),
  copyRange: fc.record({
    kind: fc.constant('copyRange'), src: h, dst: h, srcOff: fc.oneof(big, fc.constantFrom(-1n, -2n, 1n, (1n << 63n) - 1n)), dstOff: fc.oneof(big, fc.constantFrom(-1n, -2n, 1n, (1n << 63n) - 1n)),
    len: fc.constantFrom(0, 1, 2, 4096, 65536), flags: fc.constantFrom(0, 0, 1, 2 ** 31),
  }),
  passFd: fc.record({ kind: fc.constant('passFd'), fd: h, id: h, cloexec: fc.boolean() }),
  uffdPoison: fc.record({ kind: fc.constant('uffdPoison'), uffd: h, map: h, offset: big, length: big, mode: fc.constantFrom(0n, 1n, 2n, 1n << 63n) }),
  uffdWriteProtect: fc.record({ kind: fc.constant('uffdWriteProtect'), uffd: h, map: h, offset: big, length: big, mode: fc.constantFrom(0n, 1n, 2n, 3n, 4n, 1n << 63n) }),
  uffdMove: fc.record({ kind: fc.constant('uffdMove'), uffd: h, src: h, srcOffset: big, map: h, offset: big, length: big, mode: fc.constantFrom(0n, 1n, 2n, 3n, 4n, 1n << 63n) }),
  child: fc.oneof(
    fc.record({ kind: fc.constant('load' as const), map: h, offset: big }),
    fc.record({ kind: fc.constant('store' as const), map: h, offset: big, value: byte }),
    fc.record({ kind: fc.constant('fallocate' as const), fd: h, mode: fc.constantFrom(0, 1, 3, 0x11), offset: big, len: big }),
    fc.record({ kind: fc.constant('ftruncate' as const), fd: h, size: big }),
    fc.record({ kind: fc.constant('vmIoctl' as const), vm: h }),
  ).map((act) => ({ kind: 'child' as const, act })),
  fdReach: fc.record({ kind: fc.constant('fdReach'), fd: h, how: fc.constantFrom('reopenRdonly', 'reopenRdwr', 'reopenPath', 'execKeeps' as const) }),
  createVcpu: fc.record({ kind: fc.constant('createVcpu'), vm: h, id: h, vcpuId: fc.constantFrom(0n, 1n, 4095n, 4096n, (1n << 32n) + 1n) }),
  createGmemMisuse: fc.record({
    kind: fc.constant('createGmemMisuse'),
    on: fc.oneof(fc.record({ kind: fc.constant('vm' as const), vm: h }), fc.constant({ kind: 'kvm' as const }), fc.record({ kind: fc.constant('vcpu' as const), vcpu: h }), fc.record({ kind: fc.constant('fd' as const), fd: h })),
    arg: fc.constantFrom('null', 'guard' as const), ioctlSize: fc.constantFrom('real', 'zero', 'short', 'long', 'max' as const),
  }),
  preFault: fc.record({ kind: fc.constant('preFault'), vcpu: h, gpa: big, size: big, flags: fc.constantFrom(0n, 1n, 1n << 63n), padding: fc.constantFrom([] as bigint[], [1n]) }),
  fdDup: fc.record({ kind: fc.constant('fdDup'), fd: h, id: h, how: fc.constantFrom('dup3', 'dup3Cloexec', 'dupfd', 'dupfdCloexec', 'pidfdGetfd' as const) }),
  fdIoctl: fc.record({ kind: fc.constant('fdIoctl'), fd: h, req: fc.constantFrom('FIOCLEX', 'FIONCLEX', 'FIONBIO', 'FIOASYNC', 'FIOQSIZE', 'FIGETBSZ', 'FIONREAD', 'FIBMAP', 'FS_IOC_FIEMAP', 'FS_IOC_GETFLAGS', 'FS_IOC_SETFLAGS', 'FS_IOC_FSGETXATTR', 'FS_IOC_FSSETXATTR', 'FS_IOC_GETFSUUID', 'FS_IOC_GETFSSYSFSPATH', 'KVM_CREATE_GUEST_MEMFD', 'rawUnknown', 'rawBit31', 'rawAllOnes', 'rawZero', 'closeRangeCloexec' as const), arg: fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1) }),
  fdAdvise: fc.record({
    kind: fc.constant('fdAdvise'), fd: h, call: fc.constantFrom('fadvise', 'readahead', 'syncFileRange' as const), offset: fc.oneof(big, fc.constantFrom(-1n, (1n << 63n) - 1n)),
    len: fc.oneof(big, fc.constantFrom(-1n, 0n, 1n << 62n)), word: fc.constantFrom(0, 1, 4, 5, 6, 7, 8, 2 ** 31, 2 ** 32 - 1),
  }),
  fdUring: fc.record({
    kind: fc.constant('fdUring'), fd: h, call: fc.constantFrom('read', 'write', 'readv', 'writev', 'readFixed', 'writeFixed' as const), offset: fc.oneof(big, fc.constantFrom(-1n, -2n)),
    len: fc.constantFrom(0, 1, 4096, 65536), rwf: fc.constantFrom(0, 1, 2, 8, 0x10, 0x30, 0x200, -(2 ** 31)), value: byte,
  }),
  pathCall: fc.record({
    kind: fc.constant('pathCall'), fd: h,
    call: fc.constantFrom('truncate', 'chmod', 'chown', 'utimensat', 'linkat', 'opathFstat', 'opathFstatfs', 'opathFtruncate', 'opathFallocate', 'opathMmap', 'opathIoctl', 'opathFchmod' as const),
    arg: fc.oneof(big, fc.constantFrom(-1n, 0n, 0o4777n, 4096n)),
  }),
  dirtyLog: fc.record({ kind: fc.constant('dirtyLog'), vm: h, call: fc.constantFrom('get', 'clear' as const), slot: fc.constantFrom(0, 1, 3, 1 << 16, 32764, 2 ** 32 - 1), firstPage: fc.oneof(big, fc.constantFrom(0n, 1n, 64n)), numPages: fc.constantFrom(0, 1, 63, 64, 2 ** 32 - 1) }),
  fdExecCheck: fc.record({ kind: fc.constant('fdExecCheck'), fd: h }),
  fdWatch: fc.record({ kind: fc.constant('fdWatch'), fd: h, mode: fc.constantFrom(0, 1, 3, 0x10, -1), offset: fc.oneof(big, fc.constantFrom(-1n, 0n)), len: fc.constantFrom(0n, 4096n, -1n) }),
  fdPoll: fc.record({ kind: fc.constant('fdPoll'), fd: h, how: fc.constantFrom('poll', 'select', 'epollAdd' as const) }),
  pagemap: fc.record({ kind: fc.constant('pagemap'), map: h, offset: fc.oneof(big, fc.constantFrom(-P, -(1n << 47n))) }),
  fdInfo: fc.record({ kind: fc.constant('fdInfo'), fd: h }),
  movePages: fc.record({ kind: fc.constant('movePages'), map: h, offset: fc.oneof(big, fc.constantFrom(-P, -(1n << 47n))), pages: fc.nat({ max: 8 }), move: fc.boolean(), node: fc.constantFrom(0, 1, -1), flags: fc.constantFrom(0, 2, 4, 8) }),
  numaMaps: fc.record({ kind: fc.constant('numaMaps'), map: h, offset: fc.oneof(big, fc.constantFrom(-P, -(1n << 47n))) }),
  getMempolicyFlags: fc.record({ kind: fc.constant('getMempolicyFlags'), map: h, offset: big, flags: fc.oneof(fc.bigInt({ min: 0n, max: 7n }), fc.constantFrom(1n << 31n, (1n << 32n) | 2n, (1n << 63n) | 2n)) }),
  smaps: fc.record({ kind: fc.constant('smaps'), map: h, offset: fc.oneof(big, fc.constantFrom(-P, -(1n << 47n))) }),
  setVmaName: fc.record({ kind: fc.constant('setVmaName'), map: h, offset: fc.oneof(big, fc.constantFrom(-P, 1n)), length: fc.oneof(big, fc.constantFrom(0n, -1n, P)), name: fc.constantFrom('null', 'valid', 'badChar', 'tooLong' as const) }),
  mprotectRange: fc.record({ kind: fc.constant('mprotectRange'), map: h, offset: fc.oneof(big, fc.constantFrom(-P, 1n, P, 2n * P)), length: fc.oneof(big, fc.constantFrom(0n, 1n, P, 2n * P, 1n << 47n)), prot: fc.oneof(prot, fc.constantFrom(0x1000000n, 0x2000000n, 1n << 32n, 1n << 63n)) }),
  munmapPart: fc.record({ kind: fc.constant('munmapPart'), map: h, offset: fc.oneof(big, fc.constantFrom(-P, 1n, P, 2n * P)), length: fc.oneof(big, fc.constantFrom(0n, 1n, P, 2n * P, 1n << 47n)), id: h }),
  mremap: fc.record({ kind: fc.constant('mremap'), map: h, id: h, oldSize: fc.constantFrom('whole', 'zero' as const), newLength: fc.oneof(big, fc.constantFrom(0n, P, 2n * P, 1n << 47n)), flags: fc.constantFrom(0n, 1n, 2n, 3n, 4n, 5n, 7n, 8n, 1n << 63n), to: fc.oneof(fc.constant({ kind: 'any' as const }), h.map((map) => ({ kind: 'over' as const, map }))) }),
  procmapQuery: procmapQueryArb(h, fc.oneof(big, fc.constantFrom(-P, -(1n << 47n)))),
  pagemapScan: pagemapScanArb(h, fc.oneof(big, fc.constantFrom(-P, -(1n << 47n)))),
  kpageFlags: fc.record({ kind: fc.constant('kpageFlags'), map: h, offset: fc.oneof(big, fc.constantFrom(-P, -(1n << 47n))) }),
  kvmStats: fc.record({
    kind: fc.constant('kvmStats'),
    on: fc.oneof(fc.record({ kind: fc.constant('vm' as const), vm: h }), fc.record({ kind: fc.constant('vcpu' as const), vcpu: h })),
    at: fc.constantFrom('end', 'tail', 'far', 'negative' as const), write: fc.constantFrom('write', 'pwrite' as const),
  }),
  mapFiles: mapFilesArb(h, fc.oneof(big, fc.constantFrom(-P, -(1n << 47n)))),
  setMempolicyHomeNode: fc.record({ kind: fc.constant('setMempolicyHomeNode'), map: h, offset: fc.oneof(big, fc.constantFrom(-P, 1n, -(1n << 47n))), length: fc.oneof(big, fc.constantFrom(0n, 1n, P, -1n, 1n << 63n)), node: fc.constantFrom(0n, 1n, 1n << 32n, (1n << 64n) - 1n), flags: fc.constantFrom(0n, 1n, 1n << 31n, 1n << 32n, 1n << 63n) }),
  setMemoryRegionPad: fc.record({
    kind: fc.constant('setMemoryRegionPad'), vm: h, slot: fc.constantFrom(0, 1, 32764), flags: fc.constantFrom(0, 2, 4, 6),
    gpa: big, size: big,
    uaddr: fc.oneof(fc.constant({ kind: 'null' as const }), fc.record({ kind: fc.constant('map' as const), map: h, offset: big })),
    gmem: fc.oneof(fc.record({ kind: fc.constant('fd' as const), fd: h }), fc.constant({ kind: 'notOpen' as const })),
    gmemOffset: big, pad1: fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1), pad2: fc.constantFrom([] as bigint[], [1n], [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 1n << 63n]),
  }),
};

/** Ops biased towards a live setup: VM 0, a gmem or memfd on fd 0, a mapping 0. */
export const anyOp: fc.Arbitrary<Op> = fc.oneof(...OP_KINDS.map((k) => ops[k] as fc.Arbitrary<Op>));

export const setupOps = (flags: bigint, memfd: boolean): Op[] => [
  { kind: 'createVm', id: 0, type: 0n },
  memfd ? { kind: 'createMemfd', id: 0, size: 16n * P } : { kind: 'createGmem', vm: 0, id: 0, size: 16n * P, flags, reserved: [] },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 32n * P, prot: 3n, shared: true },
  { kind: 'uffdCreate', id: 0, features: 0n },
];
