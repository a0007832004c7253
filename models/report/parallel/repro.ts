/**
 * repro.c of a parallel counterexample: a standalone C program (pthreads, gcc -Wall -Werror) that
 * builds the prefix with the reproducer runtime's op functions, runs the branches on threads
 * through the same executor the addon uses (adapters/native/src/gm_par.c: a start gate, one thread
 * per branch, the main thread answering userfaults), and compares what every branch op observed
 * with what the failing run observed — again and again, everything released in between, until the
 * outcomes come back or ATTEMPTS runs have passed. KTAP: `not ok` and exit 1 when reproduced, `ok`
 * and exit 0 when not, exit 4 when it cannot run (no /dev/kvm, an op it cannot issue).
 */
import { readCSource } from '../repro/c-source.js';
import { CONVERT_API, FILE_IO_CALL, MADV, MEMPOLICY_QUERY, UFFD_RESOLVE, formatOp, type Op } from '../../../spec/vocab/index.js';
import { cI64, cU64 } from '../../../spec/vocab/render-c.js';
import { encodeOutcome } from '../outcome-code.js';
import { ccomment, cstr } from '../repro/c-literal.js';
import { parseC } from '../repro/c-items.js';
import { caseContext, emitOp } from '../repro/emit-op.js';
import { assembleRepro } from '../repro/program.js';
import type { ParallelTrace } from './trace.js';

/** Runs before giving up: a real kernel interleaves differently every time. */
export const REPRO_ATTEMPTS = 20_000;


const EXTRA = () => [
  { heading: 'branches on threads, shared with the native addon (adapters/native/src/gm_par.h, gm_par.c)', source: parseC(readCSource('adapters/native/src/gm_par.h')) },
  { heading: '', source: parseC(readCSource('adapters/native/src/gm_par.c')) },
  { heading: 'the parallel runtime (models/report/repro/par-runtime.c)', source: parseC(readCSource('models/report/repro/par-runtime.c')) },
];

/** A branch op as a gm_par_op initializer, and the live-map test and base its result needs. */
const parOp = (op: Op): { readonly init: string; readonly map?: number } => {
  const u = (v: bigint): string => `(uint64_t)${cU64(BigInt.asUintN(64, v))}`;
  const s = (v: bigint): string => `(uint64_t)${cI64(v)}`;
  const fd = (h: number): string => `(uint64_t)(int64_t)hget(fd_tab, ${h})`;
  const uffd = (h: number): string => `(uint64_t)(int64_t)hget(uffd_tab, ${h})`;
  const at = (map: number, off: bigint): string => `par_addr(${map}, ${u(off)})`;
  const o = (code: string, ...a: string[]): string => `(struct gm_par_op){ ${code}, { ${a.join(', ')} } }`;
  switch (op.kind) {
    case 'load': return { init: o('GM_PAR_LOAD', at(op.map, op.offset), '0', String(UFFD_RESOLVE[op.onUserfault]), String(op.fill)), map: op.map };
    case 'store': return { init: o('GM_PAR_STORE', at(op.map, op.offset), String(op.value), String(UFFD_RESOLVE[op.onUserfault]), String(op.fill)), map: op.map };
    case 'fallocate': return { init: o('GM_PAR_FALLOCATE', fd(op.fd), `(uint64_t)${op.mode}`, s(op.offset), s(op.len)) };
    case 'madvise': return { init: o('GM_PAR_MADVISE', at(op.map, op.offset), u(op.length), String(MADV[op.advice])), map: op.map };
    case 'mincore': return { init: o('GM_PAR_MINCORE', at(op.map, op.offset), String(op.pages)), map: op.map };
    case 'kernelAccess': return { init: o('GM_PAR_KACCESS', at(op.map, op.offset), String(op.len), op.call === 'process_vm_writev' ? '1' : '0', String(op.value)), map: op.map };
    case 'fileIo': return { init: o('GM_PAR_FILEIO', fd(op.fd), String(FILE_IO_CALL[op.call]), s(op.offset), String(op.len), String(op.value)) };
    case 'fstat': return { init: o('GM_PAR_FSTAT', fd(op.fd)) };
    case 'mbind': return { init: o('GM_PAR_MBIND', at(op.map, op.offset), u(op.length), `(uint64_t)(int64_t)${op.mode}`, String(op.nodes), String(op.flags)), map: op.map };
    case 'getMempolicy': return { init: o('GM_PAR_GETPOL', at(op.map, op.offset), String(MEMPOLICY_QUERY[op.query])), map: op.map };
    case 'uffdRegister': return { init: o('GM_PAR_UREGISTER', uffd(op.uffd), at(op.map, op.offset), u(op.length), String(op.mode)), map: op.map };
    case 'uffdResolve': return { init: o('GM_PAR_URESOLVE', uffd(op.uffd), String(UFFD_RESOLVE[op.how]), at(op.map, op.offset), u(op.length), String(op.fill)), map: op.map };
    case 'convert': return { init: o('GM_PAR_CONVERT', fd(op.fd), String(CONVERT_API[op.api]), u(op.offset), u(op.len), op.toPrivate ? '1' : '0', u(op.errorOffsetIn)) };
    default: throw new Error(`${op.kind} cannot be a branch op`);
  }
};

