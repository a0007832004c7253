/**
 * Builds a Profile from what a target probed (ENV-1): optional behaviour comes from capabilities;
 * ABI differences that have no capability come from behavioural probes, never from the release
 * string. The derivation is total: every variant, feature and capability field is either decided
 * by a probe or listed in `undecided` with the reason (its value is then linux-6.18's).
 */
import {
  CAP, GMEM_FLAG, VARIANT_NAMES, isUndecided,
  type Caps, type Features, type OutcomeName, type Probed, type ProbeResult, type Profile, type VariantKey, type Variants,
} from '../vocab/index.js';
import { linux618 } from './linux-6.18.js';

/** KVM_CAP_NR_MEMSLOTS (include/uapi/linux/kvm.h). */
const CAP_NR_MEMSLOTS = 10;
/** KVM_CAP_MAX_VCPUS, KVM_CAP_MAX_VCPU_ID (include/uapi/linux/kvm.h). */
const CAP_MAX_VCPUS = 66;
const CAP_MAX_VCPU_ID = 128;
const ANON_INODE_FS_MAGIC = 0x09041934;
const GUEST_MEMFD_MAGIC = 0x474d454d;

export interface DerivedProfile {
  readonly profile: Profile;
  /** Every field no probe decided, as `NAME (reason)`; its value is linux-6.18's. */
  readonly undecided: readonly string[];
}

type Decided<T> = { readonly value: T } | { readonly why: string };
const value = <T>(v: T): Decided<T> => ({ value: v });
const open = <T>(why: string): Decided<T> => ({ why });

/** A probe's answer mapped to a decision; an undecided probe passes its reason on. */
const from = <P extends string | number | boolean, T>(p: Probed<P>, f: (v: P) => Decided<T>): Decided<T> =>
  isUndecided(p) ? open(p.undecided) : f(p);

const errnoIs = (p: Probed<OutcomeName>, ...names: OutcomeName[]): boolean => !isUndecided(p) && names.includes(p);

type Rule<T> = (probe: ProbeResult) => Decided<T>;

const vmCap = (probe: ProbeResult, n: number): Decided<number> => {
  const v = probe.caps.vm[n];
  return v === undefined ? open(`KVM_CHECK_EXTENSION(${n}) on a VM was not probed`) : value(v);
};

const CAPS: { readonly [K in keyof Caps]: Rule<Caps[K]> } = {
  guestMemfd: (p) => {
    const v = p.caps.kvm[CAP.GUEST_MEMFD];
    return v === undefined ? open('KVM_CHECK_EXTENSION(KVM_CAP_GUEST_MEMFD) was not probed') : value(v);
  },
  gmemFlags: (p) => {
    const v = vmCap(p, CAP.GUEST_MEMFD_FLAGS);
    return 'value' in v ? value(BigInt(v.value)) : v;
  },
  gmemFlagsPrivateVm: (p) => {
    const v = p.caps.privateVm?.[CAP.GUEST_MEMFD_FLAGS];
    return v !== undefined ? value(BigInt(v)) : open('no VM type with private memory exists here');
  },
  vmTypes: (p) => value(p.vmTypes),
  memoryAttributes: (p) => vmCap(p, CAP.MEMORY_ATTRIBUTES),
  // The same cap on /dev/kvm answers for no VM: non-zero where the generic attribute ioctl is built.
  memoryAttributesDevKvm: (p) => {
    const v = p.caps.kvm[CAP.MEMORY_ATTRIBUTES];
    return v === undefined ? open('KVM_CHECK_EXTENSION(233) on /dev/kvm was not probed') : value(v);
  },
  // KVM_CAP_MULTI_ADDRESS_SPACE reads 0 where there is a single address space.
  addressSpaces: (p) => {
    const v = p.caps.vm[CAP.MULTI_ADDRESS_SPACE];
    return v === undefined ? open('KVM_CHECK_EXTENSION(118) on a VM was not probed') : value(Math.max(1, v));
  },
  preFault: (p) => vmCap(p, CAP.PRE_FAULT_MEMORY),
  nrMemslots: (p) => vmCap(p, CAP_NR_MEMSLOTS),
  maxVcpuIds: (p) => vmCap(p, CAP_MAX_VCPU_ID),
  maxVcpus: (p) => vmCap(p, CAP_MAX_VCPUS),
};

