/**
 * The effect of converting file pages [a, b) (SHR-4..8): only pages whose state changes are
 * touched (SHR-7); to-private zaps host PTEs (SHR-4) so later host faults SIGBUS (SHR-5);
 * guest mappings are invalidated both ways; contents follow P-CONV-CONTENT (SHR-8).
 */
import type { Profile } from '../vocab/index.js';
import { imEach, imSet } from '../state/imap.js';
import { UNKNOWN, fillPage } from '../state/bytes.js';
import { withInode, zapPtes, zapSptes } from '../state/update.js';
import type { Inode, Share, SpecState } from '../state/types.js';
import { isShared } from './shared.js';

export const convertPages = (p: Profile, s: SpecState, ino: Inode, a: number, b: number, toPrivate: boolean): SpecState => {
  const want: Share = toPrivate ? 'private' : 'shared';
  const changed: [number, number][] = [];
  // Pages keep runs of equal state, so walking explicit entries plus gaps is O(runs).
  imEach(ino.attrs, a, b, (x, y) => {
    if (isShared(p, ino, x) === toPrivate) changed.push([x, y]);
  });
  let cur: Inode = { ...ino, attrs: imSet(ino.attrs, a, b, want) };
  for (const [x, y] of changed) {
    if (p.variants.convContent === 'ZERO') cur = { ...cur, data: imSet(cur.data, x, y, undefined) };
    if (p.variants.convContent === 'UNSPECIFIED') {
      let data = cur.data;
      imEach(cur.folios, x, y, (fx, fy, f) => {
        if (f?.uptodate === true) data = imSet(data, fx, fy, fillPage(UNKNOWN));
      });
      cur = { ...cur, data };
    }
  }
  let out = withInode(s, cur);
  for (const [x, y] of changed) {
    if (toPrivate) out = zapPtes(out, ino.id, x, y);
    out = zapSptes(out, cur, x, y);
  }
  return out;
};
