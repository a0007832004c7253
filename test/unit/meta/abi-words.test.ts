/**
 * Every 64-bit word is a bigint end to end (issue 15): the declarations agree with the kernel's C
 * types (spec/vocab/abi-words.ts), bit tests on those words with JS numbers do not compile (a
 * fixture compiled here with the TypeScript compiler), and no code converts such a word to a
 * number and then tests its bits.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ABI_WORDS, WIDTH, type KernelWord } from '../../../spec/vocab/abi-words.js';
import { OP_KINDS, declOf, type OpKind } from '../../../spec/vocab/index.js';
import type { Field, Fields } from '../../../spec/vocab/field.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const NUMERIC = new Set(['int', 'u32', 'u64', 'i64']);

/** Every numeric field of a declaration, a variant's fields as `field.name`. */
const numericFields = (fields: Fields, prefix = ''): [string, Field<unknown>][] =>
  Object.entries(fields).flatMap(([k, f]): [string, Field<unknown>][] => {
    if (f.type.abi === 'variant') {
      const seen = new Map<string, Field<unknown>>();
      for (const v of Object.values(f.type.variants)) for (const [n, g] of numericFields(v, `${prefix}${k}.`)) seen.set(n, g);
      return [...seen];
    }
    if (f.type.abi === 'nullable') return NUMERIC.has(f.type.inner.type.abi) ? [[`${prefix}${k}`, f.type.inner]] : [];
    return NUMERIC.has(f.type.abi) ? [[`${prefix}${k}`, f]] : [];
  });

const tsFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return f.endsWith('.ts') ? [p] : [];
  });

describe('64-bit words are bigints end to end', () => {
  it('every numeric field has the kernel C type it is passed as, and the declared width matches it', () => {
    const problems: string[] = [];
    for (const kind of OP_KINDS) {
      const table: Readonly<Record<string, KernelWord>> = ABI_WORDS[kind as OpKind] ?? {};
      const fields = numericFields(declOf(kind).fields);
      for (const [name, f] of fields) {
        const c = table[name];
        if (c === undefined) { problems.push(`${kind}.${name}: no entry in spec/vocab/abi-words.ts`); continue; }
        const wide = f.type.abi === 'u64' || f.type.abi === 'i64';
        if ((WIDTH[c] === 64) !== wide) problems.push(`${kind}.${name}: the kernel takes a ${c} (${WIDTH[c]} bits), declared ${f.type.abi}`);
      }
      for (const name of Object.keys(table)) if (!fields.some(([n]) => n === name)) problems.push(`${kind}.${name}: listed but not a numeric field`);
    }
    expect(problems).toEqual([]);
  });

  it('a bit test of a 64-bit word with a JS number does not compile', () => {
    const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const file = join(ROOT, 'test/unit/meta/fixtures/words64.ts');
    const program = ts.createProgram([file], { ...options, noEmit: true });
    const diags = ts.getPreEmitDiagnostics(program).map((d) =>
      `${d.file ? relative(ROOT, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    // An unused @ts-expect-error (a word declared as a number again) is itself a diagnostic.
    expect(diags).toEqual([]);
  }, 60_000);

  it('no code turns a 64-bit word of an op into a number and then tests its bits', () => {
    const wide = new Set(OP_KINDS.flatMap((k) => Object.entries(ABI_WORDS[k] ?? {}).filter(([, c]) => WIDTH[c] === 64).map(([f]) => f.split('.').at(-1)!)));
    // Number(<x>.<word>) followed on the same line by a bitwise operator (not && or ||).
    const bad: string[] = [];
    for (const dir of ['spec', 'adapters', 'models', 'cli']) {
      for (const file of tsFiles(join(ROOT, dir))) {
        readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
          for (const m of line.matchAll(/Number\(\s*[\w.]*\.(\w+)\s*\)/g)) {
            const rest = line.slice((m.index ?? 0) + m[0].length);
            if (wide.has(m[1]!) && /(^|[^&|])(&|\||\^|<<|>>)(?![&|=])/.test(rest)) bad.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
          }
        });
      }
    }
    expect(bad).toEqual([]);
  });
});
