/**
 * Direct-map removal (NO_DIRECT_MAP series, DMAP-1..7). The state is per folio
 * (`Folio.dmapGone`); these are the facts and the decisions about *when* it changes, used by the
 * creation, fallocate, fault, GUP, guest and pwrite paths.
 */
import type { Profile } from '../vocab/index.js';
import type { Inode } from '../state/types.js';
import { fact } from '../rule.js';

export const dmap1 = fact('DMAP-1', 'DMAP-1; S12 v12, S8 kvm.h GUEST_MEMFD_FLAG_NO_DIRECT_MAP');
export const dmap2 = fact('DMAP-2', 'DMAP-2; S12 x86/arm64 enablement, SEED3');
export const dmap3 = fact('DMAP-3', 'DMAP-3, §4 P-DMAP-GRAN; S12 v12 (lazy), SEED3 (filemap invariant)');
export const dmap4 = fact('DMAP-4', 'DMAP-4 (user PTEs and KVM map by PFN, without the direct map)');
export const dmap5 = fact('DMAP-5', 'DMAP-5; S12 v9 03/13 (AS_NO_DIRECT_MAP: GUP refused with EFAULT)');
export const dmap6 = fact('DMAP-6', 'DMAP-6, §4 P-WRITE; SEED3, S8 (per-folio "direct map removed" flag)');

/** DMAP-3 MAPPING: the direct map goes as the folio enters the page cache (fallocate included). */
export const goneAtInsert = (p: Profile, ino: Inode): boolean => ino.noDirectMap && p.variants.dmapGran === 'MAPPING';

/** DMAP-3: under either granularity it is gone once the folio is faulted (host) or mapped (get_pfn). */
export const goneAtUse = (ino: Inode): boolean => ino.noDirectMap;

/** DMAP-5: GUP refuses the whole mapping of a NO_DIRECT_MAP file. */
export const gupRefused = (ino: Inode): boolean => ino.noDirectMap;
