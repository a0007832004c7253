/**
 * One C call per op kind. ts-pattern's exhaustive() makes a new op kind a compile error here, so
 * the reproducer can never silently drop a step. Guest-side ops have no host equivalent in a
 * standalone program (they need a vCPU and guest code); they are emitted as a KTAP SKIP.
 */
import { match } from 'ts-pattern';
import type { MadviseAdvice, Op, SlotFd, UffdResolveHow, UserAddr } from '../../../spec/vocab/index.js';
import { cstr, i128, i64, u64 } from './c-literal.js';

export type Emitted = { readonly kind: 'call'; readonly code: string } | { readonly kind: 'skip'; readonly why: string };

/** include/uapi/asm-generic/mman-common.h */
const ADVICE: Readonly<Record<MadviseAdvice, number>> = {
  DONTNEED: 4, REMOVE: 9, HUGEPAGE: 14, POPULATE_READ: 22, POPULATE_WRITE: 23, COLLAPSE: 25,
};
const HOW: Readonly<Record<UffdResolveHow, number>> = { COPY: 0, CONTINUE: 1, ZEROPAGE: 2 };
const CALL = { read: 0, write: 1, pread: 2, pwrite: 3, lseek: 4, fsync: 5 } as const;

const call = (code: string): Emitted => ({ kind: 'call', code });
const GUEST_SKIP = 'guest-side op: needs a vCPU running guest code, not reproduced by this standalone program';

const uaddr = (u: UserAddr): string =>
  match(u)
    .with({ kind: 'map' }, (x) => `0, ${x.map}, ${u64(x.offset)}`)
    .with({ kind: 'null' }, () => '1, -1, 0')
    .with({ kind: 'unaligned' }, () => '2, -1, 0')
    .exhaustive();

const slotFd = (s: SlotFd): string =>
  match(s)
    .with({ kind: 'fd' }, (x) => `0, ${x.fd}`)
    .with({ kind: 'vmFd' }, (x) => `1, ${x.vm}`)
    .with({ kind: 'kvmFd' }, () => '2, -1')
    .with({ kind: 'notOpen' }, () => '3, -1')
    .exhaustive();

const reserved = (r: readonly bigint[]): string =>
  `(const uint64_t[6]){ ${Array.from({ length: 6 }, (_, i) => u64(r[i] ?? 0n)).join(', ')} }`;

const access = (o: Extract<Op, { kind: 'load' | 'store' }>): Emitted =>
  call(`op_access(${o.map}, ${u64(o.offset)}, ${cstr(String(o.offset))}, ${o.kind === 'store' ? 1 : 0}, ${o.kind === 'store' ? o.value : 0}, ${HOW[o.onUserfault]}, ${o.fill})`);

