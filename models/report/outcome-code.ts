/**
 * A canonical one-line text code for outcomes. The C reproducer prints the outcome it observed in
 * exactly this form and compares it with the allowed codes the spec gave, so TypeScript and C
 * agree on equality without a JSON parser in C: integers in decimal (number and bigint alike),
 * object keys sorted, no spaces inside values.
 */
import type { Outcome, Value } from '../../spec/vocab/index.js';

export const encodeValue = (v: Value): string => {
  if (v === null) return 'null';
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(encodeValue).join(',')}]`;
  const o = v as { readonly [k: string]: Value };
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${k}:${encodeValue(o[k]!)}`).join(',')}}`;
};

const bit = (b: boolean): string => (b ? '1' : '0');

export const encodeOutcome = (o: Outcome): string => {
  switch (o.kind) {
    case 'ok': return o.value === undefined ? 'ok' : `ok ${encodeValue(o.value)}`;
    case 'errno': return o.errorOffset === undefined ? `errno ${o.errno}` : `errno ${o.errno} @${o.errorOffset}`;
    case 'signal': return `signal ${o.signal} ${o.code} ${o.offset}`;
    case 'uffd': {
      const e = o.event;
      return `uffd w${bit(e.write)}m${bit(e.minor)}p${bit(e.wp)} ${e.offset} (${encodeOutcome(o.resolve)}) (${encodeOutcome(o.access)})`;
    }
    case 'exit':
      return `exit ${o.reason}${o.gpa === undefined ? '' : ` gpa=${o.gpa}`}${o.private === undefined ? '' : ` private=${bit(o.private)}`}`;
  }
};