/** Cap 250 (gmem memory attributes), on /dev/kvm or on the VM: 7.2-era caps can differ by scope. */
const cap250 = (p: ProbeResult): number =>
  (p.caps.kvm[CAP.GUEST_MEMFD_MEMORY_ATTRIBUTES] ?? 0) || (p.caps.vm[CAP.GUEST_MEMFD_MEMORY_ATTRIBUTES] ?? 0);

/** In-place conversion is advertised by cap 250, or shows as a conversion ioctl that exists (not ENOTTY). */
const conversion = (p: ProbeResult): boolean =>
  cap250(p) !== 0 ||
  (!errnoIs(p.behaviours.convertAttr2Errno, 'ENOTTY') && !isUndecided(p.behaviours.convertAttr2Errno)) ||
  (!errnoIs(p.behaviours.convertRfcErrno, 'ENOTTY') && !isUndecided(p.behaviours.convertRfcErrno));

const FEATURES: { readonly [K in keyof Features]: Rule<Features[K]> } = {
  conversion: (p) => (isUndecided(p.behaviours.convertAttr2Errno) && isUndecided(p.behaviours.convertRfcErrno) && p.caps.kvm[CAP.GUEST_MEMFD_MEMORY_ATTRIBUTES] === undefined
    ? open('neither conversion ioctl nor cap 250 was probed') : value(conversion(p))),
  uffd: (p) => from(p.behaviours.uffdRegisterGmem, (v) => value(v === 'ok')),
  noDirectMap: (p) => {
    const f = CAPS.gmemFlags(p);
    return 'value' in f ? value((f.value & GMEM_FLAG.BIT2) !== 0n) : f;
  },
  write: (p) => from(p.behaviours.pwriteErrno, (v) => value(v === 'ok')),
};

const NO_UFFD = 'userfaultfd cannot register guest_memfd here, so no op can show it';
const NO_CONVERSION = 'no conversion uAPI here, so no op can show it';
const NO_PROBE = 'no probe tells the answers apart';
const uffdOn = (p: ProbeResult): boolean => errnoIs(p.behaviours.uffdRegisterGmem, 'ok');
const whenUffd = <T>(p: ProbeResult): Decided<T> => open(uffdOn(p) ? NO_PROBE : NO_UFFD);
const whenConversion = <T>(p: ProbeResult): Decided<T> => open(conversion(p) ? NO_PROBE : NO_CONVERSION);

