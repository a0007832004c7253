/**
 * A shareability conversion (the in-place conversion series): with the file's invalidate lock
 * held exclusive it zaps the host PTEs of pages going private, adjusts contents and flips the
 * attribute for the whole range, so a host fault (which reads the attribute under the lock held
 * shared, ./access.ts) or another conversion sees all of it or none. race-convert-torn leaves the
 * lock out and converts page by page.
 */
import type { OpOf } from '../../../spec/vocab/index.js';
import { ok } from '../../../spec/vocab/index.js';
import { convertPages, convertTarget, pinnedConversion } from '../ops/convert.js';
import type { OpGen, Par } from './engine.js';
import { invalLock } from './locks.js';

export function* convertTask(x: Par, op: OpOf<'convert'>): OpGen {
  const k = x.k;
  const t = convertTarget(k, op);
  if ('kind' in t) return t;
  if (k.bug('race-convert-torn')) {
    const pinned = pinnedConversion(k, t.inode, t.s, t.e, op.toPrivate);
    if (pinned) return pinned;
    for (let p = t.s; p < t.e; p++) {
      yield { kind: 'pause' };
      convertPages(k, t.inode, p, p + 1, op.toPrivate);
    }
    return ok();
  }
  const l = invalLock(t.inode.ino, 'W');
  yield { kind: 'acquire', locks: [l] };
  const pinned = pinnedConversion(k, t.inode, t.s, t.e, op.toPrivate);
  if (pinned) {
    x.release(l);
    return pinned;
  }
  convertPages(k, t.inode, t.s, t.e, op.toPrivate);
  x.release(l);
  return ok();
}
