/**
 * Hostile op fields for the boundary fuzz (issue 12): every op kind of the vocabulary, built from a
 * plausible template whose fields are then replaced by values chosen to break a boundary — ±2^64,
 * 2^127, the 64-bit edges, negative lengths, NaN, ±Infinity, fractions, 32-bit edges, wrong types,
 * huge arrays and strings, missing and extra fields, unknown kinds. guest_memfd ops are included:
 * on a kernel without it they must come back as ENOTTY-derived outcomes (or dead-handle answers).
 *
 * Also the canary: memory the test process owns and checks afterwards — a 16 MiB heap buffer of
 * known bytes and a memfd mapping of known bytes that sits among the mappings the targets create
 * (the kernel places new mappings next to each other), where a stray madvise, mprotect or store
 * would land first.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { OP_KINDS, declOf, type Field, type Fields, type Op, type OpKind } from '../../../spec/vocab/index.js';
import type { NativeBinding } from '../../../adapters/native/_internals/binding.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/index.js';


/** Values past what the ABI carries, of the wrong type, or missing. */
const OUT_OF_RANGE: readonly unknown[] = [
  1n << 64n, (1n << 64n) + P, 1n << 127n, -(1n << 127n), -(1n << 63n) - 1n, -(1n << 64n),
  Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5, 2 ** 53 + 2, 1e300, -1e300, 2 ** 32, -(2 ** 31) - 1,
  'x', '', '4096', null, {}, [], true, Array(7).fill(0n), Array(100_000).fill(0n), 'x'.repeat(10_000), { kind: 'map', map: {} },
];
/**
 * Values at the edges of each ABI type (spec/vocab/field.ts): every one is a value its field can
 * carry, so it passes the boundary check and reaches the target; the edges are where sloppy
 * arithmetic breaks. The op shapes come from the declarations themselves (spec/vocab/ops.ts).
 */
const U64_EDGES: readonly bigint[] = [
  0n, 1n, P - 1n, P, 2n * P, 4n * P, 1n << 40n, (1n << 47n) - P, 1n << 47n, 1n << 62n, (1n << 63n) - 1n, 1n << 63n,
  (1n << 64n) - P, (1n << 64n) - 1n, 0x7fff_ffff_f000n,
];
const I64_EDGES: readonly bigint[] = [
  0n, 1n, -1n, P - 1n, P, -P, 2n * P, 4n * P, 1n << 40n, -(1n << 40n), (1n << 47n) - P, 1n << 47n, 1n << 62n, -(1n << 62n),
  (1n << 63n) - 1n, -(1n << 63n),
];
const small = fc.constantFrom(0n, P, 2n * P, 4n * P);

const fieldArb = (f: Field<unknown>): fc.Arbitrary<unknown> => {
  const t = f.type;
  switch (t.abi) {
    case 'handle': return t.creates ? fc.integer({ min: 4, max: 2 ** 31 - 1 }) : fc.integer({ min: 0, max: 3 });
    case 'u64': return fc.oneof(small, fc.constantFrom(...U64_EDGES));
    case 'i64': return fc.oneof(small, fc.constantFrom(...I64_EDGES));
    case 'int': return fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 255, 256, 4096, 1 << 15, 2 ** 31 - 1, -(2 ** 31)));
    // Every single bit up to 2^16 (uffd features, the unservable event ones included), and the 32-bit edges.
    case 'u32': return fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 16 }).map((b) => 2 ** b), fc.constantFrom(2 ** 31, 2 ** 32 - 1));
    case 'byte': return fc.integer({ min: 0, max: 255 });
    case 'bool': return fc.boolean();
    case 'count': return fc.constantFrom(0, 1, 16, 4096, t.max);
    case 'enum': return fc.constantFrom(...Object.keys(t.values));
    case 'words': return fc.array(fc.constantFrom(...U64_EDGES), { maxLength: t.max });
    case 'nullable': return fc.option(fieldArb(t.inner), { nil: null });
    case 'variant':
      return fc.oneof(...Object.entries(t.variants).map(([kind, fs]) => fieldsArb(fs).map((v) => ({ kind, ...v }))));
  }
};

const fieldsArb = (fs: Fields): fc.Arbitrary<Record<string, unknown>> =>
  fc.record(Object.fromEntries(Object.entries(fs).map(([k, f]) => [k, fieldArb(f)])));

/** A plausible op of each kind (handles 0..3 name the setup's objects), from its declaration. */
const TEMPLATES: { readonly [K in OpKind]: fc.Arbitrary<Record<string, unknown>> } =
  Object.fromEntries(OP_KINDS.map((k) => [k, fieldsArb(declOf(k).fields)])) as { [K in OpKind]: fc.Arbitrary<Record<string, unknown>> };

