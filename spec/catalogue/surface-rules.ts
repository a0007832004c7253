/**
 * The numbered rules of the kernel surface a guest_memfd fd or mapping meets beyond the core
 * guest_memfd calls (issue 15; docs/kernel-surface.md lists every call considered and its status,
 * docs/kernel-surface-rules.md the research behind these rules). Same format and rendering as
 * ./kernel-rules.ts; kept in their own file so that the two lists grow without touching each other.
 * Kernel sources are read at v7.2 (Debian's linux-source-7.2, 7.2.13) unless a rule names another
 * release; `obs:` ids are measurements recorded in docs/probe-records.
 */
import type { RuleText } from './entry.js';

export const SURFACE_RULES: readonly RuleText[] = [
  {
    id: 'ENV-10',
    statement: '`KVM_CHECK_EXTENSION` and `KVM_CREATE_VM` take their argument as a 64-bit word and compare all of it: a capability number with any bit from 31 up (bit 32 on a known number, bit 63, all ones) is no capability and answers 0; a VM type with any bit from 32 up is `EINVAL`. Neither ever answers as the value its low 32 bits name.',
    status: 'UP (generic)',
    observability: 'Y',
    src: 'virt/kvm/kvm_main.c `kvm_vm_ioctl_check_extension_generic` (switch on the `long` argument), `kvm_dev_ioctl_create_vm` (`unsigned long type`); arch/x86/kvm/x86.c `kvm_vm_ioctl_check_extension` (default 0), `kvm_is_vm_type_supported` (`type < 32`), v7.2.',
  },
  {
    id: 'MAP-19',
    statement: 'mmap\'s `prot` is an `unsigned long` of which only READ, WRITE and EXEC reach the VMA: `PROT_SEM`, bit 31 and bits 32..63 are ignored, never refused. `mprotect` instead refuses any bit outside READ|WRITE|EXEC|SEM (bits 32..63 included) with `EINVAL`, refuses GROWSDOWN together with GROWSUP with `EINVAL` before anything else, and GROWSDOWN or GROWSUP alone on a VMA that cannot grow (every gmem and memfd VMA) with `EINVAL` after the VMA lookup.',
    status: 'UP (generic)',
    observability: 'Y',
    src: 'mm/mmap.c `do_mmap` (`calc_vm_prot_bits`); mm/mprotect.c `do_mprotect_pkey`; include/linux/mman.h `arch_validate_prot` (the generic one: x86 has none of its own), v7.2.',
  },
  {
    id: 'POL-21',
    statement: '`mbind`\'s mode is an `unsigned long` that the kernel keeps in an `int`: bits 32..63 are dropped silently (BIND with bit 32 set is BIND), and bit 31 makes the mode negative, hence invalid (`EINVAL`).',
    status: 'UP (generic)',
    observability: 'Y',
    src: 'mm/mempolicy.c `kernel_mbind` (`int lmode = mode`), `sanitize_mpol_flags` (`(unsigned int)mode >= MPOL_MAX`), v7.2.',
  },
];