export const emitOp = (op: Op): Emitted =>
  match(op)
    .with({ kind: 'createVm' }, (o) => call(`op_create_vm(${o.id}, ${o.type})`))
    .with({ kind: 'closeVm' }, (o) => call(`op_close_vm(${o.vm})`))
    .with({ kind: 'checkExtension' }, (o) => call(`op_check_extension(${o.vm === null ? 1 : 0}, ${o.vm ?? -1}, ${o.cap})`))
    .with({ kind: 'createGmem' }, (o) => call(`op_create_gmem(${o.vm}, ${o.id}, ${u64(o.size)}, ${u64(o.flags)}, ${reserved(o.reserved)})`))
    .with({ kind: 'createMemfd' }, (o) => call(`op_create_memfd(${o.id}, ${i64(o.size)})`))
    .with({ kind: 'close' }, (o) => call(`op_close(${o.fd})`))
    .with({ kind: 'dup' }, (o) => call(`op_dup(${o.fd}, ${o.id})`))
    .with({ kind: 'fstat' }, (o) => call(`op_fstat(${o.fd})`))
    .with({ kind: 'fdFlags' }, (o) => call(`op_fd_flags(${o.fd})`))
    .with({ kind: 'sameInode' }, (o) => call(`op_same_inode(${o.fd}, ${o.other})`))
    .with({ kind: 'fileIo' }, (o) => call(`op_file_io(${o.fd}, ${CALL[o.call]}, ${i64(o.offset)}, ${u64(BigInt(o.len))}, ${o.value})`))
    .with({ kind: 'ftruncate' }, (o) => call(`op_ftruncate(${o.fd}, ${i64(o.size)})`))
    .with({ kind: 'fallocate' }, (o) => call(`op_fallocate(${o.fd}, ${o.mode}, ${i64(o.offset)}, ${i64(o.len)})`))
    .with({ kind: 'mmap' }, (o) => call(`op_mmap(${o.fd}, ${o.id}, ${i64(o.offset)}, ${u64(o.length)}, ${o.prot}, ${o.shared ? 1 : 0})`))
    .with({ kind: 'munmap' }, (o) => call(`op_munmap(${o.map})`))
    .with({ kind: 'mprotect' }, (o) => call(`op_mprotect(${o.map}, ${o.prot})`))
    .with({ kind: 'load' }, access)
    .with({ kind: 'store' }, access)
    .with({ kind: 'madvise' }, (o) => call(`op_madvise(${o.map}, ${i128(o.offset)}, ${i128(o.length)}, ${ADVICE[o.advice]} /* MADV_${o.advice} */)`))
    .with({ kind: 'kernelAccess' }, (o) => call(`op_kernel_access(${o.map}, ${i128(o.offset)}, ${u64(BigInt(o.len))}, ${o.call === 'process_vm_writev' ? 1 : 0}, ${o.value})`))
    .with({ kind: 'mincore' }, (o) => call(`op_mincore(${o.map}, ${i128(o.offset)}, ${o.pages >>> 0}u)`))
    .with({ kind: 'setMemoryRegion' }, (o) => call(
      `op_set_memory_region(${o.vm}, ${o.v1 ? 1 : 0}, ${o.slot >>> 0}u, ${o.flags >>> 0}u, ${u64(o.gpa)}, ${u64(o.size)}, ${uaddr(o.uaddr)}, ${slotFd(o.gmem)}, ${u64(o.gmemOffset)})`))
    .with({ kind: 'mbind' }, (o) => call(`op_mbind(${o.map}, ${i128(o.offset)}, ${i128(o.length)}, ${o.mode}, (unsigned long)${u64(BigInt(o.nodes))}, ${o.flags >>> 0}u)`))
    .with({ kind: 'getMempolicy' }, (o) => call(`op_get_mempolicy(${o.map}, ${i128(o.offset)}, ${o.query === 'ADDR_NODE' ? 1 : 0})`))
    .with({ kind: 'setMempolicy' }, (o) => call(`op_set_mempolicy(${o.mode}, (unsigned long)${u64(BigInt(o.nodes))})`))
    .with({ kind: 'uffdCreate' }, (o) => call(`op_uffd_create(${o.id}, ${u64(BigInt(o.features))})`))
    .with({ kind: 'uffdRegister' }, (o) => call(`op_uffd_register(${o.uffd}, ${o.map}, ${i128(o.offset)}, ${i128(o.length)}, ${u64(BigInt(o.mode))})`))
    .with({ kind: 'uffdResolve' }, (o) => call(`op_uffd_resolve(${o.uffd}, ${HOW[o.how]}, ${o.map}, ${i128(o.offset)}, ${i128(o.length)}, ${o.fill})`))
    .with({ kind: 'convert' }, (o) => call(`op_convert(${o.fd}, ${o.api === 'GMEM-ATTR2' ? 0 : 1}, ${u64(o.offset)}, ${u64(o.len)}, ${o.toPrivate ? 1 : 0})`))
    .with({ kind: 'setMemoryAttributes' }, (o) => call(`op_set_memory_attributes(${o.vm}, ${u64(o.gpa)}, ${u64(o.size)}, ${u64(o.attributes)})`))
    .with({ kind: 'guestAccess' }, () => ({ kind: 'skip', why: GUEST_SKIP }) as const)
    .with({ kind: 'guestMapLevel' }, () => ({ kind: 'skip', why: GUEST_SKIP }) as const)
    .exhaustive();