type Mutation = { readonly field: number; readonly to: 'hostile' | 'missing' } | { readonly extra: string };

/**
 * One op: a template, with 0–3 of its fields replaced by out-of-range or wrongly typed values,
 * removed, or joined by an extra field; sometimes an unknown kind. `wrongTypes` weighs how often.
 */
export const hostileOp = (wrongTypes: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: Math.round(wrongTypes * 20), arbitrary: fc.record({ kind: fc.constantFrom('execve', 'KVM_RUN', '__proto__', ''), x: fc.constantFrom(...OUT_OF_RANGE) }) },
    {
      weight: 100,
      arbitrary: fc.constantFrom(...OP_KINDS).chain((kind) =>
        fc.tuple(
          TEMPLATES[kind],
          fc.array(fc.oneof(
            { weight: 4, arbitrary: fc.record({ field: fc.nat(), to: fc.constant<'hostile'>('hostile') }) },
            { weight: 1, arbitrary: fc.record({ field: fc.nat(), to: fc.constant<'missing'>('missing') }) },
            { weight: 1, arbitrary: fc.record({ extra: fc.constantFrom('extra', 'token', 'kind2') }) },
          ), { maxLength: 3 }),
          fc.constantFrom(...OUT_OF_RANGE),
          fc.noBias(fc.integer({ min: 0, max: 999 })),
        ).map(([fields, muts, value, dice]) => {
          const op: Record<string, unknown> = { kind, ...fields };
          if (dice >= wrongTypes * 1000) return op;
          const keys = Object.keys(fields);
          for (const m of muts as readonly Mutation[]) {
            if ('extra' in m) op[m.extra] = value;
            else if (keys.length > 0) {
              const k = keys[m.field % keys.length]!;
              if (m.to === 'missing') delete op[k];
              else op[k] = value;
            }
          }
          return op;
        })),
    },
  );

/** The objects the hostile ops name: memfds 0 and 1 mapped as maps 0 and 1 (1 registered on uffd 0), VM 0, gmem 2. */
export const SETUP: readonly Op[] = [
  { kind: 'createVm', id: 0, type: 0 },
  { kind: 'createMemfd', id: 0, size: 4n * P },
  { kind: 'createMemfd', id: 1, size: P },
  { kind: 'createGmem', vm: 0, id: 2, size: P, flags: 3n, reserved: [] },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3, shared: true },
  { kind: 'mmap', fd: 1, id: 1, offset: 0n, length: P, prot: 3, shared: true },
  { kind: 'uffdCreate', id: 0, features: (1 << 5) | (1 << 10) },
  { kind: 'uffdRegister', uffd: 0, map: 1, offset: 0n, length: P, mode: 1 },
];

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Memory of the test process that no op may touch (see the file comment). */
export class Canary {
  private readonly heap: Buffer;
  private readonly heapSum: string;
  private readonly fd: number;
  readonly addr: bigint;
  private static readonly LEN = 64n * 1024n;

  constructor(private readonly b: NativeBinding) {
    this.heap = Buffer.allocUnsafeSlow(16 << 20);
    let x = 0x9e3779b9;
    for (let i = 0; i < this.heap.length; i += 4) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      this.heap.writeUInt32LE(x >>> 0, i);
    }
    this.heapSum = sha(this.heap);
    this.fd = b.memfdCreate(Canary.LEN);
    if (b.fileIo(this.fd, 3, 0n, Number(Canary.LEN), 0xa5) === undefined) throw new Error('canary fill failed');
    const a = b.mmap(this.fd, 0n, Canary.LEN, 3, true);
    if (typeof a !== 'bigint') throw new Error(`canary mmap failed: ${a}`);
    this.addr = a;
  }

  /** What is wrong with the canary, or undefined when every byte and the mapping are as made. */
  damage(): string | undefined {
    if (sha(this.heap) !== this.heapSum) return 'the heap canary changed';
    const line = readFileSync('/proc/self/maps', 'utf8').split('\n').find((l) => l.startsWith(`${this.addr.toString(16)}-`));
    if (line === undefined || !/^\S+ rw-s /.test(line)) return `the canary mapping changed: ${line ?? 'gone'}`;
    for (let off = 0n; off < Canary.LEN; off += 4093n) {
      const v = this.b.access(this.addr + off, false, 0);
      if (v !== 0xa5) return `canary byte at +${off} reads ${JSON.stringify(v)}`;
    }
    return undefined;
  }

  close(): void {
    this.b.munmap(this.addr, Canary.LEN);
    this.b.close(this.fd);
  }
}
