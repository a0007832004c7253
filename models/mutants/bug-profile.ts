/**
 * Which profile a zoo bug needs to show itself (adapters/emulator/bugs.ts `needs`), and which
 * domain property should catch it. Profiles come from spec/profiles; the mapping is ours.
 */
import type { Profile } from '../../spec/vocab/index.js';
import { resolveProfile } from '../../spec/profiles/index.js';
import type { Domain } from '../generate/mixes.js';

export const profileForBug = (needs: string): Profile => {
  if (needs === '') return resolveProfile('linux-6.18');
  if (needs.startsWith('P-')) return resolveProfile(`${needs.includes('POL-SCOPE=INODE') || needs.includes('GUEST-PATH=GMEM') ? 'upstream' : 'linux-6.18'}/${needs}`);
  if (needs.includes('conversion')) return resolveProfile('conversion-v8');
  if (needs.includes('noDirectMap')) return resolveProfile('no-direct-map-v12');
  if (needs.includes('uffd')) return resolveProfile('uffd-v2');
  throw new Error(`bug zoo: no profile for needs '${needs}'`);
};

const DOMAIN_OF: Readonly<Record<string, Domain>> = {
  create: 'creation', fileio: 'fileops', mmap: 'mmap', memslot: 'memslot', mempolicy: 'mempolicy', uffd: 'uffd',
  shareability: 'shareability', directmap: 'directmap', guest: 'guest', lifetime: 'lifetime',
};

export const domainForBug = (domain: string): Domain => {
  const d = DOMAIN_OF[domain];
  if (!d) throw new Error(`bug zoo: unknown domain '${domain}'`);
  return d;
};
