/**
 * inotify on a gmem or memfd file around a fallocate (FIO-26). vfs_fallocate raises
 * fsnotify_modify after a successful call, but both files are pseudo files: alloc_file_pseudo
 * marks every file it makes FMODE_NONOTIFY ("Disable all fsnotify events for pseudo files by
 * default", fs/file_table.c, v7.2; 6.18's anon_inode_create_getfile and memfd_create take the
 * same path), and neither guest_memfd nor memfd turns them back on, so a watch on the inode sees no
 * IN_MODIFY for an allocation or a punch made through the fd (nor for a failed one). The answer
 * of the fallocate itself is FIO-*'s (spec/fileops/fallocate.ts), unchanged.
 */
import { ok, type Outcome } from '../vocab/index.js';
import type { Steps } from '../run.js';
import { steps as fallocate } from '../fileops/fallocate.js';

/** FIO-26 (the catalogue's text); the fallocate outcome is mapped, its rules named after it. */
const FIO_26 = 'FIO-26';

const watched = (o: Outcome): Outcome => (o.kind === 'ok' ? ok({ events: 0 }) : o);
const unwatched = (o: Outcome): Outcome => (o.kind === 'ok' ? ok() : o);

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fdWatch: (p, s, o) => {
    const v = fallocate.fallocate(p, s, { kind: 'fallocate', fd: o.fd, mode: o.mode, offset: o.offset, len: o.len });
    // The fallocate's rules decide the outcome (ok or which errno) and stay first, so a wrong
    // fallocate answer is blamed on them; FIO-26 owns only the event count (a part).
    return {
      allowed: v.allowed.map(watched),
      rules: [...v.rules, FIO_26],
      parts: [...(v.parts ?? []), { rule: FIO_26, path: ['value', 'events'] }],
      ...(v.loose !== undefined ? { loose: v.loose } : {}),
      next: (observed: Outcome) => v.next(unwatched(observed)),
    };
  },
} satisfies Steps;

/** For the registry: FIO-26 is decided here (a rule object with its citation). */
export const fio26 = {
  id: FIO_26,
  cite: 'FIO-26; fs/open.c vfs_fallocate (fsnotify_modify on success); fs/file_table.c alloc_file_pseudo (FMODE_NONOTIFY for pseudo files); include/linux/fsnotify.h fsnotify_modify (FMODE_NONOTIFY: nothing), v7.2 (obs:FDC-13)',
} as const;
