/** copy_file_range between two fds of the sequence (row B24; spec/vocab/ops-convcopy.ts): handles looked up, the raw answer an Outcome. */
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Ctx } from './context.js';
import { fromRc } from './outcomes.js';
import { harness } from './ops-fd.js';

export const copyRange = (c: Ctx, op: OpOf<'copyRange'>): Outcome =>
  fromRc(harness(c.b.copyRange(c.t.fd(op.src), c.t.fd(op.dst), op.srcOff, op.dstOff, BigInt(op.len), op.flags), 'copyRange'), (count) => ({ count }));
