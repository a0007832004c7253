/**
 * `gmemcheck selftests`: the kernel's own guest_memfd selftest (tools/testing/selftests/kvm/
 * guest_memfd_test.c), test by test as op sequences (properties/scenarios/upstream.ts), each run
 * in lockstep on the target, every step checked against the spec, and each shown to exercise the
 * rules it is mapped to. The same scenarios `npm test` runs; here on any target, e.g. a kernel in
 * `gmemcheck vm`. Exit 0 all pass (skips name their reason), 1 a failure, 3 the harness broke, 4
 * every scenario skipped.
 */
import { EXIT, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { list, parse } from '../parse.js';
import { bugsArg } from '../bugs-arg.js';
import { openTarget } from '../open-target.js';
import { profileArg } from '../profile-arg.js';
import { targetFromArgs } from '../target-spec.js';
import { UPSTREAM_SCENARIOS } from '../../models/scenarios/upstream.js';

export const selftestsCommand = async (args: readonly string[], io: Io): Promise<ExitCode> => {
  const { values: v } = parse(args, {
    target: { type: 'string' }, profile: { type: 'string' }, bugs: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, 0, 'selftests');
  const only = new Set(list(v.only));
  const unknown = [...only].filter((n) => !UPSTREAM_SCENARIOS.some((s) => s.name === n));
  if (unknown.length) {
    const { UsageError } = await import('../errors.js');
    throw new UsageError(`unknown selftest ${unknown.join(', ')} (one of ${UPSTREAM_SCENARIOS.map((s) => s.name).join(', ')})`);
  }
  const { setup } = await openTarget({
    target: targetFromArgs(v.target, process.env), bugs: bugsArg(v.bugs),
    ...(v.profile ? { profile: profileArg(v.profile)! } : {}),
  }, io);
  io.out(`kernel ${setup.probe.release}; profile ${setup.profile.name}`);
  const { lockstep } = await import('../../models/lockstep.js');
  const { SPEC } = await import('../../models/spec-api.js');
  const { RunStats } = await import('../../models/stats.js');
  const { formatFailure } = await import('../../models/report/message.js');
  const counts = { pass: 0, fail: 0, skip: 0 };
  for (const sc of UPSTREAM_SCENARIOS.filter((s) => only.size === 0 || only.has(s.name))) {
    for (const flags of sc.flags) {
      const label = `${sc.name} (flags 0x${flags.toString(16)})`;
      const missing = (sc.needs ?? []).filter((k) => setup.unsupported[k] !== undefined);
      if (missing.length) {
        counts.skip++;
        io.out(`SKIP  ${label}: ${missing.map((k) => `${k}: ${setup.unsupported[k]}`).join('; ')}`);
        continue;
      }
      const stats = new RunStats();
      const target = await setup.makeTarget(1);
      try {
        const r = await lockstep(SPEC, setup.profile, target, sc.build(flags), stats);
        const unexercised = sc.rules.filter((rule) => !rule.split('|').some((x) => stats.ruleHits.has(x)));
        if (r.failure || unexercised.length) {
          counts.fail++;
          io.out(`FAIL  ${label}${unexercised.length ? `: did not exercise ${unexercised.join(', ')}` : ''}`);
          if (r.failure) io.out(formatFailure(r.failure));
        } else {
          counts.pass++;
          io.out(`PASS  ${label}: ${stats.opsChecked} ops checked, rules ${sc.rules.join(', ')}`);
        }
      } finally {
        await target.close();
      }
    }
  }
  io.out(`passed ${counts.pass}, failed ${counts.fail}, skipped ${counts.skip}`);
  if (counts.fail > 0) return EXIT.FAIL;
  // Every scenario skipped: nothing was tested, which is never a pass.
  return counts.pass === 0 ? EXIT.NOTHING : EXIT.PASS;
};
