/**
 * Defence in depth at NativeTarget.apply (issue 12). The op's own validation — every field, its
 * type and its bounds, per kind — happens once at the boundary every op crosses before it gets
 * here (spec/vocab's per-op declaration, issue 13). This guard only makes sure that whatever
 * reaches the native target is plain data each of whose values a C argument can carry, so that the
 * TS glue cannot turn a hostile value into a different valid one: bigints within the 64 bits the
 * kernel receives ([-2^63, 2^64): either reading of a u64/loff_t), numbers that are safe integers,
 * short strings (enum names), and arrays no longer than any array of the ABI (the 6 reserved words
 * of kvm_create_guest_memfd). The addon re-checks each argument's exact C type.
 */
import { BadOpError } from '../../errors.js';

const MIN = -(1n << 63n);
const LIMIT = 1n << 64n;
/** The longest array of the ABI: kvm_create_guest_memfd.reserved[6] (include/uapi/linux/kvm.h). */
export const MAX_OP_ARRAY = 6;
const MAX_DEPTH = 3;
const MAX_STRING = 64;

const bad = (path: string, why: string): never => {
  throw new BadOpError(`${path}: ${why}; the native target cannot pass it to the kernel`);
};

const check = (v: unknown, path: string, depth: number): void => {
  switch (typeof v) {
    case 'bigint':
      if (v < MIN || v >= LIMIT) bad(path, `${v} does not fit the 64 bits the kernel receives`);
      return;
    case 'number':
      if (!Number.isSafeInteger(v)) bad(path, `${v} is not a safe integer`);
      return;
    case 'string':
      if (v.length > MAX_STRING) bad(path, `a string of ${v.length} characters`);
      return;
    case 'boolean':
      return;
    case 'object': {
      if (v === null) return;
      if (depth >= MAX_DEPTH) bad(path, 'nested too deep');
      if (Array.isArray(v)) {
        if (v.length > MAX_OP_ARRAY) bad(path, `an array of ${v.length} elements (at most ${MAX_OP_ARRAY})`);
        v.forEach((x, i) => check(x, `${path}[${i}]`, depth + 1));
        return;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) bad(path, 'not a plain object');
      for (const [k, x] of Object.entries(v)) check(x, `${path}.${k}`, depth + 1);
      return;
    }
    default:
      bad(path, `a value of type ${typeof v}`);
  }
};

/** Throws BadOpError unless `op` is a plain object with a string kind and only carriable values. */
export const assertOpFields = (op: unknown): void => {
  if (typeof op !== 'object' || op === null || typeof (op as { kind?: unknown }).kind !== 'string') {
    bad('op', 'not an object with a kind');
  }
  check(op, 'op', 0);
};
