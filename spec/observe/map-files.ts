/**
 * /proc/self/map_files/<start>-<end> of a gmem VMA (LIFE-16, CRE-17; docs/kernel-surface.md J09):
 * the entry of a file VMA is a magic link to the mapped file — readlink gives the file's name, and
 * an open of it opens the file's inode anew, which a gmem inode refuses (ENXIO) as it does through
 * /proc/self/fd/N; O_PATH opens no file and succeeds. Needs CAP_SYS_ADMIN (the lookup is refused
 * otherwise); the native target runs as root.
 */
import { err, ok, type OpOf } from '../vocab/index.js';
import { only, rule } from '../rule.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { deadMap } from '../lifetime/handles.js';
import { onMap, type Steps } from '../run.js';
import { cre17, linkOf } from './fdinfo.js';

export const mapFilesDead = deadMap<Ctx<'mapFiles'>>('EFAULT');

/** No VMA holds an address outside the mapping (its unmapped gap): the one-page entry named after it does not exist. */
export const mapFilesOutside = rule<Ctx<'mapFiles'>>({
  id: 'LIFE-16',
  cite: 'LIFE-16; fs/proc/base.c proc_map_files_lookup (find_exact_vma: ENOENT), v7.2',
  decide: ({ s, op }) => {
    const m = s.maps.get(op.map)!;
    return op.offset >= 0n && op.offset < BigInt(m.pages) * 4096n ? undefined : only(s, err('ENOENT'));
  },
});

/**
 * LIFE-16: readlink → the file's name (CRE-17); open with O_RDONLY or O_RDWR → ENXIO on gmem (its
 * inode keeps the VFS default open, no_open), a new open file on memfd; O_PATH → ok on both.
 */
export const life16MapFiles = rule<MapCtx<'mapFiles'>>({
  id: 'LIFE-16',
  cite: 'LIFE-16; fs/proc/base.c proc_map_files_lookup, map_files_get_link (the VMA\'s vm_file path), proc_map_files_get_link; fs/namei.c (magic link) → fs/open.c do_dentry_open → fs/inode.c no_open (ENXIO), v7.2',
  decide: ({ p, s, op, ino }) => {
    if (op.how === 'readlink') return only(s, ok({ link: linkOf(ino.kind, p.variants.fsMagic) }), [cre17]);
    return only(s, ino.kind === 'gmem' && op.how !== 'openPath' ? err('ENXIO') : ok());
  },
});

export const mapFilesPre = [mapFilesDead, mapFilesOutside] as const;
export const mapFilesChain = [life16MapFiles] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  mapFiles: (p, s, o: OpOf<'mapFiles'>) => onMap({ p, s, op: o }, mapFilesPre, o.map, mapFilesChain),
} satisfies Steps;
