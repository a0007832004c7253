/**
 * Which profile a zoo bug needs to show itself (adapters/emulator/bugs.ts `needs`). Profiles come
 * from spec/profiles; the mapping is ours. (The property that should catch a bug is its domain's.)
 */
import type { Profile } from '../../spec/vocab/index.js';
import { resolveProfile } from '../../spec/profiles/index.js';

export const profileForBug = (needs: string): Profile => {
  if (needs === '') return resolveProfile('linux-6.18');
  if (needs.startsWith('P-')) return resolveProfile(`${needs.includes('POL-SCOPE=INODE') || needs.includes('GUEST-PATH=GMEM') ? 'upstream' : 'linux-6.18'}/${needs}`);
  if (needs.includes('conversion')) return resolveProfile('conversion-v8');
  if (needs.includes('noDirectMap')) return resolveProfile('no-direct-map-v12');
  if (needs.includes('uffd')) return resolveProfile('uffd-v2');
  // KVM_PRE_FAULT_MEMORY that faults by GPA needs two-dimensional paging: upstream's cap 236.
  if (needs.includes('caps.preFault')) return resolveProfile('upstream');
  throw new Error(`bug zoo: no profile for needs '${needs}'`);
};
