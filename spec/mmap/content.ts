/**
 * Which rule fixes the bytes an access reads (provenance, see spec/blame.ts): a byte that must
 * read zero is FIO-11's (memory is zeroed before anyone first sees it; nothing shows stale
 * contents), one that must read earlier data is MAP-6's (one set of pages for every mapping, data
 * that outlives munmap). The spec keeps a written zero as "no data", so a lost write of 0 is
 * attributed to FIO-11 as well: both say the same byte.
 */
import { fact, owning, type Decision, type Rule } from '../rule.js';
import { UNKNOWN } from '../state/bytes.js';
import type { Inode } from '../state/types.js';

export const fio11Fault = fact('FIO-11', 'FIO-11; S1 kvm_gmem_fault_user_mapping (clears a folio that is not up to date)');
export const map6Fact = fact('MAP-6', 'MAP-6 (one set of pages for every mapping; data outlives munmap/DONTNEED)');

/** The rule behind a gmem byte the spec expects; none for memfd (shmem's own fault rule owns it) or an unspecified byte. */
export const byteOwner = (ino: Inode, byte: number, data: Rule<never> = map6Fact): Rule<never> | undefined =>
  ino.kind !== 'gmem' || byte === UNKNOWN ? undefined : byte === 0 ? fio11Fault : data;

/** `d` with the byte at `path` of its outcomes attributed by byteOwner. */
export const owningByte = (d: Decision, ino: Inode, byte: number, path: readonly string[], data?: Rule<never>): Decision =>
  owning(d, byteOwner(ino, byte, data), path);
