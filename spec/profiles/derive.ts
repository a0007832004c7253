/**
 * Builds a Profile from what a target probed (kernel-rules.md ENV-1): optional behaviour comes from
 * capabilities, each read in its own scope (/dev/kvm or a type-0 VM: KVM_CHECK_EXTENSION(233) is
 * 8 on /dev/kvm and 0 on a VM on 7.2); ABI differences that have no capability come from the
 * typed behavioural probes (adapters/behaviours.ts), never from the release string.
 *
 * Every variant of kernel-rules.md §4 ends in one of three states, each with its reason:
 * - decided: a probe answered it;
 * - not applicable: the spec never consults it under this profile (its feature is absent, or no
 *   op of the vocabulary can observe it), so its value cannot change a verdict;
 * - undecided: the spec would consult it but no probe answered; the linux-6.18 answer is kept and
 *   `gmemcheck probe` lists it with the reason.
 */
import type { Profile, VariantKey, Variants } from '../vocab/index.js';
import { CAP, VARIANT_NAMES } from '../vocab/index.js';
import type { ProbeResult } from '../../adapters/target.js';
import { typedBehaviours, type Behaviours } from '../../adapters/behaviours.js';
import { linux618 } from './linux-6.18.js';

/** KVM_CAP_NR_MEMSLOTS (include/uapi/linux/kvm.h). */
const CAP_NR_MEMSLOTS = 10;

export type VariantState = 'decided' | 'not applicable' | 'undecided';

export interface VariantDecision {
  readonly key: VariantKey;
  /** The §4 name, e.g. P-OFFSET. */
  readonly name: string;
  readonly state: VariantState;
  readonly value: string;
  /** Which probe decided it, or why it is not applicable / undecided. */
  readonly why: string;
}

export interface DerivedProfile {
  readonly profile: Profile;
  /** Variants the spec consults that no probe decided, as "P-X (why)"; their value is linux-6.18's. */
  readonly undecided: readonly string[];
  /** Every variant with its state and reason (what `gmemcheck probe` prints). */
  readonly decisions: readonly VariantDecision[];
}

type Found<K extends VariantKey> = { readonly value: Variants[K]; readonly how: string } | { readonly value?: undefined; readonly why: string };
type Ctx = { readonly b: Behaviours; readonly f: Profile['features']; readonly gmemFlags: bigint; readonly guestRuns: boolean; readonly polScope: Variants['polScope'] };

const errnoIs = <K extends VariantKey>(v: string | undefined, probe: string, map: Readonly<Record<string, Variants[K]>>): Found<K> =>
  v !== undefined && map[v] !== undefined ? { value: map[v]!, how: `${probe} = ${v}` } : { why: v === undefined ? `probe ${probe} did not run` : `${probe} = ${v} matches no known variant` };
const boolIs = <K extends VariantKey>(v: boolean | undefined, probe: string, yes: Variants[K], no: Variants[K]): Found<K> =>
  v === undefined ? { why: `probe ${probe} gave no answer` } : { value: v ? yes : no, how: `${probe} = ${v}` };

