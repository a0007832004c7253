/**
 * Flag words with their edge bits. Every flag word of the vocabulary is generated mostly as one
 * of its valid values and sometimes with an edge bit: bit 31 (the sign bit of a C int, the top bit
 * of a u32), bit 32 and bit 63 (64-bit words only: the bits a 32-bit number operation loses), the
 * first bit above the known ones, and all ones; alone or ORed into a valid value. A kernel that
 * compares a truncated word, or a spec or emulator that does its bit tests on JS numbers, answers
 * differently only on these (issue 15: the 64-bit words are bigints end to end).
 */
import fc from 'fast-check';

export interface WordEdges {
  /** Every bit the kernel knows for this word (the first unknown bit is the lowest one above). */
  readonly known: bigint;
  /** Weight of an edge-bit draw against 10 for a valid value (default 2). */
  readonly weight?: number;
}

/** The first bit above the highest known bit (or bit 0 for an empty mask). */
const nextBit = (known: bigint): bigint => {
  let b = 1n;
  while (b <= known) b <<= 1n;
  return b;
};

/** The edge values of a word of `width` bits whose known bits are `known`. */
export const edgeBits = (width: 32 | 64, known: bigint): bigint[] => {
  const top = (1n << BigInt(width)) - 1n;
  const edges = [1n << 31n, nextBit(known) & top, top, ...(width === 64 ? [1n << 32n, 1n << 63n] : [])];
  return [...new Set(edges.filter((e) => e !== 0n))];
};

const wordArb = (width: 32 | 64, valid: readonly bigint[], e: WordEdges): fc.Arbitrary<bigint> => {
  const edges = edgeBits(width, e.known);
  const validArb = fc.constantFrom(...valid);
  return fc.oneof(
    { weight: 10, arbitrary: validArb },
    { weight: e.weight ?? 2, arbitrary: fc.oneof(fc.constantFrom(...edges), fc.tuple(validArb, fc.constantFrom(...edges)).map(([v, x]) => v | x)) },
  );
};

/** A __u64 / unsigned long flag word (a bigint). */
export const word64Arb = (valid: readonly bigint[], e: WordEdges): fc.Arbitrary<bigint> => wordArb(64, valid, e);

/** A __u32 / unsigned int flag word: a number in [0, 2^32). */
export const word32Arb = (valid: readonly number[], e: WordEdges): fc.Arbitrary<number> =>
  wordArb(32, valid.map(BigInt), e).map(Number);

/** A C int flag word: bit 31 is the sign bit, so the all-ones and bit-31 edges are negative numbers. */
export const intWordArb = (valid: readonly number[], e: WordEdges): fc.Arbitrary<number> =>
  wordArb(32, valid.map((v) => BigInt.asUintN(32, BigInt(v))), e).map((w) => Number(BigInt.asIntN(32, w)));
