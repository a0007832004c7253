/**
 * Runs the lockstep conformance for every domain mix through a remote target and prints a JSON
 * summary on stdout. Used by the network-namespace test, which runs it inside the client namespace:
 *   node --import tsx conformance-client.ts tcp://10.231.N.1:7355 RUNS
 */
import { checkConformance } from '../../../../models/property.js';
import { setupTarget } from '../../../../models/target-setup.js';
import { ALL_MIXES } from './sequences.js';

const [url, runs = '3'] = process.argv.slice(2);
const started = Date.now();
const setup = await setupTarget('remote', { url: url! });
if (!setup.ok) throw new Error(setup.reason);
const s = setup.setup;
const results = [];
for (const [name, mix] of ALL_MIXES) {
  const stats = await checkConformance(
    { profile: s.profile, makeTarget: s.makeTarget, mix, maxLength: 20, limits: s.limits, excluded: s.excluded },
    { numRuns: Number(runs), seed: 42 },
  );
  results.push({ name, opsChecked: stats.opsChecked, sequences: stats.sequences });
}
process.stdout.write(`${JSON.stringify({ target: s.probe.target, release: s.probe.release, results, ms: Date.now() - started })}\n`);
process.exit(0);
