import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from '../../../spec/vocab/codec.js';
import { decodeToken, BadTokenError, TOKEN_PREFIX } from '../../../models/report/token.js';
import { sequenceArb } from '../../../models/generate/sequence.js';
import { MIXED } from '../../../models/generate/mixes.js';
import { resolveTemplates } from '../../../models/property.js';
import { EMULATOR_LIMITS } from '../../../models/generate/context.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { pack } from '../../../spec/vocab/codec.js';

describe('trace codec', () => {
  it('round-trips every generated op sequence exactly (bigints included)', () => {
    fc.assert(fc.property(sequenceArb({ mix: MIXED, maxLength: 40 }), (t) => {
      const ops = resolveTemplates(t, EMULATOR_LIMITS, linux618);
      expect(parse(stringify(ops))).toEqual(ops);
    }), { numRuns: 200 });
  });
  it('round-trips replay tokens and rejects corrupt ones with a named error', () => {
    const ops = [{ kind: 'createVm', id: 0, type: 0 }];
    expect(decodeToken(TOKEN_PREFIX + pack({ profile: 'upstream', ops }))).toEqual({ profile: 'upstream', ops });
    expect(() => decodeToken('nope')).toThrow(BadTokenError);
    expect(() => decodeToken(`${TOKEN_PREFIX}!!!!`)).toThrow(BadTokenError);
  });
});
