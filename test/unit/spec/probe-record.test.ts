/**
 * The project's probe records (docs/probes/) are the measurements presets cite. The `upstream`
 * preset must say what the profile derived from PR-DEB-7.2.13 says, for every capability and every
 * variant a probe decided: a preset that drifts from its own evidence fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveProfile } from '../../../spec/profiles/derive.js';
import { upstream } from '../../../spec/profiles/upstream.js';
import { parse } from '../../../models/codec.js';
import type { ProbeResult } from '../../../adapters/target.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/probes');
const record = (id: string) => parse(readFileSync(path.join(DIR, `${id}.json`), 'utf8')) as { id: string; probe: ProbeResult; kernel: string; how: string };

describe('probe records', () => {
  it('each record is named by its id and says what kernel and how it was taken', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
    expect(files).toContain('PR-DEB-7.2.13.json');
    for (const f of files) {
      const r = record(f.replace(/\.json$/, ''));
      expect(r.id).toBe(f.replace(/\.json$/, ''));
      expect(r.kernel.length).toBeGreaterThan(0);
      expect(r.how).toMatch(/gmemcheck/);
    }
  });

  it('upstream agrees with PR-DEB-7.2.13 on every capability and every variant a probe decided', () => {
    const d = deriveProfile(record('PR-DEB-7.2.13').probe);
    expect(d.undecided).toEqual([]);
    expect(d.profile.caps).toEqual(upstream.caps);
    expect(d.profile.features).toEqual(upstream.features);
    const decided = d.decisions.filter((x) => x.state === 'decided');
    expect(decided.map((x) => x.name)).toEqual(expect.arrayContaining(['P-OFFSET', 'P-GUEST-PATH', 'P-BIND-OVERLAP', 'P-POL-SCOPE', 'P-SHMEM-UFFD-EOF']));
    for (const v of decided) expect(upstream.variants[v.key], `${v.name} (${v.why})`).toBe(v.value);
  });

  it('the 7.2 guest ran through guest_memfd there: guest accesses are offered, the mapping level is not (with its reason)', () => {
    const p = record('PR-DEB-7.2.13').probe;
    expect(p.behaviours['guestPath']).toBe('GMEM');
    expect(p.unsupported.guestAccess).toBeUndefined();
    expect(p.unsupported.guestMapLevel).toMatch(/VM-wide counts/);
  });
});
