/** The fault half of a host access: private offsets, userfaults, and normal faults. */
import { fact, rule, cases } from '../rule.js';
import { privateAt, normalFault, sigbusAt, type Acc } from './access.js';
import { userfault } from '../uffd/fault.js';
import { dmap3, dmap4 } from '../directmap/rules.js';
import { fio11Fault } from './content.js';

export const shr5 = fact('SHR-5', 'SHR-5; S10 guest_memfd_conversions_test forked_accesses');

/**
 * MAP-5 (6.18) / SHR-5 (conversion): a host fault on a private offset → SIGBUS for the whole
 * life of the file (6.18) or while the offset is private. UFD-9 (P-UFFD-PRIV USERFAULT) may turn
 * it into a userfault first; that is decided in ../uffd/fault.ts.
 */
export const map5Private = rule<Acc>({
  id: 'MAP-5',
  cite: 'MAP-5, SHR-0; S1 kvm_gmem_fault_user_mapping; S3 test_fault_private (obs:HF-01..05)',
  decide: (a) => {
    if (!privateAt(a)) return undefined;
    return cases([[sigbusAt(a.offset), () => a.s]], undefined, a.p.features.conversion ? [shr5] : undefined);
  },
});

/** UFD-4/5 (gmem under the series), GEN-UFFD-SHMEM (memfd): a registered page may raise a userfault. */
export const userfaultRule = rule<Acc>({
  id: 'UFD-4',
  cite: 'UFD-4, UFD-5, UFD-9; S13 vm_uffd_ops; fs/userfaultfd.c handle_userfault',
  decide: (a) => userfault(a),
});

/** MAP-5: a shared in-bounds page faults in zeroed (FIO-11) and the access completes. */
export const map5Fault = rule<Acc>({
  id: 'MAP-5',
  cite: 'MAP-5, FIO-11; S1 kvm_gmem_fault_user_mapping; S3 test_mmap_supported',
  decide: (a) => {
    if (a.ino.kind !== 'gmem') return undefined;
    const also = a.ino.noDirectMap ? [fio11Fault, dmap4, dmap3] : [fio11Fault];
    return normalFault(a, a.s, also);
  },
});

/** GEN-SHMEM-FAULT: a shmem fault allocates a zeroed page if needed and maps it. */
export const shmemFault = rule<Acc>({
  id: 'GEN-SHMEM-FAULT',
  cite: 'mm/shmem.c shmem_fault',
  decide: (a) => normalFault(a, a.s),
});
