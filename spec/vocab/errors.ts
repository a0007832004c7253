/**
 * Harness failures, as opposed to kernel outcomes. A conformance verdict is never derived from
 * one of these: the runner reports them as infrastructure errors.
 */
export class HarnessError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
/** The target could not carry out an op at all (addon missing, resource limit, internal bug). */
export class TargetBrokenError extends HarnessError {}
/** An op did not finish within its time limit (e.g. a userfault nobody resolved). */
export class TargetTimeoutError extends HarnessError {}
/** The remote agent is gone or the connection dropped. */
export class AgentUnreachableError extends HarnessError {}
/** A malformed op the target cannot issue: a handle the sequence never created, or (InvalidOpError) a failed boundary check. A generator, trace or caller bug, never a kernel answer. */
export class BadOpError extends HarnessError {}
/**
 * An op failed the boundary check (spec/vocab/validate.ts) and was not issued: a wrong type, a
 * value its C type cannot carry, an unknown kind or field. The message names op, field and range.
 */
export class InvalidOpError extends BadOpError {}
/** An op would pass a resource limit of the target (objects, bytes populated): refused before it ran. */
export class TargetLimitError extends HarnessError {}
/**
 * An op needs free address space next to a mapping (spanRange: the pages right after it) and the
 * kernel put the mapping where that space is taken: the op was not run. The sequence ends there,
 * counted as ended early; nothing after it is judged.
 */
export class TargetPlacementError extends TargetLimitError {}