const VARIANTS: { readonly [K in VariantKey]: Rule<Variants[K]> } = {
  uffdPriv: (p) => open(uffdOn(p) && conversion(p) ? NO_PROBE : 'needs userfaultfd on guest_memfd and conversion, absent here'),
  defaultShare: (p) => from(p.behaviours.mmapOnlyShared, (shared) => value(shared ? 'INIT_PRIVATE' : 'INIT_SHARED')),
  dmapGran: (p) => {
    const f = FEATURES.noDirectMap(p);
    return open('value' in f && f.value ? NO_PROBE : 'no NO_DIRECT_MAP flag here, so no op can show it');
  },
  // Without write() population the variant changes nothing. With it, linux-6.18's NONE would
  // contradict the feature (the spec would refuse every pwrite the kernel accepts): a second pwrite
  // of a populated page tells ONCE (EEXIST) from MERMAP (ok).
  write: (p) => from(p.behaviours.pwriteErrno, (v) => (v !== 'ok' ? open(`no write() population here (pwrite: ${v}), so no op can show it`)
    : from(p.behaviours.pwriteAgainErrno, (again) => (again === 'EEXIST' ? value('ONCE') : again === 'ok' ? value('MERMAP') : open(`a second pwrite answered ${again}`))))),
  convApi: (p) => {
    const b = p.behaviours;
    if (cap250(p) !== 0 || (!isUndecided(b.convertAttr2Errno) && b.convertAttr2Errno !== 'ENOTTY')) return value('GMEM-ATTR2');
    if (!isUndecided(b.convertRfcErrno) && b.convertRfcErrno !== 'ENOTTY') return value('GMEM-CONVERT');
    return open(NO_CONVERSION);
  },
  convContent: whenConversion,
  convAtomic: whenConversion,
  convPins: whenConversion,
  attrMissing: whenConversion,
  iouringBufMax: (p) => from(p.behaviours.iouringBufMaxErrno, (v) => (v === 'EFAULT' ? value('1G') : v === 'EINVAL' ? value('1T') : open(`a registration of 2^40 + 1 bytes answered ${v}`))),
  bindOverlap: (p) => from(p.behaviours.bindOverlapErrno, (v) => (v === 'EINVAL' || v === 'EEXIST' ? value(v) : open(`the overlapping bind answered ${v}`))),
  offset: (p) => from(p.behaviours.offsetSigned, (signed) => value(signed ? 'SIGNED618' : 'UNSIGNED')),
  polScope: (p) => from(p.behaviours.mbindSurvivesRemap, (v) => value(v ? 'INODE' : 'VMA')),
  polQuery: (p) => from(p.behaviours.polQueryTask, (v) => value(v ? 'TASK' : 'DEFAULT')),
  ilx: (p) => open(p.numaNodes < 2 ? 'the interleave index shows only on ≥ 2 NUMA nodes' : NO_PROBE),
  hugeSplit: () => open(NO_PROBE),
  minorZero: whenUffd,
  uffdWp: whenUffd,
  uffdCopyEof: whenUffd,
  reserved: (p) => from(p.behaviours.reservedIgnored, (v) => value(v ? 'IGNORED' : 'MUST-BE-ZERO')),
  nodmapCoco: (p) => open(p.vmTypes.some((t) => t !== 0) ? NO_PROBE : 'no confidential VM type here, so no op can show it'),
  vmaExpand: () => open(NO_PROBE),
  thpCollapse: (p) => from(p.behaviours.collapseErrno, (v) => (v === 'EINVAL' ? value('EINVAL') : v === 'ok' ? value('UNPATCHED') : open(`MADV_COLLAPSE answered ${v}`))),
  guardFile: () => open(NO_PROBE),
  flagBit2: (p) => {
    const f = CAPS.gmemFlags(p);
    return open('value' in f && (f.value & GMEM_FLAG.BIT2) !== 0n ? NO_PROBE : 'flag bit 2 is not advertised (cap 244), so no op can show it');
  },
  fsMagic: (p) => from(p.behaviours.fsMagic, (m) => (m === ANON_INODE_FS_MAGIC ? value('ANON') : m === GUEST_MEMFD_MAGIC ? value('GMEMFS') : open(`unknown f_type 0x${m.toString(16)}`))),
  mmapNoSharedGuest: (p) => from(p.behaviours.mmapOnlyBindErrno, (v) => (v === 'ok' ? value('GUEST-ONLY') : v === 'EINVAL' ? value('REJECT') : open(`the bind answered ${v}`))),
  guestPath: (p) => from(p.behaviours.guestPath, (v) => value(v)),
  dioAlign: (p) => from(p.behaviours.dioMisalignedPins, (pinned) => value(pinned ? 'PIN-FIRST' : 'CHECK-FIRST')),
  shmemUffdEof: (p) => from(p.behaviours.shmemCopyEofErrno, (v) => (v === 'EFAULT' ? value('SHMEM-MFILL') : v === 'ENOMEM' ? value('UFFD-OPS') : open(`UFFDIO_COPY past a memfd's EOF answered ${v}`))),
};

/** Applies a table of rules: decided values, else the fallback's, and the reasons for the rest. */
const applyAll = <T extends object>(
  table: { readonly [K in keyof T]: Rule<T[K]> }, probe: ProbeResult, fallback: T, name: (k: keyof T) => string, undecided: string[],
): T => {
  const out = { ...fallback };
  for (const k of Object.keys(table) as (keyof T)[]) {
    const d = table[k](probe);
    if ('value' in d) out[k] = d.value;
    else undecided.push(`${name(k)} (${d.why})`);
  }
  return out;
};

export const deriveProfile = (probe: ProbeResult): DerivedProfile => {
  const undecided: string[] = [];
  const caps = applyAll<Caps>(CAPS, probe, linux618.caps, (k) => `caps.${String(k)}`, undecided);
  const features = applyAll<Features>(FEATURES, probe, linux618.features, (k) => `features.${String(k)}`, undecided);
  const variants = applyAll<Variants>(VARIANTS, probe, linux618.variants, (k) => VARIANT_NAMES[k], undecided);
  return {
    profile: {
      name: `probed(${probe.target}: ${probe.release})`,
      describes: `derived from the probe of ${probe.target} running ${probe.release}`,
      caps, numaNodes: probe.numaNodes, features, variants,
    },
    undecided,
  };
};

/** The variant keys a probe decided (every other one is listed in `undecided`). */
export const decidedVariants = (d: DerivedProfile): VariantKey[] =>
  (Object.keys(VARIANT_NAMES) as VariantKey[]).filter((k) => !d.undecided.some((u) => u.startsWith(`${VARIANT_NAMES[k]} (`)));