/** Why a variant cannot matter under this profile, or undefined if the spec consults it. */
const NOT_APPLICABLE: { readonly [K in VariantKey]: (c: Ctx) => string | undefined } = {
  uffdPriv: (c) => (c.f.uffd ? undefined : 'no userfaultfd on guest_memfd (uffdRegisterGmem refused)'),
  minorZero: (c) => (c.f.uffd ? undefined : 'no userfaultfd on guest_memfd'),
  uffdWp: (c) => (c.f.uffd ? undefined : 'no userfaultfd on guest_memfd'),
  uffdCopyEof: (c) => (c.f.uffd ? undefined : 'no userfaultfd on guest_memfd'),
  dmapGran: (c) => (c.f.noDirectMap ? undefined : 'no NO_DIRECT_MAP flag (cap 244 bit 2 clear)'),
  nodmapCoco: (c) => (c.f.noDirectMap ? undefined : 'no NO_DIRECT_MAP flag (cap 244 bit 2 clear)'),
  flagBit2: (c) => ((c.gmemFlags & 4n) !== 0n ? undefined : 'flag bit 2 is not advertised (cap 244), so creating with it is refused whatever it means'),
  convApi: (c) => (c.f.conversion ? undefined : 'no in-place conversion (cap 250 = 0, both conversion ioctls ENOTTY)'),
  convContent: (c) => (c.f.conversion ? undefined : 'no in-place conversion'),
  attrMissing: (c) => (c.f.conversion ? undefined : 'no in-place conversion'),
  convAtomic: () => 'no op of the vocabulary can hold the long-term pin that makes a conversion fail part-way',
  convPins: () => 'no op of the vocabulary can hold a long-term pin',
  write: (c) => (c.f.write ? undefined : 'pwrite does not populate (feature write off)'),
  polQuery: (c) => (c.polScope === 'INODE' ? undefined : 'only the gmem get_policy hook (P-POL-SCOPE=INODE) consults it'),
  ilx: () => 'the interleave index is only observable with more than one NUMA node and interleaved placement, which no op reads',
  hugeSplit: () => 'guest_memfd allocates no huge folios in this vocabulary (LVL-4)',
  vmaExpand: () => 'mremap is not in the vocabulary (MAP-10)',
  guestPath: (c) => (c.guestRuns ? undefined : 'no guest access can be issued on this target'),
  shmemUffdEof: () => undefined,
  defaultShare: () => undefined,
  bindOverlap: () => undefined,
  offset: () => undefined,
  polScope: () => undefined,
  reserved: () => undefined,
  thpCollapse: () => undefined,
  fsMagic: () => undefined,
  mmapNoSharedGuest: () => undefined,
};

/** The behavioural probe of each variant that has one. */
const PROBES: { readonly [K in VariantKey]?: (c: Ctx) => Found<K> } = {
  bindOverlap: ({ b }) => errnoIs<'bindOverlap'>(b.bindOverlapErrno, 'bindOverlapErrno', { EINVAL: 'EINVAL', EEXIST: 'EEXIST' }),
  offset: ({ b }) => boolIs<'offset'>(b.offsetSigned, 'offsetSigned', 'SIGNED618', 'UNSIGNED'),
  polScope: ({ b }) => boolIs<'polScope'>(b.mbindSurvivesRemap, 'mbindSurvivesRemap', 'INODE', 'VMA'),
  polQuery: ({ b }) => boolIs<'polQuery'>(b.polQueryTask, 'polQueryTask', 'TASK', 'DEFAULT'),
  reserved: ({ b }) => boolIs<'reserved'>(b.reservedIgnored, 'reservedIgnored', 'IGNORED', 'MUST-BE-ZERO'),
  fsMagic: ({ b }) => errnoIs<'fsMagic'>(b.fsMagic, 'fsMagic', { '0x09041934': 'ANON', '0x474d454d': 'GMEMFS' }),
  guestPath: ({ b }) => errnoIs<'guestPath'>(b.guestPath, 'guestPath', { GMEM: 'GMEM', UADDR: 'UADDR' }),
  thpCollapse: ({ b }) => errnoIs<'thpCollapse'>(b.collapseErrno, 'collapseErrno', { EINVAL: 'EINVAL', ok: 'UNPATCHED' }),
  defaultShare: ({ b }) => boolIs<'defaultShare'>(b.initSharedFaults, 'initSharedFaults', 'INIT_SHARED', 'INIT_PRIVATE'),
  mmapNoSharedGuest: ({ b }) => errnoIs<'mmapNoSharedGuest'>(b.noSharedBindErrno, 'noSharedBindErrno', { ok: 'GUEST-ONLY', EINVAL: 'REJECT' }),
  shmemUffdEof: ({ b }) => errnoIs<'shmemUffdEof'>(b.shmemCopyEofErrno, 'shmemCopyEofErrno', { EFAULT: 'SHMEM-MFILL', ENOMEM: 'UFFD-OPS' }),
  convApi: ({ b }) =>
    b.convertRfcErrno !== undefined && b.convertRfcErrno !== 'ENOTTY' ? { value: 'GMEM-CONVERT', how: `convertRfcErrno = ${b.convertRfcErrno}` }
      : b.convertAttr2Errno !== undefined && b.convertAttr2Errno !== 'ENOTTY' ? { value: 'GMEM-ATTR2', how: `convertAttr2Errno = ${b.convertAttr2Errno}` }
        : { why: 'neither conversion ioctl answered other than ENOTTY' },
};

