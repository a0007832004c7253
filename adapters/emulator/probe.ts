/** probe(): the raw facts a real target would measure, here read off the profile. */
import type { Profile } from '../../spec/vocab/index.js';
import type { ProbeResult } from '../../spec/vocab/target.js';
import { capValue, PROBED_CAPS } from './caps.js';

const ANON_INODE_FS_MAGIC = 0x09041934;
const GUEST_MEMFD_MAGIC = 0x474d454d;

export const probeProfile = (p: Profile): ProbeResult => {
  const kvm: Record<number, number> = {};
  const vm: Record<number, number> = {};
  for (const c of PROBED_CAPS) {
    kvm[c] = capValue(p, null, c);
    vm[c] = capValue(p, 0, c);
  }
  const v = p.variants;
  return {
    target: 'emulator',
    release: `emulator (${p.name})`,
    caps: { kvm, vm },
    vmTypes: [...p.caps.vmTypes],
    numaNodes: p.numaNodes,
    behaviours: {
      bindOverlapErrno: v.bindOverlap,
      mbindSurvivesRemap: v.polScope === 'INODE',
      fsMagic: v.fsMagic === 'ANON' ? ANON_INODE_FS_MAGIC : GUEST_MEMFD_MAGIC,
      reservedIgnored: v.reserved === 'IGNORED',
      uffdRegisterGmem: p.features.uffd,
      thpEnabled: v.thpCollapse === 'UNPATCHED',
      collapseErrno: v.thpCollapse === 'EINVAL' ? 'EINVAL' : null,
      guestPath: v.guestPath,
      offsetSigned: v.offset === 'SIGNED618',
      polQueryTask: v.polQuery === 'TASK',
    },
    unsupported: {},
  };
};
