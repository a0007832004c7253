/**
 * Parses KTAP with tap-parser. tap-parser reads TAP14 subtests (4-space indent), not KTAP's
 * 2-space nested tests, so each nested block is cut out, de-indented and parsed on its own:
 * every level must be valid TAP, and the nesting is checked by hand (version line, plan, the
 * parent's result line right after the block).
 */
import { Parser, type FinalResults as Result } from 'tap-parser';

export interface ParsedKtap {
  readonly top: Result;
  readonly topAsserts: readonly { id: number; name: string; ok: boolean; skip: string | boolean }[];
  readonly children: readonly { readonly result: Result; readonly lines: readonly string[] }[];
}

const parseTap = (text: string) => {
  const asserts: { id: number; name: string; ok: boolean; skip: string | boolean }[] = [];
  let result: Result | undefined;
  const p = new Parser((r) => { result = r; });
  p.on('assert', (a: { id: number; name: string; ok: boolean; skip: string | boolean }) => asserts.push({ id: a.id, name: a.name, ok: a.ok, skip: a.skip }));
  p.end(`${text}\n`);
  if (result === undefined) throw new Error('tap-parser did not complete');
  return { result, asserts };
};

export const parseKtap = (text: string): ParsedKtap => {
  const lines = text.split('\n');
  const top: string[] = [];
  const children: { result: Result; lines: string[] }[] = [];
  let block: string[] | undefined;
  for (const l of lines) {
    if (l.startsWith('  ')) {
      (block ??= []).push(l.slice(2));
      continue;
    }
    if (block !== undefined) {
      if (!/^(not )?ok \d+/.test(l)) throw new Error(`a nested block must be followed by its parent's result line, got: ${l}`);
      if (block[0] !== 'KTAP version 1' || !/^1\.\.\d+$/.test(block[1] ?? '')) throw new Error('a nested block must open with a version line and a plan');
      children.push({ result: parseTap(block.join('\n')).result, lines: block });
      block = undefined;
    }
    top.push(l);
  }
  const t = parseTap(top.join('\n'));
  return { top: t.result, topAsserts: t.asserts, children };
};
