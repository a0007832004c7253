/**
 * Docs that cannot drift (issue 14): every command example of README.md and docs/ (extracted as
 * ./extract.ts says) is run here on the emulator, or skipped with the reason it needs more (a
 * kernel with guest_memfd, the VM of issue 11, another machine, minutes of benchmark), and the
 * output the documentation shows for it must be what the command prints now: every shown line
 * appears in the real output (after masking times, temporary paths and timestamps; a line `…`
 * stands for lines left out). Help texts shown in the docs are the commands' own help.
 *
 * A `gmemcheck` example runs as written, in-process, with its results, --out and --write-expect
 * files redirected to a temporary directory; anything else needs an entry in SPECIAL below.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { memoryIo } from '../../../cli/io.js';
import { HELP, type CommandName } from '../../../cli/usage.js';
import { parseBaseline } from '../../../cli/run/expect.js';
import { ROOT } from '../cli/run-cli.js';
import { docFiles, parseDoc, shellWords, type Example } from './extract.js';

/** What a README reader runs first: the planted-bug example whose report README.md quotes. */
const README_RUN = 'gmemcheck run --target emulator --bugs punch-no-zero --domain fileops --seed 2 --runs 500';
const NEEDS_GMEM = 'needs a kernel with guest_memfd (this host\'s has none: KVM_CAP_GUEST_MEMFD = 0); in the VM of issue 11 it runs as `gmemcheck vm -- …`';
const SUITE = 'runs the vitest suite itself, which is what npm test (and so CI: .ci/run) runs';
const NEEDS_VM = 'boots a kernel under QEMU (a download, then minutes under TCG): npm run test:vm runs these (test/vm/), npm test never does';
/** `gmemcheck vm …` examples and `npm run test:vm`: never run by npm test (it stays hermetic: no QEMU, no download). */
const VM_EXAMPLE = /(^|\s)(npx )?gmemcheck vm\b|^npm run test:vm$/;

interface Special {
  /** Skipped, with the reason. */
  readonly skip?: string;
  /** The gmemcheck arguments to run instead (placeholders filled in, a prefix like `npm ci &&` dropped). */
  readonly args?: (c: Ctx) => string[];
  /** Accepted exit codes (default 0 or 1: a conformance failure is an answer too). */
  readonly exit?: readonly number[];
  /** Runs something else than gmemcheck; throws when it fails. */
  readonly check?: (c: Ctx) => void;
}

interface Ctx {
  readonly tmp: string;
  /** The README run's shrunk failure folder and its token. */
  readonly readme: { readonly folder: string; readonly token: string; readonly report: string };
}

