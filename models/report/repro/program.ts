/**
 * Assembles a standalone kselftest-style C reproducer (libc only; gcc -Wall -Werror clean) from op
 * sequences and the allowed outcome sets the spec gave for each step. The code it runs is the
 * project's own C: the syscall wrappers the native addon is built from (adapters/native/src/gm_sys.c),
 * the uAPI header generated from spec/vocab/uapi.ts, and the reproducer runtime (./runtime.c), of
 * which only the items the steps use are embedded. It prints KTAP: one result line per step (or,
 * with several sequences, one nested test per sequence), a `# observed <step> <code>` diagnostic
 * before each (models/report/outcome-code.ts), and exits 0 if every step's outcome was allowed,
 * 1 if one was not, 4 (KSFT_SKIP) if /dev/kvm cannot be opened.
 */
import { readCSource } from './c-source.js';
import { CONVENTION, formatOp, type Op, type Outcome } from '../../../spec/vocab/index.js';
import { uapiHeader } from '../../../spec/vocab/uapi-c.js';
import { encodeOutcome } from '../outcome-code.js';
import { ccomment, cstr } from './c-literal.js';
import { parseC, selectC, type CSource } from './c-items.js';
import { caseContext, emitOp } from './emit-op.js';

export interface ReproStep {
  readonly op: Op;
  readonly allowed: readonly Outcome[];
  readonly rules: readonly string[];
}

export interface ReproCase {
  readonly name: string;
  readonly steps: readonly ReproStep[];
}


/** Numbers the runtime needs from the TypeScript side: the targets' conventions. */
const generated = (): string => [
  `#define USER_TOP 0x${CONVENTION.USER_TOP.toString(16)}ULL`,
  `#define UFFD_TIMEOUT_MS ${CONVENTION.UFFD_TIMEOUT_MS}`,
  `#define NOT_OPEN_FD ${CONVENTION.NOT_OPEN_FD}`,
  `#define UNALIGNED_UADDR 0x${CONVENTION.UNALIGNED_UADDR.toString(16)}ULL`,
].join('\n');

/** The C sources in the order their items are emitted (definitions before uses), each with the heading its section gets. */
const SOURCES = (): { heading: string; source: CSource }[] => [
  { heading: 'numbers from the TypeScript side (spec/vocab/conventions.ts)', source: parseC(generated()) },
  { heading: 'uAPI (generated from spec/vocab/uapi.ts)', source: parseC(uapiHeader()) },
  { heading: 'syscall wrappers shared with the native addon (adapters/native/src/gm_sys.h, gm_sys.c)', source: parseC(readCSource('adapters/native/src/gm_sys.h')) },
  { heading: '', source: parseC(readCSource('adapters/native/src/gm_sys.c')) },
  { heading: 'handles, dead-handle conventions and outcome codes of the native target (models/report/repro/runtime.c)', source: parseC(readCSource('models/report/repro/runtime.c')) },
];

/** Item comments live in the sources; a reproducer keeps the code, one paragraph per section. */
const stripLeadingComment = (item: string): string => item.replace(/^(?:\/\*[\s\S]*?\*\/\s*\n|\/\/[^\n]*\n)+/, '');

