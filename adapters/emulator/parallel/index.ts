/** The parallel engine's entry: which split each op kind gets (./engine.ts explains the model). */
import type { Op } from '../../../spec/vocab/index.js';
import type { BranchOptions, BranchRun } from '../../../spec/vocab/target.js';
import type { Kernel } from '../kernel.js';
import { runParallel, type OpGen, type Par } from './engine.js';
import { accessTask } from './access.js';
import { atomic } from './atomic.js';
import { convertTask } from './convert.js';
import { monitorResolve, resolveTask } from './mfill.js';
import { fallocTask } from './punch.js';

const opTask = (x: Par, op: Op): OpGen => {
  switch (op.kind) {
    case 'load': case 'store': return accessTask(x, op);
    case 'fallocate': return fallocTask(x, op);
    case 'uffdResolve': return resolveTask(x, op);
    case 'convert': return convertTask(x, op);
    default: return atomic(x, op);
  }
};

export const runBranches = (k: Kernel, branches: readonly (readonly Op[])[], o: BranchOptions = {}): BranchRun =>
  runParallel(k, branches, opTask, monitorResolve, o);
