/**
 * The standalone C reproducer against the native target on one scenario: the ops are judged by the
 * spec under linux-6.18-nogmem step by step (the next state follows the native observation where
 * it is allowed), compiled into one program and run; every step whose C outcome differs from the
 * native one is listed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOp, isAllowed, type Op, type Outcome } from '../../../spec/vocab/index.js';
import { SPEC } from '../../../models/spec-api.js';
import { encodeOutcome } from '../../../models/report/outcome-code.js';
import { reproProgram } from '../../../models/report/repro/program.js';
import { compileAndRun } from '../cli/c-batch.js';

export const reproAgainstNative = async (name: string, ops: readonly Op[], observed: readonly Outcome[]): Promise<{ readonly diff: string[]; readonly exit: number | null }> => {
  let st = SPEC.initialState(linux618NoGmem);
  const steps = ops.map((op, i) => {
    const v = SPEC.step(linux618NoGmem, st, op);
    st = v.next(isAllowed(observed[i]!, v.allowed) ? observed[i]! : v.allowed[0]!);
    return { op, allowed: v.allowed, rules: v.rules };
  });
  const dir = mkdtempSync(path.join(tmpdir(), `gmc-${name}-`));
  const run = await compileAndRun(dir, name, reproProgram([{ name: `${name} scenario`, steps }], [`${name} on memfd`]));
  // A program of one case numbers its steps plainly.
  const c = (i: number): string | undefined => run.observed.get(`${i + 1}`);
  const diff = ops.flatMap((op, i) => (c(i) === encodeOutcome(observed[i]!) ? [] : [`${i + 1} ${formatOp(op)}: native ${encodeOutcome(observed[i]!)}, C ${c(i)}`]));
  return { diff, exit: run.exit };
};
