/**
 * Runs the lockstep conformance for every domain mix through a remote target and prints the
 * verdicts as JSON on stdout. Used by the network-namespace test, which runs it inside the client
 * namespace and compares with the same runs on the local target:
 *   node --import tsx conformance-client.ts tcp://10.231.N.1:7355 RUNS SEED
 */
import { setupTarget } from '../../../../cli/targets.js';
import { ALL_MIXES } from './sequences.js';
import { verdictOf } from './verdict.js';

const [url, runs = '3', seed = '42'] = process.argv.slice(2);
const started = Date.now();
const setup = await setupTarget('remote', { url: url! });
if (!setup.ok) throw new Error(setup.reason);
const s = setup.setup;
const verdicts = [];
for (const [name, mix] of ALL_MIXES) verdicts.push({ name, verdict: await verdictOf(s, mix, Number(runs), Number(seed)) });
process.stdout.write(`${JSON.stringify({ target: s.probe.target, release: s.probe.release, verdicts, ms: Date.now() - started })}\n`);
process.exit(0);
