/**
 * Template of copyRange (row B24; spec/fdcalls/copy-range.ts). The two ends are often the same fd
 * (the overlap check) and otherwise any two live fds (two gmem files: one superblock; gmem and
 * memfd: EXDEV); offsets are −1 (NULL), in the file, at or past the source's EOF, just overlapping
 * the other end, or negative; lengths 0, 1, a page and the 16-page maximum; flags mostly 0.
 */
import fc from 'fast-check';
import { FD_IO_MAX_BYTES } from '../../../spec/vocab/index.js';
import { pick } from '../context.js';
import { offsetArb, resolveOffset, s64 } from '../choices.js';
import { template, type TemplateArbs } from '../template.js';

type PosChoice = { readonly special: bigint } | { readonly off: Parameters<typeof resolveOffset>[0] } | { readonly near: bigint };
const posArb: fc.Arbitrary<PosChoice> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ special: -1n }) },
  { weight: 1, arbitrary: fc.constantFrom(-2n, -4096n, (1n << 63n) - 1n, -(1n << 63n)).map((special) => ({ special })) },
  { weight: 6, arbitrary: offsetArb({ huge: 0, near63: 1 }).map((off) => ({ off })) },
  // Relative to the other end's offset: a byte, half a page or a page away (the overlap edge).
  { weight: 3, arbitrary: fc.constantFrom(1n, 2048n, 4096n, -1n, -4096n).map((near) => ({ near })) },
);
const lenArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(1, 100, 4096, 8192) },
  { weight: 1, arbitrary: fc.constantFrom(0, 4097, FD_IO_MAX_BYTES) },
);
const flagsArb = fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, 2 ** 31) });

export const convcopyTemplates = {
  copyRange: fc.record({ a: fc.nat(), b: fc.nat(), same: fc.boolean(), src: posArb, dst: posArb, len: lenArb, flags: flagsArb })
    .map(({ a, b, same, src: sp, dst: dp, len, flags }) => template('copyRange', (c) => {
      const src = pick(a, c.fds.length);
      const dst = same ? src : pick(b, c.fds.length);
      const at = (p: PosChoice, fd: number, other: bigint): bigint => {
        if ('special' in p) return p.special;
        if ('near' in p) return s64(other + p.near);
        return s64(resolveOffset(p.off, c.fds[fd]?.size ?? 0n));
      };
      // A source "near" choice is near 0 (−1 there is the NULL offset).
      const srcOff = at(sp, src, 0n);
      const dstOff = at(dp, dst, srcOff === -1n ? 0n : srcOff);
      return { kind: 'copyRange', src, dst, srcOff, dstOff, len, flags };
    })),
} satisfies TemplateArbs;
