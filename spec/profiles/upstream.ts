/**
 * upstream: mainline as the catalogue describes it (torvalds/linux after the NUMA / pseudo-fs work
 * and the 7.2 ABI changes), with no proposed series switched on, built the way distributions build
 * it. Capabilities and behaviours are the ones measured on Debian's 7.2.13 (probe record
 * docs/probe-records/linux-7.2.13-qemu.md, taken with `gmemcheck vm -- probe --json`); each value
 * that departs from linux-6.18 says why.
 */
import type { Profile } from '../vocab/index.js';
import { linux618 } from './linux-6.18.js';

export const upstream: Profile = {
  ...linux618,
  name: 'upstream',
  describes: 'mainline ≥7.2 (S2, S16) as distributions build it, caps from Debian 7.2.13 (probe record linux-7.2.13-qemu): inode shared policy, EEXIST bind overlap, unsigned offsets, guest_memfd guest path',
  caps: {
    ...linux618.caps,
    // Generic memory attributes are built for SEV/TDX (arch/x86/kvm/Kconfig): /dev/kvm reports
    // PRIVATE, a type-0 VM supports none (SHR-1). linux-7.2.13-qemu: 233 = 8 on /dev/kvm, 0 on a VM.
    memoryAttributes: 0,
    memoryAttributesDevKvm: 8,
    preFault: 1, // KVM_PRE_FAULT_MEMORY with the TDP MMU (linux-7.2.13-qemu: cap 236 = 1, the ioctl succeeds)
    addressSpaces: 2, // CONFIG_KVM_SMM (default y on x86): linux-7.2.13-qemu cap 118 = 2 on a type-0 VM
    // Debian builds MAXSMP (CONFIG_KVM_MAX_NR_VCPUS 4096, ids × 4): linux-7.2.13-qemu caps 66 = 4096, 128 = 16384 (ENV-11)
    maxVcpus: 4096,
    maxVcpuIds: 16384,
  },
  variants: {
    ...linux618.variants,
    bindOverlap: 'EEXIST', // SLOT-7: "KVM guest_memfd changes for 7.2" (S16); linux-7.2.13-qemu
    offset: 'UNSIGNED', // SLOT-6: 7.2 unsigned offset/size (S16); linux-7.2.13-qemu offsetSigned = false
    polScope: 'INODE', // POL-1: shared policy on the gmem inode since 6.19 (S2, SEED0); linux-7.2.13-qemu
    ilx: 'INODE', // POL-7: 7.2 (S16); not observable with one NUMA node
    fsMagic: 'GMEMFS', // guest_memfd pseudo-fs since 6.19 (S2); linux-7.2.13-qemu 0x474d454d
    guestPath: 'GMEM', // SLOT-13: gmem-only slots are served from guest_memfd (S1, S15); linux-7.2.13-qemu, by a real guest
    iouringBufMax: '1T', // MAP-36: io_uring/rsrc.c io_validate_user_buf_range (SZ_1T → EINVAL), v7.2
    // userfaultfd fills go through vm_uffd_ops in 7.2 (mm/userfaultfd.c __mfill_atomic_pte,
    // mm/shmem.c shmem_mfill_folio_alloc): a memfd page past EOF is ENOMEM for COPY/ZEROPAGE,
    // EFAULT for CONTINUE. Found by a random run of gmemcheck vm; linux-7.2.13-qemu shmemCopyEofErrno.
    shmemUffdEof: 'UFFD-OPS',
    // MAP-32: iov_iter_extract_bvecs checks the buffer against the device's DMA alignment before
    // it pins a page (lib/iov_iter.c, v7.2); found by gmemcheck vm (a mincore after a refused
    // O_DIRECT read saw its pages absent); linux-7.2.13-qemu dioMisalignedPins = false.
    dioAlign: 'CHECK-FIRST',
  },
};
