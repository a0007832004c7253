/**
 * How an op renders as C: a call of the reproducer runtime's `op_<kind>` function
 * (models/report/repro/runtime.c), its arguments in the order of the op's declared fields
 * (./ops.ts). A field's ABI type decides its C literal; a variant (a memslot's userspace_addr or
 * guest_memfd) becomes the index of its kind followed by every field any variant has.
 */
import type { Field, Fields } from './field.js';
import { declOf, type Op, type OpKind } from './ops.js';

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The runtime function an op kind calls. */
export const cFunction = (kind: OpKind): string => `op_${snake(kind)}`;

/** An unsigned 64-bit literal. */
export const cU64 = (v: bigint): string => `0x${v.toString(16)}${v >= 1n << 63n ? 'ULL' : ''}`;

/** A signed 64-bit literal (negative ones with LL, so that -0x80000000 is not an unsigned int). */
export const cI64 = (v: bigint): string =>
  v === -(1n << 63n) ? 'INT64_MIN' : v < 0n ? `-0x${(-v).toString(16)}LL` : `0x${v.toString(16)}`;

const comment = (s: string): string => ` /* ${s.replace(/\*\//g, '* /')} */`;

const bitsText = (f: Field<unknown>, v: number): string | undefined => {
  const h = f.text;
  if (h === undefined || h === 'hex' || v === 0) return undefined;
  if ('names' in h) return Object.entries(h.names).find(([, n]) => n === v)?.[0];
  const names = Object.entries(h.bits).filter(([, b]) => b !== 0 && (v & b) === b).map(([n]) => n);
  return names.length ? names.join('|') : undefined;
};

/** Every field any variant has, in first-seen order: the C arguments after the kind index. */
const variantFields = (variants: Readonly<Record<string, Fields>>): [string, Field<unknown>][] => {
  const out = new Map<string, Field<unknown>>();
  for (const fs of Object.values(variants)) for (const [k, f] of Object.entries(fs)) if (!out.has(k)) out.set(k, f);
  return [...out];
};

const arg = (f: Field<unknown>, v: unknown): string => {
  const t = f.type;
  switch (t.abi) {
    case 'handle': return String(v);
    case 'nullable': return v === null ? '-1' : arg(t.inner, v);
    case 'u64': return cU64(v as bigint);
    case 'i64': return cI64(v as bigint);
    case 'int': case 'u32': {
      const n = v as number;
      const name = bitsText(f, n);
      return (f.text === 'hex' ? `0x${n.toString(16)}` : String(n)) + (name ? comment(name) : '');
    }
    case 'byte': case 'count': return String(v);
    case 'bool': return v ? '1' : '0';
    case 'enum': return `${t.values[v as string]}${comment(v as string)}`;
    case 'words': {
      const ws = v as readonly bigint[];
      return ws.length === 0 ? 'NULL, 0' : `(const uint64_t[]){ ${ws.map(cU64).join(', ')} }, ${ws.length}`;
    }
    case 'variant': {
      const o = v as Readonly<Record<string, unknown>>;
      const kinds = Object.keys(t.variants);
      const own = t.variants[o['kind'] as string]!;
      const rest = variantFields(t.variants).map(([k, vf]) =>
        Object.hasOwn(own, k) ? arg(vf, o[k]) : vf.type.abi === 'handle' ? '-1' : '0');
      return [String(kinds.indexOf(o['kind'] as string)), ...rest].join(', ');
    }
  }
};

/** The C arguments of an op, in declaration order. */
export const cArgs = (op: Op): string => {
  const rec = op as Readonly<Record<string, unknown>>;
  return Object.entries(declOf(op.kind).fields).map(([k, f]) => arg(f, rec[k])).join(', ');
};

/** `op_fallocate(0, 3 /* KEEP_SIZE|PUNCH_HOLE *\/, 0x0, 0x1000)`; `name` overrides the function (a runtime variant). */
export const cCall = (op: Op, name: string = cFunction(op.kind)): string => `${name}(${cArgs(op)})`;
