/**
 * Profile derivation is total and right on every probe we have: the emulator under every preset
 * and every §4 variant (its probe is measured from its own behaviour, so a derived variant that
 * disagrees with the profile it runs is an emulator or derivation bug), this machine's native
 * target, and the recorded probes of real 6.18 and 7.2 kernels (docs/probe-records/).
 */
import { describe, expect, it } from 'vitest';
import { VARIANT_NAMES, type ProbeResult, type Profile, type VariantKey } from '../../../spec/vocab/index.js';
import { decidedVariants, deriveProfile, linux618, PRESETS, upstream, variantProfiles } from '../../../spec/profiles/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { createNativeTarget, nativeAvailable } from '../../../adapters/native/index.js';
import { probeCheck } from '../../../adapters/remote/validate/outcome.js';
import { PROBE_618, PROBE_72 } from '../../support/probe-records.js';

const KEYS = Object.keys(VARIANT_NAMES) as VariantKey[];

/** Every variant is decided or listed with a reason; every listed reason is non-empty. */
const expectTotal = (probe: ProbeResult) => {
  const d = deriveProfile(probe);
  const decided = decidedVariants(d);
  const listed = KEYS.filter((k) => d.undecided.some((u) => u.startsWith(`${VARIANT_NAMES[k]} (`)));
  expect([...decided, ...listed].sort()).toEqual([...KEYS].sort());
  for (const u of d.undecided) expect(u).toMatch(/^[\w.-]+ \(.+\)$/);
  return d;
};

/** The derived profile agrees with `want` on every field a probe decided. */
const expectAgrees = (probe: ProbeResult, want: Profile) => {
  const d = expectTotal(probe);
  for (const k of decidedVariants(d)) expect(`${VARIANT_NAMES[k]}=${d.profile.variants[k]}`).toBe(`${VARIANT_NAMES[k]}=${want.variants[k]}`);
  for (const k of Object.keys(want.features) as (keyof Profile['features'])[]) {
    if (!d.undecided.some((u) => u.startsWith(`features.${k} (`))) expect(`features.${k}=${d.profile.features[k]}`).toBe(`features.${k}=${want.features[k]}`);
  }
  return d;
};

describe('profile derivation from a probe', () => {
  const emulatorProfiles = [...Object.values(PRESETS), ...variantProfiles(upstream)];
  it.each(emulatorProfiles.map((p) => [p.name, p] as const))('emulator under %s: the probe derives the profile back', async (_name, profile) => {
    const probe = await createEmulator({ profile, seed: 1 }).probe();
    expect(probeCheck(probe, '$')).toBeUndefined();
    const d = expectAgrees(probe, profile);
    expect(d.profile.caps).toEqual(profile.caps.vmTypes.some((t) => t !== 0) ? profile.caps : { ...profile.caps, gmemFlagsPrivateVm: linux618.caps.gmemFlagsPrivateVm });
    // The variants that decide observable behaviour are decided, not defaulted; without guest_memfd
    // (linux-6.18-nogmem) none can be, and none matters (P-IOURING-BUFMAX, P-SHMEM-UFFD-EOF and P-DIO-ALIGN are measured on memfd).
    if (profile.caps.guestMemfd === 0) expect(decidedVariants(d).filter((k) => k !== 'polQuery' && k !== 'thpCollapse' && k !== 'iouringBufMax' && k !== 'shmemUffdEof' && k !== 'dioAlign')).toEqual([]);
    else expect(decidedVariants(d)).toEqual(expect.arrayContaining(['bindOverlap', 'offset', 'polScope', 'polQuery', 'reserved', 'fsMagic', 'guestPath', 'defaultShare']));
  });

  it('the recorded 6.18.44 probe derives linux-6.18', () => {
    const d = expectAgrees(PROBE_618, linux618);
    expect(d.profile.caps).toEqual({ ...linux618.caps });
    expect(decidedVariants(d)).toEqual(expect.arrayContaining(['bindOverlap', 'offset', 'polScope', 'thpCollapse', 'fsMagic', 'guestPath']));
  });

  it('the recorded 7.2.13 probe derives upstream: every capability, every decided variant (the preset is that record)', () => {
    const d = expectAgrees(PROBE_72, upstream);
    expect(decidedVariants(d)).toEqual(expect.arrayContaining(['bindOverlap', 'offset', 'polScope', 'fsMagic', 'guestPath', 'shmemUffdEof', 'mmapNoSharedGuest', 'polQuery']));
    // Capabilities are per scope: cap 233 is 8 on /dev/kvm and 0 on a VM; both are kept.
    expect(d.profile.caps).toEqual(upstream.caps);
    expect(d.profile.caps.memoryAttributesDevKvm).toBe(8);
    expect(d.profile.caps.memoryAttributes).toBe(0);
    expect(d.profile.caps.addressSpaces).toBe(2);
    // What stays undecided there is what no op can show on that kernel (no series, one NUMA node).
    for (const u of d.undecided) expect(u).toMatch(/no op can show it|absent here|no probe tells|≥ 2 NUMA nodes|no VM type with private memory|grows a mapping/);
    expect(d.profile.variants.dioAlign).toBe('CHECK-FIRST');
    expect(d.profile.variants.iouringBufMax).toBe('1T');
  });

  const native = nativeAvailable();
  it.skipIf(!native.ok)(`this machine's native probe is well-formed and its derivation total${native.ok ? '' : ` (skipped: ${native.reason})`}`, async () => {
    const t = await createNativeTarget();
    try {
      const probe = await t.probe();
      expect(probeCheck(probe, '$')).toBeUndefined();
      expectTotal(probe);
    } finally {
      await t.close();
    }
  });
});
