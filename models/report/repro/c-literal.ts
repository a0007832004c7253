/** C literals for generated reproducers: exact 64-bit integers, safe strings and comments. */

export const u64 = (v: bigint): string => `UINT64_C(0x${BigInt.asUintN(64, v).toString(16)})`;
/** loff_t / off_t arguments: the same 64 bits, read as signed (values >= 2^63 arrive negative, as in the addon). */
export const i64 = (v: bigint): string => `(int64_t)${u64(v)}`;

/** A C string literal: printable ASCII as is, everything else (and '?', against trigraphs) as octal escapes. */
export const cstr = (s: string): string => {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (b >= 0x20 && b < 0x7f && c !== '?') out += c;
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
};

/** Text safe inside a C block comment. */
export const ccomment = (s: string): string => s.replace(/\*\//g, '* /').replace(/\n/g, ' ');

/**
 * An exact signed 128-bit value, for the range geometry the native target computes with bigints
 * (negative offsets and lengths, sums past 2^64); the kernel itself still gets the low 64 bits.
 */
export const i128 = (v: bigint): string => {
  if (v >= -(1n << 63n) && v < 1n << 63n) return `((__int128)${i64(v)})`;
  if (v >= 0n && v < 1n << 64n) return `((__int128)${u64(v)})`;
  const lo = BigInt.asUintN(64, v);
  const hi = BigInt.asIntN(64, v >> 64n);
  return `((((__int128)${i64(hi)}) << 64) | (__int128)${u64(lo)})`;
};
