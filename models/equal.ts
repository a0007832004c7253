/** Deep equality of outcome values (bigint-aware, key-order-insensitive). */
import type { Outcome, Value } from '../spec/vocab/index.js';

export const valueEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => valueEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
};

export const outcomeEqual = (a: Outcome, b: Outcome): boolean => valueEqual(a, b);

export const isAllowed = (observed: Outcome, allowed: readonly Outcome[]): boolean =>
  allowed.some((o) => outcomeEqual(o, observed));

export type { Value };
