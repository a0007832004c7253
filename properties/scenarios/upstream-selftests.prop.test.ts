/**
 * The upstream guest_memfd selftest, test by test, on the selected target: every step checked in
 * lockstep against the spec, and each test shown to exercise the rules it is mapped to
 * (properties/scenarios/UPSTREAM-SELFTESTS.md).
 */
import { describe, expect, it } from 'vitest';
import { formatFailure } from '../../models/report/message.js';
import { lockstep } from '../../models/lockstep.js';
import { SPEC } from '../../models/spec-api.js';
import { RunStats } from '../../models/stats.js';
import { setupFor, targetKind } from '../_support/run.js';
import { UPSTREAM_SCENARIOS } from '../../models/scenarios/upstream.js';

const setupPromise = setupFor();

describe(`upstream guest_memfd_test.c on ${targetKind()}`, () => {
  for (const sc of UPSTREAM_SCENARIOS) {
    for (const flags of sc.flags) {
      it(`${sc.name} (flags ${flags})`, async (ctx) => {
        const setup = await setupPromise;
        if (!setup.ok) return ctx.skip(setup.reason);
        const s = setup.setup;
        const missing = (sc.needs ?? []).filter((k) => s.unsupported[k]);
        if (missing.length) return ctx.skip(missing.map((k) => `${k}: ${s.unsupported[k]}`).join('; '));
        const stats = new RunStats();
        const target = await s.makeTarget(1);
        try {
          const r = await lockstep(SPEC, s.profile, target, sc.build(flags), stats);
          if (r.failure) expect.fail(formatFailure(r.failure));
        } finally {
          await target.close();
        }
        for (const rule of sc.rules) {
          expect(rule.split('|').some((r) => stats.ruleHits.has(r)), `${sc.name} should exercise ${rule}`).toBe(true);
        }
        ctx.task.meta.gmemcheck = { opsChecked: stats.opsChecked, sequences: 1, rules: [...stats.ruleHits.keys()] };
      });
    }
  }
});
