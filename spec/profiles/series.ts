/**
 * Proposed series, each on top of `upstream` (sources in docs/rules.md). These are the
 * profiles reviewers use to validate the semantics of a patch series.
 */
import type { Profile } from '../vocab/index.js';
import { upstream } from './upstream.js';

/** In-place conversion v8 (S10): KVM_SET_MEMORY_ATTRIBUTES2 on the gmem fd, cap 250, SW_PROTECTED VMs. */
export const conversionV8: Profile = {
  ...upstream,
  name: 'conversion-v8',
  describes: 'upstream + in-place shared<->private conversion v8 (S10, SHR-2..9)',
  caps: { ...upstream.caps, vmTypes: [0, 1], gmemFlagsPrivateVm: 3n, memoryAttributes: 0, memoryAttributesDevKvm: 0 },
  features: { ...upstream.features, conversion: true },
  variants: { ...upstream.variants, convApi: 'GMEM-ATTR2' },
};

/** guest_memfd userfaultfd v2 (S13, SEED2): MISSING + MINOR on INIT_SHARED files. */
export const uffdV2: Profile = {
  ...upstream,
  name: 'uffd-v2',
  describes: 'upstream + guest_memfd userfaultfd v2 (S13, SEED2, UFD-2..8)',
  features: { ...upstream.features, uffd: true },
};

/** NO_DIRECT_MAP v12 as coded (per-folio flag, removed lazily, restored at free: S12, S8). */
export const noDirectMapV12: Profile = {
  ...upstream,
  name: 'no-direct-map-v12',
  describes: 'upstream + GUEST_MEMFD_FLAG_NO_DIRECT_MAP v12, per-folio lazy removal (S12, DMAP-1..7)',
  caps: { ...upstream.caps, gmemFlags: 7n },
  features: { ...upstream.features, noDirectMap: true, write: true },
  variants: { ...upstream.variants, flagBit2: 'NO_DIRECT_MAP', dmapGran: 'FOLIO-LAZY', write: 'ONCE' },
};

/** NO_DIRECT_MAP with the filemap-level invariant asked for in review (SEED3, DMAP-3). */
export const noDirectMapFilemap: Profile = {
  ...noDirectMapV12,
  name: 'no-direct-map-filemap',
  describes: 'NO_DIRECT_MAP with removal in filemap_add_folio / restore in filemap_remove_folio (SEED3 review)',
  variants: { ...noDirectMapV12.variants, dmapGran: 'MAPPING', write: 'NONE' },
  features: { ...noDirectMapV12.features, write: false },
};

/** RFC v2 shareability (SEED1, S20): INIT_PRIVATE on bit 1, KVM_GMEM_CONVERT_* ioctls. */
export const initPrivateRfc: Profile = {
  ...upstream,
  name: 'init-private-rfc',
  describes: 'RFC v2 shareability uAPI: INIT_PRIVATE flag, default shared, KVM_GMEM_CONVERT_* (SEED1, SHR-10)',
  // With in-place conversion the VM-level attribute cap reads 0 (SHR-3), on /dev/kvm too.
  caps: { ...upstream.caps, memoryAttributes: 0, memoryAttributesDevKvm: 0 },
  features: { ...upstream.features, conversion: true },
  variants: { ...upstream.variants, defaultShare: 'INIT_PRIVATE', convApi: 'GMEM-CONVERT' },
};

/** write() population v6 (S23): pwrite into not-yet-populated pages. */
export const writeV6: Profile = {
  ...upstream,
  name: 'write-v6',
  describes: 'upstream + generic population via write() v6 (S23, FIO-15)',
  features: { ...upstream.features, write: true },
  variants: { ...upstream.variants, write: 'MERMAP' },
};