const SPECIAL: Readonly<Record<string, Special>> = {
  'npm ci && npx gmemcheck run': { args: () => ['run'] },
  'npm ci && npm test': { skip: SUITE },
  'npm run bench': { skip: 'a benchmark (minutes); test/unit/cli/noise.test.ts checks where it writes' },
  'npm run mutants -- 10000 1-5': { skip: 'minutes of mutation testing; test/unit/cli/noise.test.ts runs a small one' },
  'node adapters/native/soak.mjs 200000': { skip: NEEDS_GMEM },
  'GMEMCHECK_EMULATOR_BUGS=punch-no-zero npx vitest run --project emulator': { skip: SUITE },
  'npx vitest run --reporter=junit --outputFile=junit.xml': { skip: SUITE },
  'npx vitest run --reporter=default --reporter=junit --outputFile.junit=junit.xml': { skip: SUITE },
  'gmemcheck run --target native --profile upstream --time 60 --expect baselines/linux-6.18-under-upstream.json': { skip: NEEDS_GMEM },
  'gmemcheck diff --a native --b native:upstream': { skip: NEEDS_GMEM },
  'gmemcheck diff --a native --b emulator --mix memslot,creation --runs 200': { skip: NEEDS_GMEM },
  'gmemcheck diff --variant P-POL-SCOPE --base native --mix mempolicy --runs 1500': { skip: NEEDS_GMEM },
  'gmemcheck replay gmc1.TOKEN': { args: (c) => ['replay', c.readme.token], exit: [1] },
  'gmemcheck report --results DIR': { args: (c) => ['report', '--results', path.dirname(c.readme.folder), '--out', path.join(c.tmp, 'from-run.html')], exit: [1] },
  'npx tsx scripts/gen-uapi-h.ts': { skip: 'rewrites adapters/native/src/gm_uapi.h; test/unit/meta/uapi-header.test.ts fails while it is stale' },
  'npx tsx scripts/gen-native-glue.ts': { skip: 'rewrites the addon glue generated from gm_sys.c; test/unit/meta/native-glue.test.ts fails while it is stale' },
  'npx tsx scripts/gen-rules-doc.ts': { skip: 'rewrites docs/rules.md; test/unit/meta/catalogue.test.ts fails while it is stale' },
  'npx tsx scripts/gen-rules-doc.ts && npx tsx scripts/gen-uapi-h.ts && npx tsx scripts/gen-native-glue.ts': { skip: 'rewrites generated files; their tests fail while they are stale' },
  'npx tsc --noEmit -p .': { skip: 'the type check of the whole project (npm run typecheck); a minute of tsc, not a behaviour of gmemcheck' },
  'npx vitest run test/unit/native/boundary.test.ts test/unit/spec/validate.test.ts': { skip: SUITE },
  'npx vitest run': { skip: SUITE },
  'npm run build:native': { skip: 'rebuilds the native addon (g++, about 15 s); test/unit/cli/contract.test.ts checks when npm\'s install step builds it' },
  'npm run docs': { check: () => { const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-doc-counts.ts', '--check'], { cwd: ROOT, encoding: 'utf8' }); expect(r.status, r.stdout + r.stderr).toBe(0); } },
  'gmemcheck replay gmc1.TOKEN --target native': { skip: NEEDS_GMEM },
  'gmemcheck run --target native --domain parallel --runs 100000 --seed 2026': { skip: 'half an hour of native parallel cases (the run docs/parallel.md quotes); test/unit/cli/parallel-run.test.ts runs 20' },
  'gmemcheck vm -- run --domain parallel': { skip: 'boots the VM of issue 11 (QEMU, Debian\'s 7.2 kernel): minutes, and a kernel image to fetch' },
  'gmemcheck replay gmemcheck-results/FOLDER/shrunk/trace.json': { args: (c) => ['replay', path.join(c.readme.folder, 'shrunk/trace.json')], exit: [1] },
  // The finding's reproducer hangs by design where the kernel has the bug, so only its build is checked.
  'gcc -Wall -o g findings/guard-install-over-uffd-wp.c && timeout -s KILL 8 ./g; echo $?': {
    check: (c) => {
      const cc = spawnSync('gcc', ['-Wall', '-Werror', '-o', path.join(c.tmp, 'g'), path.join(ROOT, 'docs/findings/guard-install-over-uffd-wp.c')], { encoding: 'utf8' });
      expect(cc.status, cc.stderr).toBe(0);
    },
  },
  'gcc -Wall -Werror -o repro repro.c && ./repro': {
    check: (c) => {
      const exe = path.join(c.tmp, 'repro');
      const cc = spawnSync('gcc', ['-Wall', '-Werror', '-o', exe, path.join(c.readme.folder, 'shrunk/repro.c')], { encoding: 'utf8' });
      expect(cc.status, cc.stderr).toBe(0);
      // The planted bug lives in the emulator: the program runs the ops on this kernel, which has
      // no guest_memfd (ENOTTY at the create): it reports a skip or a failure, never a crash.
      const r = spawnSync(exe, [], { encoding: 'utf8', timeout: 30_000 });
      expect([0, 1, 4]).toContain(r.status);
      expect(r.stdout).toMatch(/^KTAP version 1$/m);
    },
  },
};

/** Masks what differs from run to run: times, temporary result paths, folder timestamps. */
const norm = (l: string): string => l
  .replace(/\d+(\.\d+)?s\b/g, 'Ns')
  // An --out file the test moved to its temporary directory is named as the documentation gave it.
  .replace(/(wrote )\S*gmc-docs-\w+\//, '$1')
  .replace(/\S*gmc-docs-\w+\/(results\/)?/g, 'RESULTS/')
  .replace(/(^|[\s(])gmemcheck-results\//g, '$1RESULTS/')
  .replace(/\d{8}T\d{6}Z/g, 'STAMP')
  .trimEnd();

const runGmemcheck = async (args: readonly string[], env: Record<string, string>): Promise<{ code: number; out: string }> => {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const io = memoryIo();
  try {
    const code = await main(args, io);
    return { code, out: [...io.stdout, ...io.stderr].join('\n') };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
};

/** A documented gmemcheck command as it would run here: results and output files in `tmp`. */
const redirect = (words: readonly string[], tmp: string): string[] => {
  const out = [...words];
  const to = (flag: string, mk: (v: string) => string) => {
    const i = out.indexOf(flag);
    if (i >= 0 && out[i + 1] !== undefined) out[i + 1] = mk(out[i + 1]!);
  };
  to('--out', (v) => path.join(tmp, path.basename(v)));
  to('--write-expect', (v) => path.join(tmp, path.basename(v)));
  to('--results', () => path.join(tmp, 'results'));
  if ((out[0] === 'run') && !out.includes('--results')) out.push('--results', path.join(tmp, 'results'));
  return out;
};

const special = (command: string): Special | undefined => SPECIAL[command] ?? (VM_EXAMPLE.test(command) ? { skip: NEEDS_VM } : undefined);

const examples: Example[] = docFiles(ROOT).flatMap((f) => parseDoc(ROOT, f).examples)
  // A span that only names a command (`gmemcheck run`, `npm test`) is a reference, not an example.
  .filter((e) => e.command.split(/\s+/).length > 2);
const uniqueCommands = [...new Set(examples.map((e) => e.command))];

let ctx: Ctx;
beforeAll(async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'gmc-docs-'));
  const results = path.join(tmp, 'results');
  const r = await runGmemcheck([...shellWords(README_RUN).words.slice(1), '--results', results], {});
  expect(r.code).toBe(1);
  const folder = path.join(results, readdirSync(results).find((n) => !n.endsWith('.json'))!);
  const report = readFileSync(path.join(folder, 'shrunk/report.md'), 'utf8');
  const token = /gmemcheck replay (gmc1\.\S+)/.exec(report)![1]!;
  ctx = { tmp, readme: { folder, token, report } };
}, 60_000);

describe('every command example of README.md and docs/', () => {
  it('is one gmemcheck runs as written, or has its entry in SPECIAL; SPECIAL names no example the docs lost', () => {
    const unknown = uniqueCommands.filter((c) => special(c) === undefined && !/^(npx )?gmemcheck /.test(c));
    expect(unknown, 'examples that need an entry in SPECIAL').toEqual([]);
    const stale = Object.keys(SPECIAL).filter((c) => !uniqueCommands.includes(c));
    expect(stale, 'SPECIAL entries no documentation has').toEqual([]);
  });
  it('the research notes hold no commands (so nothing escapes this test there)', () => {
    for (const f of readdirSync(path.join(ROOT, 'docs')).filter((n) => n.startsWith('kernel-surface'))) {
      expect(parseDoc(ROOT, `docs/${f}`).examples.filter((e) => e.command.split(/\s+/).length > 2)).toEqual([]);
    }
  });

  it.for(uniqueCommands)('%s', { timeout: 120_000 }, async (command, tc) => {
    const s = special(command);
    const where = examples.filter((e) => e.command === command);
    if (s?.skip !== undefined) return tc.skip(s.skip);
    if (s?.check !== undefined) return s.check(ctx);
    const { env, words } = shellWords(command);
    const args = s?.args?.(ctx) ?? redirect(words[0] === 'npx' ? words.slice(2) : words.slice(1), ctx.tmp);
    const r = await runGmemcheck(redirect(args, ctx.tmp), env);
    expect(s?.exit ?? [0, 1], `${command} exited ${r.code}:\n${r.out}`).toContain(r.code);
    const actual = new Set(r.out.split('\n').map(norm));
    for (const e of where) {
      const missing = e.shown.filter((l) => l.trim() !== '' && l.trim() !== '…').map(norm).filter((l) => !actual.has(l));
      expect(missing, `${e.file}:${e.line}: shown lines the command no longer prints`).toEqual([]);
    }
  });
});

describe('output the docs quote', () => {
  it('README.md\'s report.md is what the README run writes (every quoted line, timestamps masked)', () => {
    const q = parseDoc(ROOT, 'README.md').quotes.find((x) => x.lines[0]?.startsWith('# gmemcheck:'));
    expect(q).toBeDefined();
    const actual = new Set(ctx.readme.report.split('\n').map(norm));
    const missing = q!.lines.map(norm).filter((l) => l !== '' && !actual.has(l));
    expect(missing).toEqual([]);
  });
});

describe('help texts and formats the docs show', () => {
  const blocks = docFiles(ROOT).flatMap((f) => parseDoc(ROOT, f).blocks);
  it('a usage block is the command\'s own --help', () => {
    const usages = blocks.filter((b) => b.lines[0]?.startsWith('usage: gmemcheck '));
    expect(usages.length).toBeGreaterThan(0);
    for (const b of usages) {
      const name = /^usage: gmemcheck (\w+)/.exec(b.lines[0]!)![1] as CommandName;
      expect(b.lines.join('\n'), `${b.file}:${b.line}`).toBe(HELP[name].usage);
    }
  });
  it('a baseline shown in the docs is one run --expect accepts, and the shipped one is too', () => {
    const json = blocks.filter((b) => b.lang === 'json' && b.lines.join('\n').includes('gmemcheck-expect/1'));
    expect(json.length).toBeGreaterThan(0);
    for (const b of json) parseBaseline(b.lines.join('\n'), `${b.file}:${b.line}`);
    expect(existsSync(path.join(ROOT, 'baselines/linux-6.18-under-upstream.json'))).toBe(true);
  });
});
