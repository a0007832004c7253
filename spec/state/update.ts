/** Copy-on-write helpers: every change copies only the table entry that changes. */
import { imSet, imEach, type IMap } from './imap.js';
import type { Inode, Mapping, SpecState, Vm } from './types.js';
import type { PMap } from './pmap.js';

export const setIn = <V>(m: PMap<V>, k: number, v: V | undefined): PMap<V> => m.with(k, v);

export const withInode = (s: SpecState, ino: Inode): SpecState => ({ ...s, inodes: setIn(s.inodes, ino.id, ino) });
export const withMap = (s: SpecState, id: number, m: Mapping | undefined): SpecState => ({ ...s, maps: setIn(s.maps, id, m) });
export const withVm = (s: SpecState, id: number, vm: Vm | undefined): SpecState => ({ ...s, vms: setIn(s.vms, id, vm) });

/** Clip [s, e) of a 64-bit-ish page range to [0, limit). */
export const clip = (s: number, e: number, limit: number): readonly [number, number] => [Math.min(s, limit), Math.min(e, limit)];

/**
 * Remove the PTEs of file pages [fs, fe) of an inode from every mapping of it (a punch, truncate
 * or conversion to private zaps host mappings: FIO-9, MAP-7, SHR-4).
 * `dropCow` also discards private COW copies (truncation removes those too). Otherwise a page a
 * private mapping has copied keeps its PTE, which maps the copy: a hole punch zaps only the file's
 * pages (mm/shmem.c shmem_fallocate → unmap_mapping_range(…, even_cows = 0)), so e.g. a later
 * UFFDIO_COPY there still finds it mapped (EEXIST). Found by the widened generator (issue 15).
 */
export const zapPtes = (s: SpecState, inode: number, fs: number, fe: number, dropCow = false): SpecState => {
  let maps = s.maps;
  for (const [id, m] of s.maps) {
    if (m.inode !== inode) continue;
    const a = Math.max(fs, m.pgoff) - m.pgoff;
    const b = Math.min(fe, m.pgoff + m.pages) - m.pgoff;
    if (a >= b) continue;
    let ptes = imSet(m.ptes, a, b, undefined);
    const around = imSet(m.around, a, b, undefined);
    const cow = dropCow ? imSet(m.cow, a, b, undefined) : m.cow;
    if (!dropCow) imEach(m.cow, a, b, (x, y, c) => { if (c !== undefined) ptes = imSet(ptes, x, y, true); });
    // A zap that takes private copies (even_cows) takes poison markers too (zap_nonpresent_ptes: should_zap_cows, UFD-22).
    const poison = dropCow && m.poison !== undefined ? imSet(m.poison, a, b, undefined) : m.poison;
    if (ptes === m.ptes && cow === m.cow && around === m.around && poison === m.poison) continue;
    maps = maps.with(id, { ...m, ptes, around, cow, ...(poison === undefined ? {} : { poison }) });
  }
  return maps === s.maps ? s : { ...s, maps };
};

/**
 * Remove guest mappings (SPTEs) of the GFNs bound to file pages [fs, fe) (FIO-9:
 * punch invalidates guest mappings too; S1 kvm_gmem_invalidate_begin).
 */
export const zapSptes = (s: SpecState, ino: Inode, fs: number, fe: number): SpecState => {
  let out = s;
  imEach(ino.bindings, fs, fe, (a, b, ref) => {
    if (ref === undefined) return;
    const vm = out.vms.get(ref.vm);
    const slot = vm?.slots.get(ref.slot);
    if (vm === undefined || slot === undefined || slot.gmem === null) return;
    const g0 = slot.gfn + (a - slot.gmem.pgoff);
    const sptes: IMap<true> = imSet(vm.sptes, g0, g0 + (b - a), undefined);
    if (sptes !== vm.sptes) out = withVm(out, ref.vm, { ...vm, sptes });
  });
  return out;
};
