import { describe, expect, it } from 'vitest';
import { PRESETS, resolveProfile, UnknownProfileError, variantProfiles, upstream } from '../../../spec/profiles/index.js';
import { VARIANT_VALUES } from '../../../spec/vocab/index.js';

describe('profiles', () => {
  it('has the required presets', () => {
    expect(Object.keys(PRESETS)).toEqual(expect.arrayContaining(['linux-6.18', 'upstream', 'conversion-v8', 'uffd-v2', 'no-direct-map-v12', 'no-direct-map-filemap', 'init-private-rfc']));
  });
  it('resolves variants by their §4 names and rejects bad ones with the choices', () => {
    expect(resolveProfile('upstream/P-BIND-OVERLAP=EINVAL').variants.bindOverlap).toBe('EINVAL');
    expect(() => resolveProfile('nope')).toThrow(UnknownProfileError);
    expect(() => resolveProfile('upstream/P-NOPE=1')).toThrow(/unknown variant/);
    expect(() => resolveProfile('upstream/P-BIND-OVERLAP=EPERM')).toThrow(/EINVAL \| EEXIST/);
  });
  it('names one variant profile per non-default answer of every open question', () => {
    const n = Object.values(VARIANT_VALUES).reduce((a, v) => a + v.length - 1, 0);
    expect(variantProfiles(upstream)).toHaveLength(n);
  });
});
