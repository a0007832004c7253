/**
 * report.md: what a kernel developer reads first. The rule and its cited text, the environment
 * (release, target, profile with every variant, probed capabilities), the minimal sequence with
 * each step's outcome, allowed vs observed at the failing step, the abstract state before it, and
 * how to replay (token, trace, standalone C).
 */
import type { VariantKey } from '../../spec/vocab/index.js';
import { BEHAVIOUR_KEYS, VARIANT_NAMES, formatBehaviour } from '../../spec/vocab/index.js';
import { CATALOGUE, citation } from '../../spec/catalogue/index.js';
import { formatOp, formatOutcome, formatScalar } from '../../spec/vocab/render-text.js';
import type { Trace } from './trace.js';
import { samePageSteps } from './same-page.js';

export interface ReportLinks {
  readonly token: string;
  /** The --target that reaches the failing target again (an agent's address for a remote one). */
  readonly target: string;
  /** How the trace and the reproducer are named relative to the reader (paths printed as given). */
  readonly tracePath: string;
  readonly reproPath: string;
}

const ruleBlock = (id: string): string[] => {
  const r = CATALOGUE.get(id);
  return r ? [`- **${id}** — ${r.statement}`, `  - citation: ${citation(r)}`, `  - status: ${r.status}; observable on 6.18: ${r.observability}`]
    : [`- **${id}** — (not in the catalogue)`];
};

const fence = (text: string): string[] => ['```', ...text.split('\n'), '```'];

/** Earlier steps on the failing step's file pages: where the bug may have happened (the failing step is where it shows). */
const suspects = (t: Trace): string[] => {
  const earlier = samePageSteps(t.ops, t.failingStep);
  return earlier.length === 0 ? [] : ['', `earlier steps on the same file pages (suspects): ${earlier.map((n) => `${n} \`${t.ops[n - 1]!.kind}\`${t.stepRules[n - 1]?.length ? ` (${t.stepRules[n - 1]!.join(', ')})` : ''}`).join(', ')}`];
};

export const reportMarkdown = (t: Trace, links: ReportLinks): string => {
  const i = t.failingStep;
  const op = t.ops[i]!;
  const head = t.rules[0] ?? '?';
  const p = t.profile;
  const caps = t.capabilities;
  const lines = [
    `# gmemcheck: ${head} violated at step ${i + 1} of ${t.ops.length}`,
    '',
    t.phase === 'shrunk' ? 'This is the **shrunk** (minimal) counterexample.'
      : 'This is the **first** failing case found; a shrunk one replaces it in `shrunk/` when shrinking ends.',
    '',
    '## Rule',
    ...t.rules.flatMap(ruleBlock),
    '',
    '## Environment',
    `- kernel release: \`${t.release}\``,
    `- target: ${t.target}${t.targetSeed !== undefined ? ` (target seed ${t.targetSeed})` : ''}${t.bugs.length ? `, emulator bugs on: ${t.bugs.join(', ')}` : ''}` +
      `${t.emulatorProfile !== undefined ? `; the emulator implements \`${t.emulatorProfile}\`, judged by \`${t.profile.name}\`` : ''}`,
    `- profile: \`${p.name}\` — ${p.describes}`,
    `  - caps: ${Object.entries(p.caps).map(([k, v]) => `${k}=${formatScalar(v)}`).join(', ')}`,
    `  - features: ${Object.entries(p.features).map(([k, v]) => `${k}=${v ? 'on' : 'off'}`).join(', ')}; NUMA nodes ${p.numaNodes}`,
    `  - variants: ${(Object.keys(p.variants) as VariantKey[]).map((k) => `${VARIANT_NAMES[k]}=${p.variants[k]}`).join(', ')}`,
    ...(caps ? [
      `- probed: VM types ${caps.vmTypes.join(',') || 'none'}; NUMA nodes ${caps.numaNodes}`,
      `  - KVM_CHECK_EXTENSION on /dev/kvm: ${Object.entries(caps.caps.kvm).map(([k, v]) => `${k}=${v}`).join(' ')}`,
      `  - KVM_CHECK_EXTENSION on a VM: ${Object.entries(caps.caps.vm).map(([k, v]) => `${k}=${v}`).join(' ')}`,
      ...(caps.caps.privateVm ? [`  - KVM_CHECK_EXTENSION on a private-memory VM: ${Object.entries(caps.caps.privateVm).map(([k, v]) => `${k}=${v}`).join(' ')}`] : []),
      `  - behaviours: ${BEHAVIOUR_KEYS.map((k) => formatBehaviour(k, caps.behaviours[k])).join(', ')}`,
    ] : []),
    '',
    '## Sequence',
    '',
    '| # | op | observed |',
    '|---|----|----------|',
    ...t.ops.map((o, n) => `| ${n === i ? `**${n + 1}**` : n + 1} | \`${formatOp(o)}\` | ${n === i ? '**' : ''}${formatOutcome(t.observed[n]!)}${n === i ? '** ✗' : ''} |`),
    '',
    `## Step ${i + 1}: allowed vs observed`,
    '',
    `op: \`${formatOp(op)}\``,
    '',
    'allowed (any one of):',
    ...t.allowed[i]!.map((a) => `- ${formatOutcome(a)}`),
    '',
    `observed: **${formatOutcome(t.observed[i]!)}**`,
    ...(t.loose ? ['', `why more than one outcome is allowed: ${t.loose}`] : []),
    ...suspects(t),
    '',
    `## Abstract state before step ${i + 1}`,
    '',
    ...fence(t.stateBefore),
    '',
    '## Replay',
    '',
    ...fence([
      `gmemcheck replay ${links.token}${links.target === 'emulator' ? '' : ` --target ${links.target}`}`,
      `gmemcheck replay ${links.tracePath}`,
      `gcc -Wall -Werror -o repro ${links.reproPath} && ./repro   # exit 0 pass, 1 fail, 4 skip`,
    ].join('\n')),
    '',
  ];
  return lines.join('\n');
};