export const deriveProfile = (probe: ProbeResult): DerivedProfile => {
  const vmCap = (n: number): number | undefined => probe.caps.vm[n] ?? probe.caps.kvm[n];
  const { b, mistyped } = typedBehaviours(probe.behaviours);
  const gmemFlags = BigInt(vmCap(CAP.GUEST_MEMFD_FLAGS) ?? 0);
  // Cap 250 is the /dev/kvm superset: a type-0 VM reads 0 because it has no private memory (SHR-3).
  const attr2 = (probe.caps.kvm[CAP.GUEST_MEMFD_MEMORY_ATTRIBUTES] ?? vmCap(CAP.GUEST_MEMFD_MEMORY_ATTRIBUTES) ?? 0) !== 0;
  // The RFC's KVM_GMEM_CONVERT_* has no capability: the ioctl existing (not ENOTTY) shows it (SHR-10).
  const rfc = b.convertRfcErrno !== undefined && b.convertRfcErrno !== 'ENOTTY';
  const features: Profile['features'] = {
    conversion: attr2 || rfc,
    uffd: b.uffdRegisterGmem === 'ok',
    noDirectMap: (gmemFlags & 4n) !== 0n,
    write: b.pwriteErrno === 'ok',
  };
  const polScope = PROBES.polScope!({ b, f: features, gmemFlags, guestRuns: false, polScope: 'VMA' }).value ?? linux618.variants.polScope;
  const c: Ctx = { b, f: features, gmemFlags, guestRuns: probe.unsupported.guestAccess === undefined, polScope };
  const decisions: VariantDecision[] = [];
  const variants = { ...linux618.variants } as Record<VariantKey, string>;
  for (const key of Object.keys(VARIANT_NAMES) as VariantKey[]) {
    const name = VARIANT_NAMES[key];
    const na = NOT_APPLICABLE[key](c);
    const found = (PROBES[key] as ((c: Ctx) => Found<VariantKey>) | undefined)?.(c);
    if (found?.value !== undefined) {
      variants[key] = found.value;
      decisions.push({ key, name, state: 'decided', value: found.value, why: found.how });
    } else if (na !== undefined) {
      decisions.push({ key, name, state: 'not applicable', value: variants[key], why: na });
    } else {
      const why = found === undefined ? 'no behavioural probe answers it' : found.why;
      decisions.push({ key, name, state: 'undecided', value: variants[key], why: `${why}; linux-6.18's answer kept` });
    }
  }
  const profile: Profile = {
    name: `probed(${probe.target}: ${probe.release})`,
    describes: `derived from the probe of ${probe.target} running ${probe.release}`,
    caps: {
      gmemFlags,
      gmemFlagsPrivateVm: linux618.caps.gmemFlagsPrivateVm,
      vmTypes: probe.vmTypes,
      memoryAttributes: probe.caps.vm[CAP.MEMORY_ATTRIBUTES] ?? 0,
      memoryAttributesDevKvm: probe.caps.kvm[CAP.MEMORY_ATTRIBUTES] ?? 0,
      preFault: vmCap(CAP.PRE_FAULT_MEMORY) ?? 0,
      nrMemslots: vmCap(CAP_NR_MEMSLOTS) ?? linux618.caps.nrMemslots,
      // KVM_CAP_MULTI_ADDRESS_SPACE reads 0 where there is only one.
      addressSpaces: Math.max(1, probe.caps.vm[CAP.MULTI_ADDRESS_SPACE] ?? 0),
    },
    numaNodes: probe.numaNodes,
    features,
    variants: variants as unknown as Variants,
  };
  const undecided = [
    ...decisions.filter((d) => d.state === 'undecided').map((d) => `${d.name} (${d.why})`),
    // Caps are read on /dev/kvm and a type-0 VM; a VM type with private memory may differ (CRE-12).
    ...(probe.vmTypes.some((t) => t !== 0) ? [`cap 244 on VM types with private memory (not probed; linux-6.18's 0x${linux618.caps.gmemFlagsPrivateVm.toString(16)} kept)`] : []),
    ...mistyped.map((m) => `probe ${m} ignored`),
  ];
  return { profile, undecided, decisions };
};
