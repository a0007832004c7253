/**
 * Human-readable, replayable text for ops and outcomes, used in failure messages and reports:
 * `fallocate(fd=#0, mode=KEEP_SIZE|PUNCH_HOLE, offset=0x1, len=0x1000)`. Enum-like numbers are
 * printed by name and value, as kernel selftests do.
 */
import type { Op, Outcome } from '../spec/vocab/index.js';
import { FALLOC, MEM, MPOL, PROT, UFFD_MODE } from '../spec/vocab/index.js';

const HANDLE_KEYS = new Set(['vm', 'fd', 'map', 'uffd', 'other', 'id']);

const bits = (table: Readonly<Record<string, number>>, v: number): string => {
  const names = Object.entries(table).filter(([, b]) => b !== 0 && (v & b) === b).map(([n]) => n);
  const rest = Object.values(table).reduce((r, b) => r & ~b, v);
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.length ? names.join('|') : '0';
};

const FIELD_FORMAT: Readonly<Record<string, (op: Op, v: number) => string>> = {
  mode: (op, v) =>
    op.kind === 'fallocate' ? bits(FALLOC, v)
      : op.kind === 'uffdRegister' ? bits(UFFD_MODE, v)
        : op.kind === 'mbind' || op.kind === 'setMempolicy'
          ? `${Object.entries(MPOL).find(([, m]) => m === v)?.[0] ?? 'MPOL?'}(${v})` : String(v),
  prot: (_op, v) => (v === 0 ? 'NONE' : bits(PROT, v)),
  flags: (op, v) => (op.kind === 'setMemoryRegion' ? bits(MEM, v) : `0x${v.toString(16)}`),
  nodes: (_op, v) => `0x${v.toString(16)}`,
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
  const args = Object.entries(op)
    .filter(([k]) => k !== 'kind')
    .map(([k, v]) => {
      if (HANDLE_KEYS.has(k) && typeof v === 'number') return `${k}=#${v}`;
      if (v === null) return `${k}=kvm`;
      const f = FIELD_FORMAT[k];
      return `${k}=${f && typeof v === 'number' ? f(op, v) : formatScalar(v)}`;
    });
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
