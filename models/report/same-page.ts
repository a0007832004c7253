/**
 * Which earlier steps touched the file pages the failing step touched. The failing step is where a
 * bug becomes visible, not always where it happened: a load that returns stale data fails under
 * MAP-5, but the culprit is the punch hole before it. Listing the earlier steps on the same pages,
 * with the rules their verdicts named, points a kernel developer at the suspects.
 *
 * Works on the requests only (handles, offsets, lengths): a dup shares its file, a mapping covers
 * its file range. Steps that failed with an errno or signal are kept; they are part of the story.
 */
import { PAGE_SIZE as P, createdBy, footprintOf, type Op } from '../../spec/vocab/index.js';

/** A half-open range of file pages in one file (file = index of the creating step). */
interface Touch { readonly file: number; readonly a: bigint; readonly b: bigint }

const pagesOf = (offset: bigint, len: bigint): [bigint, bigint] => {
  const a = offset < 0n ? 0n : offset / P;
  const end = offset + (len > 0n ? len : 1n);
  return [a, end <= offset ? a + 1n : (end + P - 1n) / P];
};

/**
 * Replays the handle bookkeeping of `ops` from their declarations and returns what each step
 * touched: a new fd names a new file unless it aliases one (dup); a new mapping maps its
 * footprint's file from the footprint's offset.
 */
export const touches = (ops: readonly Op[]): Array<Touch | undefined> => {
  const fileOfFd = new Map<number, number>();
  const maps = new Map<number, { file: number; pgoff: bigint }>();
  return ops.map((op, i): Touch | undefined => {
    const fp = footprintOf(op);
    let t: Touch | undefined;
    if (fp !== undefined && 'fd' in fp) {
      const file = fileOfFd.get(fp.fd);
      if (file !== undefined) t = { file, ...span(pagesOf(fp.offset, fp.len)) };
    } else if (fp !== undefined) {
      const m = maps.get(fp.map);
      if (m) {
        const [a, b] = pagesOf(fp.offset, fp.len);
        t = { file: m.file, a: m.pgoff + a, b: m.pgoff + b };
      }
    }
    const made = createdBy(op);
    if (made?.cls === 'fd') {
      const file = made.sameAs === undefined ? i : fileOfFd.get(made.sameAs);
      if (file !== undefined) fileOfFd.set(made.id, file);
    } else if (made?.cls === 'map' && fp !== undefined && 'fd' in fp) {
      const file = fileOfFd.get(fp.fd);
      if (file !== undefined) maps.set(made.id, { file, pgoff: fp.offset / P });
    }
    return t;
  });
};

const span = ([a, b]: [bigint, bigint]) => ({ a, b });

/** Earlier steps (1-based numbers) whose file pages overlap the failing step's, most recent last. */
export const samePageSteps = (ops: readonly Op[], index: number): number[] => {
  const t = touches(ops.slice(0, index + 1));
  const at = t[index];
  if (!at) return [];
  const out: number[] = [];
  for (let i = 0; i < index; i++) {
    const x = t[i];
    if (x && x.file === at.file && x.a < at.b && at.a < x.b) out.push(i + 1);
  }
  return out;
};
