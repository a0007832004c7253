/**
 * Human-readable, replayable text for ops and outcomes, used in failure messages and reports:
 * `fallocate(fd=#0, mode=KEEP_SIZE|PUNCH_HOLE, offset=0x1, len=0x1000)`. Derived from the op
 * declarations (./ops.ts): handles print as `#n`, flag words by bit name, enum-like numbers by
 * name and value, as kernel selftests do.
 */
import type { Field, TextHint } from './field.js';
import { declOf, type Op } from './ops.js';
import type { Outcome } from './outcome.js';

const bits = (table: Readonly<Record<string, number>>, v: number): string => {
  const names = Object.entries(table).filter(([, b]) => b !== 0 && (v & b) === b).map(([n]) => n);
  const rest = Object.values(table).reduce((r, b) => r & ~b, v);
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.length ? names.join('|') : '0';
};

const hinted = (h: TextHint, v: number): string => {
  if (h === 'hex') return `0x${v.toString(16)}`;
  if ('names' in h) return `${Object.entries(h.names).find(([, m]) => m === v)?.[0] ?? h.unknown}(${v})`;
  return v === 0 && h.zero !== undefined ? h.zero : bits(h.bits, v);
};

const formatField = (f: Field<unknown>, v: unknown): string => {
  if (f.type.abi === 'handle' && typeof v === 'number') return `#${v}`;
  if (f.type.abi === 'nullable') return v === null ? 'kvm' : formatField(f.type.inner, v);
  if (f.text !== undefined && typeof v === 'number') return hinted(f.text, v);
  return formatScalar(v);
};

export const formatScalar = (v: unknown): string => {
  if (typeof v === 'bigint') return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
  if (Array.isArray(v)) return `[${v.map(formatScalar).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v).map(([k, x]) => `${k}:${formatScalar(x)}`).join(', ')}}`;
  }
  return String(v);
};

export const formatOp = (op: Op): string => {
  const fields = declOf(op.kind).fields;
  const args = Object.entries(fields).map(([k, f]) => `${k}=${formatField(f, (op as Readonly<Record<string, unknown>>)[k])}`);
  return `${op.kind}(${args.join(', ')})`;
};

export const formatOutcome = (o: Outcome): string => {
  switch (o.kind) {
    case 'ok': return o.value === undefined ? 'ok' : `ok ${formatScalar(o.value)}`;
    case 'errno': return `errno ${o.errno}${o.errorOffset !== undefined ? ` (error_offset ${formatScalar(o.errorOffset)})` : ''}`;
    case 'signal': return `${o.signal}/${o.code} at map offset ${formatScalar(o.offset)}`;
    case 'uffd': {
      const e = o.event;
      const flags = [e.write && 'WRITE', e.minor && 'MINOR', e.wp && 'WP'].filter(Boolean).join('|') || 'READ';
      return `userfault ${flags} at ${formatScalar(e.offset)}; resolve → ${formatOutcome(o.resolve)}; access → ${formatOutcome(o.access)}`;
    }
    case 'exit': return `KVM exit ${o.reason}${o.gpa !== undefined ? ` gpa=${formatScalar(o.gpa)}` : ''}${o.private ? ' private' : ''}`;
  }
};

export const formatAllowed = (allowed: readonly Outcome[]): string =>
  allowed.length === 1 ? formatOutcome(allowed[0]!) : `one of { ${allowed.map(formatOutcome).join(' | ')} }`;
