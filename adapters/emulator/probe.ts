/**
 * probe(): the raw facts a real target would measure. Capabilities come from the emulator's cap
 * model; the behavioural probes run as op sequences on a scratch instance of the emulator itself
 * (spec/vocab/probe-ops.ts, the same sequences the native target issues), so a profile derived
 * from them shows what the emulator does, not what its profile says. Facts no op can show
 * (pre-fault, fstatfs, sysfs) are read off the profile.
 */
import { probeByOps, undecided, type Op, type Outcome, type ProbeResult, type Profile } from '../../spec/vocab/index.js';
import { capValue, hasPrivateMem, PROBED_CAPS } from './caps.js';

const ANON_INODE_FS_MAGIC = 0x09041934;
const GUEST_MEMFD_MAGIC = 0x474d454d;

export const probeProfile = (p: Profile, run: (op: Op) => Outcome): ProbeResult => {
  const kvm: Record<number, number> = {};
  const vm: Record<number, number> = {};
  for (const c of PROBED_CAPS) {
    kvm[c] = capValue(p, null, c);
    vm[c] = capValue(p, 0, c);
  }
  const privateType = p.caps.vmTypes.find(hasPrivateMem);
  const privateVm = privateType === undefined ? undefined : Object.fromEntries(PROBED_CAPS.map((c) => [c, capValue(p, privateType, c)]));
  return {
    target: 'emulator',
    release: `emulator (${p.name})`,
    caps: { kvm, vm, ...(privateVm ? { privateVm } : {}) },
    vmTypes: [...p.caps.vmTypes],
    numaNodes: p.numaNodes,
    behaviours: {
      ...probeByOps(run, {}),
      preFaultErrno: p.caps.preFault > 0 ? 'ok' : 'EOPNOTSUPP',
      fsMagic: p.variants.fsMagic === 'ANON' ? ANON_INODE_FS_MAGIC : GUEST_MEMFD_MAGIC,
      thp: undecided('the emulator models no transparent_hugepage sysfs setting'),
    },
    unsupported: {},
  };
};
