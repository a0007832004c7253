/**
 * Builds a Profile from what a target probed (kernel-rules.md ENV-1): optional behaviour comes from
 * capabilities; ABI differences that have no capability come from behavioural probes, never from
 * the release string. Anything a probe could not decide keeps the linux-6.18 answer and is listed
 * in `undecided` so a report can say so.
 */
import type { Profile, Value } from '../vocab/index.js';
import { CAP } from '../vocab/index.js';
import type { ProbeResult } from '../vocab/target.js';
import { linux618 } from './linux-6.18.js';

/** KVM_CAP_NR_MEMSLOTS (include/uapi/linux/kvm.h). */
const CAP_NR_MEMSLOTS = 10;

export interface DerivedProfile {
  readonly profile: Profile;
  /** Variant fields no probe decided (their value is linux-6.18's). */
  readonly undecided: readonly string[];
}

const pick = <T extends string>(v: Value | undefined, allowed: readonly T[]): T | undefined =>
  typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;

export const deriveProfile = (probe: ProbeResult): DerivedProfile => {
  const vmCap = (n: number): number | undefined => probe.caps.vm[n] ?? probe.caps.kvm[n];
  const b = probe.behaviours;
  const undecided: string[] = [];
  const decide = <T>(name: string, found: T | undefined, fallback: T): T => {
    if (found === undefined) undecided.push(name);
    return found ?? fallback;
  };
  const gmemFlags = BigInt(vmCap(CAP.GUEST_MEMFD_FLAGS) ?? 0);
  const v = linux618.variants;
  const profile: Profile = {
    name: `probed(${probe.target}: ${probe.release})`,
    describes: `derived from the probe of ${probe.target} running ${probe.release}`,
    caps: {
      gmemFlags,
      gmemFlagsPrivateVm: linux618.caps.gmemFlagsPrivateVm,
      vmTypes: probe.vmTypes,
      memoryAttributes: vmCap(CAP.MEMORY_ATTRIBUTES) ?? 0,
      preFault: vmCap(CAP.PRE_FAULT_MEMORY) ?? 0,
      nrMemslots: vmCap(CAP_NR_MEMSLOTS) ?? linux618.caps.nrMemslots,
    },
    numaNodes: probe.numaNodes,
    features: {
      conversion: (vmCap(CAP.GUEST_MEMFD_MEMORY_ATTRIBUTES) ?? 0) !== 0,
      uffd: b['uffdRegisterGmem'] === 'ok',
      noDirectMap: (gmemFlags & 4n) !== 0n,
      write: typeof b['pwriteErrno'] === 'string' ? b['pwriteErrno'] === 'ok' : false,
    },
    variants: {
      ...v,
      bindOverlap: decide('P-BIND-OVERLAP', pick(b['bindOverlapErrno'], ['EINVAL', 'EEXIST'] as const), v.bindOverlap),
      polScope: decide(
        'P-POL-SCOPE',
        typeof b['mbindSurvivesRemap'] === 'boolean' ? (b['mbindSurvivesRemap'] ? 'INODE' : 'VMA') : undefined,
        v.polScope,
      ),
      reserved: decide(
        'P-RESERVED',
        typeof b['reservedIgnored'] === 'boolean' ? (b['reservedIgnored'] ? 'IGNORED' : 'MUST-BE-ZERO') : undefined,
        v.reserved,
      ),
      fsMagic: decide(
        'P-FSMAGIC',
        b['fsMagic'] === '0x9041934' || b['fsMagic'] === '0x09041934' ? 'ANON' : b['fsMagic'] === '0x474d454d' ? 'GMEMFS' : undefined,
        v.fsMagic,
      ),
      guestPath: decide('P-GUEST-PATH', pick(b['guestPath'], ['GMEM', 'UADDR'] as const), v.guestPath),
      thpCollapse: decide('P-THP-COLLAPSE', b['collapseErrno'] === 'EINVAL' ? 'EINVAL' : undefined, v.thpCollapse),
    },
  };
  return { profile, undecided };
};
