/**
 * Field declarations: what one field of an op is at the kernel ABI (its C type and therefore its
 * range), which handle class it names, how it prints. ./ops.ts declares every op's fields with
 * these builders; the Op types, the boundary validator, the text and C renderings, the handle
 * bookkeeping and the file-page footprint are all derived from those declarations.
 */

export type HandleClass = 'vm' | 'fd' | 'map' | 'uffd' | 'pin' | 'vcpu';

/** How a number prints in op text: bit names (`KEEP_SIZE|PUNCH_HOLE`), a value name (`BIND(2)`), or hex. */
export type TextHint =
  | { readonly bits: Readonly<Record<string, number | bigint>>; readonly zero?: string }
  | { readonly names: Readonly<Record<string, number | bigint>>; readonly unknown: string }
  | 'hex';

export type Abi =
  /** A handle of the sequence (an index into the target's table), used, created or released by the op. */
  | { readonly abi: 'handle'; readonly cls: HandleClass; readonly creates: boolean; readonly releases?: true }
  /** __u64 / size_t / unsigned long: a bigint in [0, 2^64). */
  | { readonly abi: 'u64' }
  /** loff_t / off_t, or an offset from a mapping's base (C pointer arithmetic): a bigint in [-2^63, 2^63). */
  | { readonly abi: 'i64' }
  /** C int: a number in [-2^31, 2^31). */
  | { readonly abi: 'int' }
  /** __u32 / unsigned int: a number in [0, 2^32). */
  | { readonly abi: 'u32' }
  /** One byte stored, loaded or used as a fill pattern: a number in [0, 255]. */
  | { readonly abi: 'byte' }
  | { readonly abi: 'bool' }
  /** A byte or page count the target allocates a buffer for: a number in [0, max]. */
  | { readonly abi: 'count'; readonly max: number }
  /** A name standing for a kernel number (advice, resolve ioctl, …). */
  | { readonly abi: 'enum'; readonly values: Readonly<Record<string, number>> }
  /** Up to `max` __u64 words (reserved fields). */
  | { readonly abi: 'words'; readonly max: number }
  /** null or the inner field (checkExtension on /dev/kvm). */
  | { readonly abi: 'nullable'; readonly inner: Field<unknown> }
  /** A tagged union on `kind`, each variant with its own fields. */
  | { readonly abi: 'variant'; readonly variants: Readonly<Record<string, Fields>> };

export interface Field<T> {
  readonly type: Abi;
  readonly text?: TextHint;
  /** An offset into the mapping named by the op's `map` field (bookkeeping, placement, minimising). */
  readonly inMap?: true;
  /** Phantom: the TypeScript type of the field's value. */
  readonly __type?: T;
}

export type Fields = Readonly<Record<string, Field<unknown>>>;
export type TypeOf<F> = F extends Field<infer T> ? T : never;
type Flat<T> = { [K in keyof T]: T[K] } & {};
/** The value an object of these fields has (every field required and readonly). */
export type ValuesOf<F extends Fields> = Flat<{ readonly [K in keyof F]: TypeOf<F[K]> }>;

const f = <T>(type: Abi, extra: { text?: TextHint; inMap?: true } = {}): Field<T> => ({ type, ...extra });

export const handle = (cls: HandleClass): Field<number> => f({ abi: 'handle', cls, creates: false });
export const creates = (cls: HandleClass): Field<number> => f({ abi: 'handle', cls, creates: true });
/** A handle the op releases when it succeeds (close, munmap): dead afterwards. */
export const releases = (cls: HandleClass): Field<number> => f({ abi: 'handle', cls, creates: false, releases: true });
export const u64 = (text?: TextHint): Field<bigint> => f({ abi: 'u64' }, text ? { text } : {});
export const i64 = (): Field<bigint> => f({ abi: 'i64' });
/** An offset from the base of the op's mapping (`map` field). */
export const mapOffset = (): Field<bigint> => f({ abi: 'i64' }, { inMap: true });
export const int = (text?: TextHint): Field<number> => f({ abi: 'int' }, text ? { text } : {});
export const u32 = (text?: TextHint): Field<number> => f({ abi: 'u32' }, text ? { text } : {});
export const byte = (): Field<number> => f({ abi: 'byte' });
export const bool = (): Field<boolean> => f({ abi: 'bool' });
export const count = (max: number): Field<number> => f({ abi: 'count', max });
export const words = (max: number): Field<readonly bigint[]> => f({ abi: 'words', max });
export const enumOf = <const V extends Readonly<Record<string, number>>>(values: V): Field<keyof V & string> => f({ abi: 'enum', values });
export const nullable = <T>(inner: Field<T>): Field<T | null> => f({ abi: 'nullable', inner });
export const variant = <const V extends Readonly<Record<string, Fields>>>(variants: V): Field<
  { [K in keyof V]: Flat<{ readonly kind: K } & ValuesOf<V[K]>> }[keyof V]
> => f({ abi: 'variant', variants });

/** The numeric range a scalar ABI type carries, for messages and checks. */
export const RANGES = {
  u64: [0n, (1n << 64n) - 1n],
  i64: [-(1n << 63n), (1n << 63n) - 1n],
  int: [-(2 ** 31), 2 ** 31 - 1],
  u32: [0, 2 ** 32 - 1],
  byte: [0, 255],
  handle: [0, 2 ** 31 - 1],
} as const;
