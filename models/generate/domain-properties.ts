/**
 * The conformance properties, one per rule domain plus the long mixed sequences: op mix, run
 * budget, sequence length, what each shows, and the op kinds without which it says nothing.
 * `npm test` (properties/) and `gmemcheck run` (cli/) both read this one table.
 */
import type { OpKind, PropertyDomain } from '../../spec/vocab/index.js';
import { MIXED, MIXES, type Mix } from './mixes.js';

/** A property's name: its rule domain, or the long mixed sequences over every op kind. */
export type RunDomain = PropertyDomain | 'mixed' | 'parallel';

export interface DomainProperty {
  readonly domain: RunDomain;
  readonly claim: string;
  readonly mix: Mix;
  readonly numRuns: number;
  readonly maxLength: number;
  /** Without these op kinds the property says nothing: skipped with the target's reason. */
  readonly requires: readonly OpKind[];
}

const d = (domain: RunDomain, mix: Mix, numRuns: number, maxLength: number, claim: string, requires: readonly OpKind[] = []): DomainProperty =>
  ({ domain, mix, numRuns, maxLength, claim, requires });

export const DOMAIN_PROPERTIES: readonly DomainProperty[] = [
  d('creation', MIXES.creation, 80, 30, 'KVM_CREATE_GUEST_MEMFD accepts exactly the advertised flags and valid sizes'),
  d('fileops', MIXES.fileops, 100, 40, 'fallocate, punch hole and file I/O follow mode, alignment and range rules'),
  d('mmap', MIXES.mmap, 100, 40, 'host mappings fault, persist and refuse as the shareability and EOF rules say'),
  d('memslot', MIXES.memslot, 100, 30, 'KVM_SET_USER_MEMORY_REGION2 binds, refuses overlaps, keeps gmem slots immutable'),
  d('mempolicy', MIXES.mempolicy, 100, 35, 'mbind/get_mempolicy round-trip with the profile\'s policy scope'),
  d('uffd', MIXES.uffd, 80, 35, 'uffd registration is refused or served as the profile says'),
  d('shareability', MIXES.shareability, 80, 35, 'conversion is absent or converts ranges; private pages refuse host faults'),
  d('directmap', MIXES.directmap, 80, 35, 'NO_DIRECT_MAP is refused where not advertised; with it GUP fails'),
  d('guest', MIXES.guest, 60, 30, 'guest accesses see the backing the profile names', ['guestAccess']),
  d('lifetime', MIXES.lifetime, 80, 35, 'files live while an fd or mapping refers to them'),
  d('mixed', MIXED, 120, 100, 'every observed outcome is allowed over long mixed sequences'),
];

