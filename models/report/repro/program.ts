/**
 * Assembles a standalone kselftest-style C reproducer (libc only; gcc -Wall -Werror clean) from
 * op sequences and the allowed outcome sets the spec gave for each step. It prints KTAP: one
 * result line per step (or, with several sequences, one nested test per sequence), a
 * `# observed <step> <code>` diagnostic before each (the code of models/report/outcome-code.ts),
 * and exits 0 if every step's outcome was allowed, 1 if one was not, 4 (KSFT_SKIP) if /dev/kvm
 * cannot be opened.
 */
import type { Op, Outcome } from '../../../spec/vocab/index.js';
import { formatOp } from '../../../spec/vocab/render-text.js';
import { encodeOutcome } from '../outcome-code.js';
import { ccomment, cstr } from './c-literal.js';
import { emitOp } from './emit-op.js';
import { C_PRELUDE } from './c-prelude.js';
import { C_OPS_FILES } from './c-ops-files.js';
import { C_PLACE } from './c-place.js';
import { C_OPS_MM } from './c-ops-mm.js';
import { C_OPS_UFFD } from './c-ops-uffd.js';

export interface ReproStep {
  readonly op: Op;
  readonly allowed: readonly Outcome[];
  readonly rules: readonly string[];
}

export interface ReproCase {
  readonly name: string;
  readonly steps: readonly ReproStep[];
}

/** KTAP descriptions cannot contain '#'; handles print as `fd=0` instead of `fd=#0`. */
const describe = (op: Op): string => formatOp(op).replace(/#/g, '');

const emitStep = (s: ReproStep, label: string): string => {
  const e = emitOp(s.op);
  const head = `  /* step ${label}: ${ccomment(formatOp(s.op))}; rules ${ccomment(s.rules.join(', '))} */`;
  if (e.kind === 'skip') return `${head}\n  step_skip(${cstr(label)}, ${cstr(describe(s.op))}, ${cstr(e.why)});`;
  const allowed = [...s.allowed.map((a) => cstr(encodeOutcome(a))), 'NULL'].join(', ');
  return [
    head,
    '  {',
    `    static const char *const allowed[] = { ${allowed} };`,
    '    obs_set("infrastructure: no outcome");',
    `    ${e.code};`,
    `    check(${cstr(label)}, ${cstr(describe(s.op))}, allowed);`,
    '  }',
  ].join('\n');
};

const emitCase = (c: ReproCase, k: number, nested: boolean): string =>
  [`/* ${ccomment(c.name)} */`, `static void case_${k}(void) {`,
    '  dead_zone = find_dead_zone(); /* per sequence, like a fresh native target */',
    ...c.steps.map((s, i) => emitStep(s, nested ? `${k + 1}.${i + 1}` : String(i + 1))), '}'].join('\n');

const emitMain = (cases: readonly ReproCase[]): string => {
  const nested = cases.length > 1;
  const body = nested
    ? [
      `  printf("KTAP version 1\\n1..%d\\n", ${cases.length});`,
      ...cases.flatMap((c, k) => [
        `  ktap_begin("  ", ${c.steps.length});`,
        `  case_${k}();`,
        '  reset_tables();',
        `  printf("%s %d %s\\n", failed ? "not ok" : "ok", ${k + 1}, ${cstr(c.name.replace(/#/g, ''))});`,
        '  any_failed |= failed != 0;',
        `  all_skipped &= skipped == ${c.steps.length};`,
      ]),
    ]
    : [
      `  ktap_begin("", ${cases[0]?.steps.length ?? 0});`,
      ...(cases.length ? ['  case_0();'] : []),
      '  reset_tables();',
      '  printf("# totals: pass:%d fail:%d skip:%d\\n", test_no - failed - skipped, failed, skipped);',
      '  any_failed = failed != 0;',
      '  all_skipped = test_no > 0 && skipped == test_no;',
    ];
  return [
    'int main(void) {',
    '  int i, any_failed = 0, all_skipped = 1;',
    '  setvbuf(stdout, NULL, _IOLBF, 0);',
    '  for (i = 0; i < MAX_H; i++) vm_tab[i] = fd_tab[i] = uffd_tab[i] = -1;',
    '  install_guard();',
    '  kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);',
    '  if (kvm_fd < 0) {',
    '    printf("KTAP version 1\\n1..0 # SKIP cannot open /dev/kvm: %s\\n", strerror(errno));',
    '    return 4; /* KSFT_SKIP */',
    '  }',
    ...body,
    '  close(kvm_fd);',
    '  return any_failed ? 1 : all_skipped ? 4 : 0;',
    '}',
  ].join('\n');
};

/** `header` lines become the file's opening comment (rule, profile, release, how to build). */
export const reproProgram = (cases: readonly ReproCase[], header: readonly string[]): string => [
  '// SPDX-License-Identifier: GPL-2.0-only',
  '/*',
  ...header.map((l) => ` * ${ccomment(l)}`),
  ' *',
  ' * Build and run: gcc -Wall -Werror -o repro repro.c && ./repro',
  ' * Output is KTAP (Documentation/dev-tools/ktap.rst); exit 0 pass, 1 fail, 4 skip.',
  ' */',
  C_PRELUDE, C_OPS_FILES, C_PLACE, C_OPS_MM, C_OPS_UFFD,
  ...cases.map((c, k) => emitCase(c, k, cases.length > 1)),
  emitMain(cases),
  '',
].join('\n');
