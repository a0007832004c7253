/**
 * The executable spec: initialState, step, view, and the rule registry. Pure: no I/O, no
 * randomness, no module-level mutable state. See spec/README.md for the layout and conventions.
 */
import type { Profile } from './vocab/index.js';
import type { SpecState } from './state/types.js';
import { emptyState } from './state/init.js';

export { step } from './step.js';
export { view } from './state/view.js';
export { splitOp } from './split.js';
export type { SplitPoint } from './mmap/access-split.js';
export { ALL_RULES, type RuleEntry } from './registry.js';
export type { SpecState } from './state/types.js';
export type { Verdict, StateView, FileView, PageRun, RuleId } from './verdict.js';

/** The state before any op: no VMs, files, mappings or uffds; the task has the default policy. */
export const initialState = (profile: Profile): SpecState => {
  void profile; // the empty state is the same under every profile
  return emptyState;
};
