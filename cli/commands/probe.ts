/** `gmemcheck probe`: the target's raw ProbeResult and the profile derived from it (plus undecided variants). */
import { stringify } from '../../spec/vocab/codec.js';
import { BEHAVIOUR_KEYS, formatBehaviour } from '../../spec/vocab/index.js';
import { EXIT, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { parse } from '../parse.js';
import { bugsArg } from '../bugs-arg.js';
import { targetFromArgs } from '../target-spec.js';
import { openTarget } from '../open-target.js';
import { profileArg } from '../profile-arg.js';
import { profileLines } from '../profile-text.js';

export const probeCommand = async (args: readonly string[], io: Io): Promise<ExitCode> => {
  const { values } = parse(args, {
    target: { type: 'string' }, profile: { type: 'string' }, bugs: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  }, 0, 'probe');
  const json = values.json === true;
  const { setup } = await openTarget(
    { target: targetFromArgs(values.target, process.env), bugs: bugsArg(values.bugs), ...(values.profile ? { profile: profileArg(values.profile)! } : {}) },
    io, json ? io.err : io.out,
  );
  const p = setup.probe;
  if (json) {
    io.out(stringify({ probe: p, profile: setup.profile, undecided: setup.undecided }, 2));
    return EXIT.PASS;
  }
  io.out(`release:    ${p.release}`);
  io.out(`vm types:   ${p.vmTypes.join(', ') || 'none'}`);
  io.out(`numa nodes: ${p.numaNodes}`);
  io.out(`caps (/dev/kvm): ${Object.entries(p.caps.kvm).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  io.out(`caps (vm):       ${Object.entries(p.caps.vm).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (p.caps.privateVm) io.out(`caps (private-memory vm): ${Object.entries(p.caps.privateVm).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  io.out('behaviours:');
  for (const k of BEHAVIOUR_KEYS) io.out(`  ${formatBehaviour(k, p.behaviours[k])}`);
  const unsupported = Object.entries(p.unsupported);
  io.out(unsupported.length ? 'unsupported op kinds:' : 'unsupported op kinds: none');
  for (const [k, why] of unsupported) io.out(`  ${k}: ${why}`);
  for (const l of profileLines(setup.profile)) io.out(l);
  io.out(`undecided (linux-6.18 answer kept): ${setup.undecided.length ? '' : 'none'}`);
  for (const u of setup.undecided) io.out(`  ${u}`);
  return EXIT.PASS;
};
