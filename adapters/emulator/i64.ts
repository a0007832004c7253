/** Integer helpers for the kernel's u64 / loff_t views of the vocabulary's bigints. */
import { PAGE, PAGE_SIZE } from '../../spec/vocab/handles.js';

/** The page size (spec/vocab/handles.ts), under the names the emulator's modules use. */
export const P = PAGE_SIZE;
export { PAGE };
export const U64 = 1n << 64n;
export const LOFF_MAX = (1n << 63n) - 1n;
/** x86-64 TASK_SIZE_MAX (47-bit user address space minus the guard page). */
export const TASK_SIZE = (1n << 47n) - P;

/** The value as the kernel's signed 64-bit loff_t sees it. */
export const asLoff = (x: bigint): bigint => BigInt.asIntN(64, x);
export const asU64 = (x: bigint): bigint => BigInt.asUintN(64, x);
export const aligned = (x: bigint): boolean => (x & (P - 1n)) === 0n;
/** Page index of a byte offset (exact for offsets < 2^65). */
export const pageOf = (x: bigint): number => Number(x / P);
export const pagesUp = (x: bigint): number => Number((x + P - 1n) / P);
