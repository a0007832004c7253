/**
 * A parallel case (eqc's parallel_commands): a sequential prefix, then 2–3 branches of at most 4
 * ops each that run concurrently. Every op is a vocabulary op; a branch op creates and destroys
 * nothing (the prefix makes every file, mapping and uffd the branches use), and touches at most
 * one page. Why one page: the kernel gives no atomicity across pages for most ranged ops — a
 * guest_memfd punch walks its folios one by one while host faults go on (kvm_gmem_punch_hole does
 * not stop faults), GUP and mincore walk page by page, mprotect changes PTEs one at a time — so a
 * multi-page op in a branch could be correct and still not linearizable. Conversion and mbind
 * are the exceptions: they hold a lock every conflicting op also takes (the invalidate lock, the
 * mmap lock) across their whole range, so they may cover a few pages.
 */
import { opCheck, type Op } from '../../spec/vocab/index.js';
import { branchOpProblem } from '../../spec/vocab/branch.js';
import { MAX_BRANCHES, MAX_BRANCH_OPS } from '../../spec/vocab/target.js';

export { BRANCH_KINDS, branchOpProblem, MAX_WIDE_PAGES } from '../../spec/vocab/branch.js';
export { MAX_BRANCHES, MAX_BRANCH_OPS } from '../../spec/vocab/target.js';

export interface ParallelCase {
  readonly prefix: readonly Op[];
  readonly branches: readonly (readonly Op[])[];
}

/** Longest prefix accepted from outside (tokens, traces). */
export const MAX_PREFIX_OPS = 200;

/**
 * The boundary check of a case from outside (token, trace, agent): every op passes the op check,
 * the shape is within bounds and every branch op may be one. Returns the problem, or undefined.
 */
export const caseProblem = (c: unknown): string | undefined => {
  if (typeof c !== 'object' || c === null) return 'a parallel case is an object { prefix, branches }';
  const { prefix, branches } = c as { prefix?: unknown; branches?: unknown };
  if (!Array.isArray(prefix) || prefix.length > MAX_PREFIX_OPS) return `prefix must be a list of at most ${MAX_PREFIX_OPS} ops`;
  if (!Array.isArray(branches) || branches.length < 1 || branches.length > MAX_BRANCHES) return `branches must be a list of 1 to ${MAX_BRANCHES} branches`;
  for (let i = 0; i < prefix.length; i++) {
    const e = opCheck(prefix[i], `prefix[${i}]`);
    if (e !== undefined) return e;
  }
  for (let b = 0; b < branches.length; b++) {
    const br: unknown = branches[b];
    if (!Array.isArray(br) || br.length < 1 || br.length > MAX_BRANCH_OPS) return `branches[${b}] must hold 1 to ${MAX_BRANCH_OPS} ops`;
    for (let i = 0; i < br.length; i++) {
      const e = opCheck(br[i], `branches[${b}][${i}]`) ?? branchOpProblem(br[i] as Op);
      if (e !== undefined) return `branches[${b}][${i}]: ${e}`;
    }
  }
  return undefined;
};

/**
 * The file the branches race on: the prologue creates one guest_memfd, or a memfd where the target
 * has none (models/parallel/generate.ts). Runs report how many cases each backing had, so a kernel
 * without guest_memfd never passes for one that raced it.
 */
export type Backing = 'guest_memfd' | 'memfd';
export const BACKINGS: readonly Backing[] = ['memfd', 'guest_memfd'];
export const caseBacking = (c: ParallelCase): Backing => (c.prefix.some((op) => op.kind === 'createGmem') ? 'guest_memfd' : 'memfd');

export const caseOps = (c: ParallelCase): number => c.prefix.length + c.branches.reduce((n, b) => n + b.length, 0);
