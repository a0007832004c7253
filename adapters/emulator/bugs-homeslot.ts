/**
 * Zoo bugs of round 5's home-node and memslot-pad ops (issue 15): each a plausible kernel change
 * that breaks set_mempolicy_home_node or the memslot pads, with its shortest counterexample
 * (G = createGmem on vm 0 with MMAP|INIT_SHARED, M = mmap of it). Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const HOMESLOT_BUGS = [
  // createVm; G; M; setMempolicyHomeNode(flags 1) → EINVAL expected, ENOENT with the bug (no VMA policy).
  { id: 'home-node-flags-ignored', description: 'set_mempolicy_home_node ignores its flags word (reserved for extensions) instead of refusing a non-zero one', domain: 'mempolicy', rule: 'POL-23', needs: '', shortest: 4 },
  // createVm; G; M; mbind(PREFERRED); setMempolicyHomeNode → EOPNOTSUPP expected, ok with the bug.
  { id: 'home-node-any-mode', description: 'set_mempolicy_home_node gives a home node to any VMA policy, not only BIND and PREFERRED_MANY', domain: 'mempolicy', rule: 'POL-23', needs: '', shortest: 5 },
  // (shared gmem policy) createVm; G; M; M; mbind(map 0, BIND); setMempolicyHomeNode(map 1) → ENOENT expected, ok with the bug.
  { id: 'home-node-shared-policy', description: 'set_mempolicy_home_node looks at the gmem file\'s shared policy (get_vma_policy) instead of the VMA\'s own, so a mapping without one is not skipped', domain: 'mempolicy', rule: 'POL-23', needs: 'P-POL-SCOPE=INODE', shortest: 6 },
  // createVm; G; setMemoryRegionPad(gmem slot, pad1 1) → ok expected, EINVAL with the bug.
  { id: 'memslot-pad-rejected', description: 'KVM_SET_USER_MEMORY_REGION2 refuses non-zero pad1/pad2 words (the pads are never read)', domain: 'memslot', rule: 'SLOT-20', needs: '', shortest: 3 },
  // (NO_DIRECT_MAP) createVm; G(MI|NDM); M; plain slot with uaddr M; guestAccess → EFAULT expected, ok with the bug.
  { id: 'guest-uaddr-ndm-gup', description: 'KVM\'s hva_to_pfn takes a NO_DIRECT_MAP gmem page behind a plain slot\'s userspace_addr with GUP, which should refuse it', domain: 'guest', rule: 'SLOT-28', needs: 'features.noDirectMap', shortest: 5 },
] as const satisfies readonly BugInfo[];
