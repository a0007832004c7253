/**
 * What a target found out about its kernel: one typed interface every target fills (the emulator
 * from its model, the native target from the kernel, the remote target by forwarding its agent's).
 * Raw facts only: spec/profiles/derive.ts turns them into a Profile. Each behavioural answer is
 * either a value or `{ undecided: reason }`, so a report can say why a variant stayed open.
 */
import type { OpKind } from './ops.js';
import type { Errno } from './errno.js';

/** KVM_CHECK_EXTENSION answers by capability number. */
export type CapTable = Readonly<Record<number, number>>;

/** How an op ended, in one word: 'ok', the errno's name, or the outcome kind (a signal, …). */
export type OutcomeName = 'ok' | Errno | 'signal' | 'uffd' | 'exit';

export interface Undecided {
  readonly undecided: string;
}
export type Probed<T extends string | number | boolean> = T | Undecided;

export const isUndecided = <T extends string | number | boolean>(p: Probed<T>): p is Undecided =>
  typeof p === 'object' && p !== null;
export const undecided = (why: string): Undecided => ({ undecided: why });

/**
 * Behavioural probes for ABI differences that have no capability (ENV-1). The comment names what
 * each one decides; docs/probe-records/ holds what they answered on real kernels.
 */
export interface Behaviours {
  /** P-RESERVED: KVM_CREATE_GUEST_MEMFD with all-ones reserved words succeeds. */
  readonly reservedIgnored: Probed<boolean>;
  /** P-BIND-OVERLAP: a second memslot over the same gmem range (EINVAL on 6.18, EEXIST on 7.2). */
  readonly bindOverlapErrno: Probed<OutcomeName>;
  /** P-OFFSET: a bind at guest_memfd_offset 0x7fffffffffffe000, size 0x2000 is accepted (signed wrap, 6.18). */
  readonly offsetSigned: Probed<boolean>;
  /** P-DEFAULT-SHARE: a host load through an MMAP-only gmem mapping works (the file is shared by default). */
  readonly mmapOnlyShared: Probed<boolean>;
  /** P-MMAP-NOSHARED-GUEST: binding an MMAP-only (not INIT_SHARED) file to a type-0 VM (ok on 6.18, obs:MS-02). */
  readonly mmapOnlyBindErrno: Probed<OutcomeName>;
  /** features.write: pwrite of one page into a fresh shared gmem file. */
  readonly pwriteErrno: Probed<OutcomeName>;
  /**
   * P-WRITE: a second pwrite of a page a first pwrite populated, in a file created with flag bit 2
   * where it is accepted (NO_DIRECT_MAP under the direct-map series): EEXIST = ONCE (the folio left
   * the direct map for good), ok = MERMAP.
   */
  readonly pwriteAgainErrno: Probed<OutcomeName>;
  /** CRE-7: the gmem fd is close-on-exec (informational). */
  readonly gmemCloexec: Probed<boolean>;
  /** KVM_SET_MEMORY_ATTRIBUTES on a type-0 VM (6.18: ENOTTY; 7.2: EINVAL). */
  readonly memoryAttributesErrno: Probed<OutcomeName>;
  /** P-CONV-API: KVM_SET_MEMORY_ATTRIBUTES2 on the gmem fd (ENOTTY where absent). */
  readonly convertAttr2Errno: Probed<OutcomeName>;
  /** P-CONV-API: KVM_GMEM_CONVERT_PRIVATE (RFC) on the gmem fd (ENOTTY where absent). */
  readonly convertRfcErrno: Probed<OutcomeName>;
  /** P-POL-SCOPE: an mbind policy survives munmap + mmap of the same offsets (inode policy). */
  readonly mbindSurvivesRemap: Probed<boolean>;
  /** P-POL-QUERY: get_mempolicy(MPOL_F_ADDR) on a gmem page without a policy reports the task policy. */
  readonly polQueryTask: Probed<boolean>;
  /** P-THP-COLLAPSE: MADV_COLLAPSE on a gmem mapping. */
  readonly collapseErrno: Probed<OutcomeName>;
  /** features.uffd: UFFDIO_REGISTER(MISSING) of a shared gmem mapping. */
  readonly uffdRegisterGmem: Probed<OutcomeName>;
  /** P-GUEST-PATH: a guest read of a gmem slot whose userspace_addr holds other bytes sees the gmem ones. */
  readonly guestPath: Probed<'GMEM' | 'UADDR'>;
  /** P-IOURING-BUFMAX: IORING_REGISTER_BUFFERS of 2^40 + 1 bytes (EFAULT: the 1 GiB cap up to 6.18; EINVAL: the 1 TiB cap of 7.2). */
  readonly iouringBufMaxErrno: Probed<OutcomeName>;
  /** P-SHMEM-UFFD-EOF: UFFDIO_COPY into a memfd page past EOF (EFAULT ≤ 7.1; ENOMEM with 7.2's vm_uffd_ops). */
  readonly shmemCopyEofErrno: Probed<OutcomeName>;
  /**
   * P-DIO-ALIGN: after an O_DIRECT read of 4096 bytes into a fresh memfd mapping at byte 1 (off
   * every device's DMA alignment) was refused, are the pages it covers resident? true = the buffer
   * was pinned before the refusal (PIN-FIRST), false = refused before any pin (CHECK-FIRST).
   */
  readonly dioMisalignedPins: Probed<boolean>;
  /** KVM_PRE_FAULT_MEMORY on a vCPU (6.18/PVM: EOPNOTSUPP; 7.2: ok). */
  readonly preFaultErrno: Probed<OutcomeName>;
  /** P-FSMAGIC: fstatfs f_type of a gmem fd (0x09041934 anon_inode; 0x474d454d guest_memfd fs). */
  readonly fsMagic: Probed<number>;
  /** /sys/kernel/mm/transparent_hugepage/enabled (informational). */
  readonly thp: Probed<'always' | 'madvise' | 'never'>;
}