export const parallelRepro = (t: ParallelTrace): string => {
  const c = t.case;
  const ctx = caseContext([...c.prefix, ...c.branches.flat()]);
  const prefix = c.prefix.map((op) => ({ op, e: emitOp(op, ctx) }));
  const skip = prefix.find((x) => x.e.kind === 'skip');
  const nb = c.branches.length;
  const width = Math.max(...c.branches.map((b) => b.length));
  const expected = c.branches.map((b, k) => b.map((_op, i) => cstr(encodeOutcome(t.branches[k]![i]!.observed))));
  const build = c.branches.flatMap((b, k) => [
    `\tr->nops[${k}] = ${b.length};`,
    ...b.flatMap((op, i) => {
      const p = parOp(op);
      const fallback = emitOp(op, ctx);
      const set = `r->ops[${k}][${i}] = ${p.init};`;
      if (p.map === undefined || fallback.kind === 'skip') return [`\t/* ${ccomment(formatOp(op))} */`, `\t${set}`];
      // A dead map handle issues nothing: the runtime's convention gives the outcome, as the native target does.
      return [
        `\t/* ${ccomment(formatOp(op))} */`,
        `\tif (live_map(${p.map}) != NULL) ${set}`,
        `\telse r->ops[${k}][${i}].code = GM_PAR_NONE, snprintf(known[${k}][${i}], sizeof(known[0][0]), "%s", ${fallback.code});`,
      ];
    }),
  ]);
  const bases = c.branches.flatMap((b, k) => b.map((op, i) => {
    const m = parOp(op).map;
    return `\t\tbase[${k}][${i}] = ${m === undefined ? '0' : `live_map(${m}) != NULL ? live_map(${m})->base : 0`};`;
  }));
  const body = [
    '#ifndef ATTEMPTS',
    `#define ATTEMPTS ${REPRO_ATTEMPTS}`,
    '#endif',
    '',
    `static const char *const expected[${nb}][${width}] = {`,
    ...expected.map((row) => `\t{ ${row.join(', ')} },`),
    '};',
    '',
    `static char known[${nb}][${width}][512];`,
    '',
    '/* The branches of the case, resolved against the handles the prefix made. */',
    'static void branches(struct gm_par_run *r)',
    '{',
    `\tr->nbranches = ${nb};`,
    '\tmemset(known, 0, sizeof(known));',
    ...build,
    '\tpar_monitor_setup(r);',
    `\tr->timeout_ms = UFFD_TIMEOUT_MS;`,
    '}',
    '',
    'int main(void)',
    '{',
    `\tstatic struct gm_par_run run;`,
    `\tstatic char got[${nb}][${width}][512];`,
    `\tuint64_t base[${nb}][${width}];`,
    '\tsetup(1);',
    ...(skip !== undefined && skip.e.kind === 'skip'
      ? [`\tprintf("ok 1 parallel case # SKIP %s\\n", ${cstr(`${formatOp(skip.op)}: ${skip.e.why}`)});`, '\treturn 4;']
      : [
        '\tfor (int attempt = 1; attempt <= ATTEMPTS; attempt++) {',
        '\t\tint same = 1;',
        ...prefix.map(({ op, e }) => `\t\t${e.kind === 'call' ? e.code : '0'}; /* ${ccomment(formatOp(op))} */`),
        '\t\tbranches(&run);',
        ...bases,
        '\t\tif (gm_par_go(&run) != 0) { printf("# the branch threads could not start or stayed blocked\\nok 1 parallel case # SKIP no complete run\\n"); return 4; }',
        `\t\tfor (int b = 0; b < ${nb}; b++)`,
        '\t\t\tfor (int i = 0; i < run.nops[b]; i++) {',
        '\t\t\t\tif (run.ops[b][i].code == GM_PAR_NONE) snprintf(got[b][i], sizeof(got[b][i]), "%s", known[b][i]);',
        '\t\t\t\telse par_fmt(got[b][i], sizeof(got[b][i]), &run.ops[b][i], &run.res[b][i], base[b][i]);',
        '\t\t\t\tsame &= strcmp(got[b][i], expected[b][i]) == 0;',
        '\t\t\t}',
        '\t\treset_tables();',
        '\t\tif (!same && attempt > 1) continue;',
        `\t\tfor (int b = 0; b < ${nb}; b++)`,
        '\t\t\tfor (int i = 0; i < run.nops[b]; i++) printf("# %s branch %d op %d: observed %s (the failing run: %s)\\n", same ? "reproduced" : "attempt 1", b + 1, i + 1, got[b][i], expected[b][i]);',
        '\t\tif (same) { printf("not ok 1 parallel case: the outcomes came back at attempt %d\\n", attempt); return 1; }',
        '\t}',
        '\tprintf("ok 1 parallel case: the outcomes did not come back in %d runs\\n", ATTEMPTS);',
        '\treturn 0;',
      ]),
    '}',
  ].join('\n');
  return assembleRepro(body, [
    `gmemcheck parallel counterexample: ${nb} branches after a prefix of ${c.prefix.length} ops (${t.phase})`,
    `target ${t.target}, release ${t.release}, profile ${t.profile.name}${t.bugs.length ? `, emulator bugs ${t.bugs.join(',')}` : ''}`,
    'Runs the case until the branches observe what the failing run observed, or ATTEMPTS runs pass.',
  ], EXTRA(), 'gcc -Wall -Werror -pthread -o repro repro.c && ./repro  (KTAP; exit 1 reproduced, 0 not, 4 skip)');
};

