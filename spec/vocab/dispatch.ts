/**
 * The one way the op union is dispatched (spec, emulator, native target): a frozen table from op
 * kind to handler, built once at load by an exhaustive ts-pattern match over the kinds. Each arm
 * names a module whose exports, keyed by op kind, are that module's handlers (`handledBy`), so
 * the match proves at compile time that every kind has a handler (a kind no module exports is a
 * NonExhaustiveError type error) and the modules stay the single place a handler is written.
 * Matching once per kind rather than once per op matters: a 32-arm match per op was measured at
 * 2–6 µs, more than most of the syscalls the native target issues; the table costs a lookup.
 */
import { OP_KINDS, type OpKind } from './ops.js';

/** A type guard for one arm: is this op kind one of the module's exported handlers? */
export const handledBy = <M extends object>(handlers: M) =>
  (kind: OpKind): kind is Extract<keyof M, OpKind> => Object.prototype.hasOwnProperty.call(handlers, kind);

/** Evaluates `pick` (an exhaustive match over the kinds) once per kind into a frozen table. */
export const kindTable = <V>(pick: (kind: OpKind) => V): Readonly<Record<OpKind, V>> =>
  Object.freeze(Object.fromEntries(OP_KINDS.map((k) => [k, pick(k)])) as Record<OpKind, V>);
