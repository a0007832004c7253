/**
 * The behavioural probes, typed: each answers one ABI question that no capability answers
 * (kernel-rules.md ENV-1), and spec/profiles/derive.ts turns the answers into profile variants.
 * Targets report them in ProbeResult.behaviours (a plain record on the wire); `typedBehaviours`
 * reads that record back, keeping a value only when it has the declared type, so a target that
 * reports a probe in the wrong shape leaves the variant undecided instead of deciding it wrongly.
 */
import type { Value } from '../spec/vocab/index.js';

export interface Behaviours {
  /** P-BIND-OVERLAP: errno of binding an already-bound file range again (EINVAL ≤ 7.1, EEXIST 7.2). */
  readonly bindOverlapErrno?: string;
  /** P-OFFSET: a bind at guest_memfd_offset 2^63-0x2000, size 0x2000, of a small file is accepted (loff_t wrap). */
  readonly offsetSigned?: boolean;
  /** P-POL-SCOPE: an mbind policy outlives munmap + mmap of the same offsets (inode shared policy). */
  readonly mbindSurvivesRemap?: boolean;
  /** P-POL-QUERY: get_mempolicy(MPOL_F_ADDR) on an unbound gmem page reports the task policy. */
  readonly polQueryTask?: boolean;
  /** P-FSMAGIC: fstatfs f_type of a gmem fd, hex ("0x09041934" anon_inodefs, "0x474d454d" guest_memfd fs). */
  readonly fsMagic?: string;
  /** P-RESERVED: creation with every reserved word set succeeds. */
  readonly reservedIgnored?: boolean;
  /** P-DEFAULT-SHARE: a host load from a MMAP|bit-1 file succeeds (bit 1 = INIT_SHARED) rather than SIGBUS (bit 1 = INIT_PRIVATE). */
  readonly initSharedFaults?: boolean;
  /** P-MMAP-NOSHARED-GUEST: errno of binding a MMAP file without INIT_SHARED to a type-0 VM ("ok" or "EINVAL"). */
  readonly noSharedBindErrno?: string;
  /** P-THP-COLLAPSE: errno of MADV_COLLAPSE on a gmem mapping ("EINVAL" patched, "ok" unpatched). */
  readonly collapseErrno?: string;
  /** P-WRITE / feature write: errno of pwrite on a gmem fd ("ok" with the write() series). */
  readonly pwriteErrno?: string;
  /** Feature uffd: errno of registering a gmem mapping with userfaultfd MISSING ("ok" with the series). */
  readonly uffdRegisterGmem?: string;
  /** P-SHMEM-UFFD-EOF: errno of UFFDIO_COPY into a memfd page past EOF (EFAULT ≤ 7.1, ENOMEM with 7.2's vm_uffd_ops). */
  readonly shmemCopyEofErrno?: string;
  /** P-GUEST-PATH: what a real guest read from a slot whose guest_memfd and userspace_addr hold different bytes ("GMEM", "UADDR", or why no guest ran). */
  readonly guestPath?: string;
  /** Informational: the VM-level KVM_SET_MEMORY_ATTRIBUTES(PRIVATE) on a type-0 VM, conversion ioctls, pre-fault. */
  readonly memoryAttributesErrno?: string;
  readonly convertAttr2Errno?: string;
  readonly convertRfcErrno?: string;
  readonly preFaultErrno?: string;
  /** Informational: transparent_hugepage/enabled, gmem fd close-on-exec, SIGSEGV handler works, caps. */
  readonly thp?: string;
  readonly gmemCloexec?: boolean;
  readonly sigsegvCaught?: boolean;
  readonly memslotCount?: number;
  readonly gmemFlagsCap?: number;
}

type Kind = 'string' | 'boolean' | 'number';

/** The declared type of every behaviour: the one schema producers and consumers share. */
export const BEHAVIOUR_TYPES: { readonly [K in keyof Behaviours]-?: Kind } = {
  bindOverlapErrno: 'string', offsetSigned: 'boolean', mbindSurvivesRemap: 'boolean', polQueryTask: 'boolean',
  fsMagic: 'string', reservedIgnored: 'boolean', initSharedFaults: 'boolean', noSharedBindErrno: 'string',
  collapseErrno: 'string', pwriteErrno: 'string', uffdRegisterGmem: 'string', guestPath: 'string', shmemCopyEofErrno: 'string',
  memoryAttributesErrno: 'string', convertAttr2Errno: 'string', convertRfcErrno: 'string', preFaultErrno: 'string',
  thp: 'string', gmemCloexec: 'boolean', sigsegvCaught: 'boolean', memslotCount: 'number', gmemFlagsCap: 'number',
};

/** The record a target reports (undefined answers left out). */
export const behaviourRecord = (b: Behaviours): Record<string, Value> =>
  Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) as Record<string, Value>;

/** The typed view of a reported record, and the keys whose value had the wrong type. */
export const typedBehaviours = (raw: Readonly<Record<string, Value>>): { readonly b: Behaviours; readonly mistyped: readonly string[] } => {
  const b: Record<string, unknown> = {};
  const mistyped: string[] = [];
  for (const [k, kind] of Object.entries(BEHAVIOUR_TYPES) as [keyof Behaviours, Kind][]) {
    const v = raw[k];
    if (v === undefined || v === null) continue;
    if (typeof v === kind) b[k] = v;
    else mistyped.push(`${k} (${typeof v}, expected ${kind})`);
  }
  return { b: b as Behaviours, mistyped };
};

/** fstatfs magic as the probes report it: "0x" and 8 hex digits. */
export const magicHex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