/** KTAP descriptions cannot contain '#'; handles print as `fd=0` instead of `fd=#0`. */
const describe = (op: Op): string => formatOp(op).replace(/#/g, '');

interface Emitted { readonly lines: string[]; readonly placed: boolean }

const emitSteps = (c: ReproCase, label: (i: number) => string, tab: string): Emitted => {
  const ctx = caseContext(c.steps.map((s) => s.op));
  let placed = false;
  const lines = c.steps.flatMap((s, i) => {
    const e = emitOp(s.op, ctx);
    const desc = cstr(`${describe(s.op)} [${s.rules.join(', ')}]`);
    if (e.kind === 'skip') return [`${tab}step_skip(${cstr(label(i))}, ${desc}, ${cstr(e.why)});`];
    // mmapEx places its mappings in the arena below the dead zone (runtime.c arena_hint), so a later
    // MAP_FIXED over one has the free gap after it that the spec assumes (spanRange maps its
    // anonymous pages into that gap).
    placed ||= e.placed || s.op.kind === 'mmapEx' || s.op.kind === 'mremap' || s.op.kind === 'spanRange';
    const allowed = [...s.allowed.map((a) => cstr(encodeOutcome(a))), 'NULL'].join(', ');
    return [`${tab}check(${cstr(label(i))}, ${desc}, ${e.code}, (const char *[]){ ${allowed} });`];
  });
  return { lines: placed ? [`${tab}dead_zone = find_dead_zone();`, ...lines] : lines, placed };
};

const singleMain = (c: ReproCase): string[] => [
  'int main(void)',
  '{',
  `\tsetup(${c.steps.length});`,
  ...emitSteps(c, (i) => String(i + 1), '\t').lines,
  '\tprintf("# totals: pass:%d fail:%d skip:%d\\n", test_no - failed - skipped, failed, skipped);',
  '\treturn failed ? 1 : test_no > 0 && skipped == test_no ? 4 : 0;',
  '}',
];

/** Several sequences: one function each, run as nested KTAP tests with every handle released in between. */
const batchMain = (cases: readonly ReproCase[]): string[] => [
  ...cases.flatMap((c, k) => [
    `/* ${ccomment(c.name)} */`,
    `static void case_${k}(void)`,
    '{',
    ...emitSteps(c, (i) => `${k + 1}.${i + 1}`, '\t').lines,
    '}',
    '',
  ]),
  'int main(void)',
  '{',
  '\tint any_failed = 0, all_skipped = 1;',
  `\tsetup(${cases.length});`,
  ...cases.flatMap((c, k) => [
    `\tktap_begin("  ", ${c.steps.length});`,
    `\tcase_${k}();`,
    '\treset_tables();',
    `\tprintf("%s %d %s\\n", failed ? "not ok" : "ok", ${k + 1}, ${cstr(c.name.replace(/#/g, ''))});`,
    '\tany_failed |= failed != 0;',
    `\tall_skipped &= skipped == ${c.steps.length};`,
  ]),
  '\treturn any_failed ? 1 : all_skipped ? 4 : 0;',
  '}',
];

/** `header` lines become the file's opening comment (rule, profile, release, how to build). */
export const reproProgram = (cases: readonly ReproCase[], header: readonly string[]): string =>
  assembleRepro((cases.length === 1 ? singleMain(cases[0]!) : batchMain(cases)).join('\n'), header);

/**
 * A whole reproducer around `body` (its main and helpers): the items of the project's C sources the
 * body uses (and, for a parallel case, of `extra` sources: gm_par.c and its runtime), sections in
 * source order, includes first.
 */
export const assembleRepro = (
  body: string, header: readonly string[], extra: readonly { heading: string; source: CSource }[] = [], build = 'gcc -Wall -Werror -o repro repro.c && ./repro  (KTAP; exit 0 pass, 1 fail, 4 skip)',
): string => {
  const sources = [...SOURCES(), ...extra];
  const { items, includes } = selectC(sources.map((x) => x.source), body);
  // gm_sys.h and gm_sys.c share one section: the header's heading, the definitions after its types.
  const sections = sources.flatMap((x, i) => (items[i]!.length === 0 ? [] : [{ heading: x.heading, lines: items[i]!.map(stripLeadingComment) }]))
    .reduce<{ heading: string; lines: string[] }[]>((out, sec) => {
      if (sec.heading === '' && out.length > 0) out[out.length - 1]!.lines.push(...sec.lines);
      else out.push({ heading: sec.heading, lines: [...sec.lines] });
      return out;
    }, []);
  return [
    '// SPDX-License-Identifier: GPL-2.0-only',
    '/*',
    ...header.map((l) => ` * ${ccomment(l)}`),
    ` * Build and run: ${build}`,
    ' */',
    '#define _GNU_SOURCE',
    ...includes,
    ...sections.flatMap((sec) => ['', ...(sec.heading ? [`/* ${sec.heading} */`] : []), ...sec.lines]),
    '',
    body,
    '',
  ].join('\n');
};
