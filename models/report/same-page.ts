/**
 * Which earlier steps touched the file pages the failing step touched. The failing step is where a
 * bug becomes visible, not always where it happened: a load that returns stale data fails under
 * MAP-5, but the culprit is the punch hole before it. Listing the earlier steps on the same pages,
 * with the rules their verdicts named, points a kernel developer at the suspects.
 *
 * Works on the requests only (handles, offsets, lengths): a dup shares its file, a mapping covers
 * its file range. Steps that failed with an errno or signal are kept; they are part of the story.
 */
import type { Op } from '../../spec/vocab/index.js';

const P = 4096n;

/** A half-open range of file pages in one file (file = index of the creating step). */
interface Touch { readonly file: number; readonly a: bigint; readonly b: bigint }

const pagesOf = (offset: bigint, len: bigint): [bigint, bigint] => {
  const a = offset < 0n ? 0n : offset / P;
  const end = offset + (len > 0n ? len : 1n);
  return [a, end <= offset ? a + 1n : (end + P - 1n) / P];
};

/** Replays the handle bookkeeping of `ops` and returns what each step touched. */
export const touches = (ops: readonly Op[]): Array<Touch | undefined> => {
  const fileOfFd = new Map<number, number>();
  const maps = new Map<number, { file: number; pgoff: bigint }>();
  const onFd = (fd: number, offset: bigint, len: bigint): Touch | undefined => {
    const file = fileOfFd.get(fd);
    if (file === undefined) return undefined;
    const [a, b] = pagesOf(offset, len);
    return { file, a, b };
  };
  const onMap = (map: number, offset: bigint, len: bigint): Touch | undefined => {
    const m = maps.get(map);
    if (!m) return undefined;
    const [a, b] = pagesOf(offset, len);
    return { file: m.file, a: m.pgoff + a, b: m.pgoff + b };
  };
  return ops.map((op, i): Touch | undefined => {
    switch (op.kind) {
      case 'createGmem': case 'createMemfd': fileOfFd.set(op.id, i); return undefined;
      case 'dup': { const f = fileOfFd.get(op.fd); if (f !== undefined) fileOfFd.set(op.id, f); return undefined; }
      case 'mmap': {
        const f = fileOfFd.get(op.fd);
        if (f !== undefined) maps.set(op.id, { file: f, pgoff: op.offset / P });
        return onFd(op.fd, op.offset, op.length);
      }
      case 'fallocate': case 'convert': return onFd(op.fd, op.offset, op.len);
      case 'fileIo': return op.call === 'lseek' || op.call === 'fsync' ? undefined : onFd(op.fd, op.offset, BigInt(op.len));
      case 'ftruncate': return onFd(op.fd, op.size, 1n << 62n);
      case 'load': case 'store': case 'getMempolicy': return onMap(op.map, op.offset, 1n);
      case 'kernelAccess': return onMap(op.map, op.offset, BigInt(op.len));
      case 'mincore': return onMap(op.map, op.offset, BigInt(op.pages) * P);
      case 'madvise': case 'mbind': case 'uffdRegister': case 'uffdResolve': return onMap(op.map, op.offset, op.length);
      case 'setMemoryRegion': return op.gmem.kind === 'fd' ? onFd(op.gmem.fd, op.gmemOffset, op.size) : undefined;
      default: return undefined;
    }
  });
};

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