export type BehaviourKey = keyof Behaviours;

export interface ProbeResult {
  readonly target: string;
  /** uname -r, or "emulator (<profile>)". */
  readonly release: string;
  /**
   * KVM_CHECK_EXTENSION values per scope: on /dev/kvm and on a type-0 VM. They can differ (7.2:
   * cap 233 is 8 on /dev/kvm and 0 on a VM), so each answer is kept with its scope.
   */
  readonly caps: {
    readonly kvm: CapTable;
    readonly vm: CapTable;
    /** On a VM of the first type with private memory (x86: SW_PROTECTED, SNP, TDX), when one exists. */
    readonly privateVm?: CapTable;
  };
  /** VM types KVM_CREATE_VM accepted. */
  readonly vmTypes: readonly number[];
  readonly numaNodes: number;
  readonly behaviours: Behaviours;
  /** Op kinds this target cannot issue or observe, each with the reason (reported as SKIP). */
  readonly unsupported: Readonly<Partial<Record<OpKind, string>>>;
}

/** Every behaviour key, for validators and reports (the mapped type keeps it complete). */
const KEYS: { readonly [K in BehaviourKey]: true } = {
  reservedIgnored: true, bindOverlapErrno: true, offsetSigned: true, mmapOnlyShared: true, mmapOnlyBindErrno: true, pwriteErrno: true, pwriteAgainErrno: true,
  gmemCloexec: true, memoryAttributesErrno: true, convertAttr2Errno: true, convertRfcErrno: true,
  mbindSurvivesRemap: true, polQueryTask: true, collapseErrno: true, uffdRegisterGmem: true, guestPath: true, iouringBufMaxErrno: true,
  preFaultErrno: true, fsMagic: true, thp: true, shmemCopyEofErrno: true, dioMisalignedPins: true,
};
export const BEHAVIOUR_KEYS = Object.keys(KEYS) as BehaviourKey[];

/** `name=value` or `name=? (reason)`, for reports and `gmemcheck probe`. */
export const formatBehaviour = (k: BehaviourKey, v: Probed<string | number | boolean>): string =>
  isUndecided(v) ? `${k}=? (${v.undecided})` : `${k}=${k === 'fsMagic' && typeof v === 'number' ? `0x${v.toString(16)}` : String(v)}`;
