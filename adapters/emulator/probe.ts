/** probe(): the raw facts a real target would measure, here read off the profile. */
import type { Profile } from '../../spec/vocab/index.js';
import type { ProbeResult } from '../target.js';
import { capValue, PROBED_CAPS } from './caps.js';
import { behaviourRecord, magicHex } from '../behaviours.js';

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
    // What the native probe would measure on a kernel that behaves like the profile (adapters/behaviours.ts).
    behaviours: behaviourRecord({
      bindOverlapErrno: v.bindOverlap,
      offsetSigned: v.offset === 'SIGNED618',
      mbindSurvivesRemap: v.polScope === 'INODE',
      polQueryTask: v.polQuery === 'TASK',
      fsMagic: magicHex(v.fsMagic === 'ANON' ? ANON_INODE_FS_MAGIC : GUEST_MEMFD_MAGIC),
      reservedIgnored: v.reserved === 'IGNORED',
      initSharedFaults: v.defaultShare === 'INIT_SHARED',
      noSharedBindErrno: v.mmapNoSharedGuest === 'REJECT' ? 'EINVAL' : 'ok',
      collapseErrno: v.thpCollapse === 'EINVAL' ? 'EINVAL' : 'ok',
      pwriteErrno: p.features.write ? 'ok' : 'ESPIPE',
      uffdRegisterGmem: p.features.uffd ? 'ok' : 'EINVAL',
      guestPath: v.guestPath,
      shmemCopyEofErrno: v.shmemUffdEof === 'UFFD-OPS' ? 'ENOMEM' : 'EFAULT',
      // Conversion ioctls on a shared file of a type-0 VM: ENOTTY without the series; ATTR2
      // refuses a VM without private memory (SHR-3), the RFC converts (SHR-10).
      convertAttr2Errno: p.features.conversion && v.convApi === 'GMEM-ATTR2' ? 'EINVAL' : 'ENOTTY',
      convertRfcErrno: p.features.conversion && v.convApi === 'GMEM-CONVERT' ? 'ok' : 'ENOTTY',
    }),
    unsupported: {},
  };
};
