/**
 * Structural validation of an incoming Op: every kind of the vocabulary, every field type-checked,
 * no unknown kind or field. The schema table is typed against spec/vocab/ops.ts, so adding an op
 * kind or a field without a check here is a compile error (the agent never forwards a field it has
 * not checked). Ranges are the C types the native target passes them as; buffer lengths are capped
 * because the agent allocates them (the generators never ask for more than one page).
 */
import type { Op, OpKind, OpOf, SlotFd, UserAddr } from '../../../spec/vocab/index.js';
import { arrayOf, big, bool, exact, int, nullable, oneOf, tagged, type Check } from './check.js';

/** Handles are small indices into the sequence's own tables. */
const handle = int(0, 2 ** 31 - 1);
/** A C int or u32 (flags, modes, caps, slot ids): either reading of the 32 bits is accepted. */
const c32 = int(-(2 ** 31), 2 ** 32 - 1);
const byte = int(0, 255);
/** Byte counts the agent allocates buffers for. */
export const MAX_BUFFER_BYTES = 1 << 20;
const bufLen = int(0, MAX_BUFFER_BYTES);
/**
 * Byte quantities: what the 64 bits of a u64 or loff_t carry, in either reading ([-2^63, 2^64)).
 * The generators probe values around and past 2^63 (kernel-rules.md CRE-4, FIO-5), and each target
 * reads them as its C type; a value outside (±2^64, 2^127) cannot reach a kernel at all, so it is
 * refused here (issue 12: a length of 2^64 + 4096 once mapped one page while the target recorded
 * the full length).
 */
const b64 = big(-(1n << 63n), (1n << 64n) - 1n);
/** kvm_create_guest_memfd has 6 reserved words (include/uapi/linux/kvm.h): no more can be sent. */
const RESERVED_WORDS = 6;
const uffdHow = oneOf('COPY', 'CONTINUE', 'ZEROPAGE');

const userAddr: Check<UserAddr> = tagged('kind', {
  map: exact({ map: handle, offset: b64 }),
  null: exact({}),
  unaligned: exact({}),
});

const slotFd: Check<SlotFd> = tagged('kind', {
  fd: exact({ fd: handle }),
  vmFd: exact({ vm: handle }),
  kvmFd: exact({}),
  notOpen: exact({}),
});

type Fields<K extends OpKind> = { readonly [F in Exclude<keyof OpOf<K>, 'kind'>]-?: Check<OpOf<K>[F]> };
type OpSchema = { readonly [K in OpKind]: Fields<K> };

const OP_SCHEMA: OpSchema = {
  createVm: { id: handle, type: c32 },
  closeVm: { vm: handle },
  checkExtension: { vm: nullable(handle), cap: c32 },
  createGmem: { vm: handle, id: handle, size: b64, flags: b64, reserved: arrayOf(b64, RESERVED_WORDS) },
  createMemfd: { id: handle, size: b64 },
  close: { fd: handle },
  dup: { fd: handle, id: handle },
  fstat: { fd: handle },
  fdFlags: { fd: handle },
  sameInode: { fd: handle, other: handle },
  fileIo: { fd: handle, call: oneOf('read', 'write', 'pread', 'pwrite', 'lseek', 'fsync'), offset: b64, len: bufLen, value: byte },
  ftruncate: { fd: handle, size: b64 },
  fallocate: { fd: handle, mode: c32, offset: b64, len: b64 },
  mmap: { fd: handle, id: handle, offset: b64, length: b64, prot: c32, shared: bool },
  munmap: { map: handle },
  mprotect: { map: handle, prot: c32 },
  load: { map: handle, offset: b64, onUserfault: uffdHow, fill: byte },
  store: { map: handle, offset: b64, value: byte, onUserfault: uffdHow, fill: byte },
  madvise: { map: handle, offset: b64, length: b64, advice: oneOf('DONTNEED', 'REMOVE', 'COLLAPSE', 'HUGEPAGE', 'POPULATE_READ', 'POPULATE_WRITE') },
  kernelAccess: { map: handle, offset: b64, len: bufLen, call: oneOf('process_vm_readv', 'process_vm_writev'), value: byte },
  mincore: { map: handle, offset: b64, pages: int(0, MAX_BUFFER_BYTES / 4096) },
  setMemoryRegion: {
    vm: handle, v1: bool, slot: c32, flags: c32, gpa: b64, size: b64, uaddr: userAddr, gmem: slotFd, gmemOffset: b64,
  },
  mbind: { map: handle, offset: b64, length: b64, mode: c32, nodes: c32, flags: c32 },
  getMempolicy: { map: handle, offset: b64, query: oneOf('ADDR', 'ADDR_NODE') },
  setMempolicy: { mode: c32, nodes: c32 },
  uffdCreate: { id: handle, features: c32 },
  uffdRegister: { uffd: handle, map: handle, offset: b64, length: b64, mode: c32 },
  uffdResolve: { uffd: handle, how: uffdHow, map: handle, offset: b64, length: b64, fill: byte },
  convert: { fd: handle, api: oneOf('GMEM-ATTR2', 'GMEM-CONVERT'), offset: b64, len: b64, toPrivate: bool },
  setMemoryAttributes: { vm: handle, gpa: b64, size: b64, attributes: b64 },
  guestAccess: { vm: handle, gpa: b64, write: bool, value: byte },
  guestMapLevel: { vm: handle, gpa: b64 },
};

/** Every Op: tagged by `kind`, each variant exact. */
export const opCheck: Check<Op> = tagged(
  'kind',
  Object.fromEntries(Object.entries(OP_SCHEMA).map(([k, fields]) => [k, exact(fields as Record<string, Check<unknown>>)])),
);
