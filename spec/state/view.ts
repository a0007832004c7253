/** view(): runs of pages with identical attributes per file, and a readable dump of the state. */
import type { FileView, PageRun, StateView } from '../verdict.js';
import type { Inode, SpecState } from './types.js';
import { imGet, imRuns, type IMap } from './imap.js';

const breaks = (into: Set<number>, m: IMap<unknown>, shift = 0): void => {
  for (const r of imRuns(m)) { into.add(r.s + shift); into.add(r.e + shift); }
};

const uffdAt = (s: SpecState, ino: Inode, fp: number): string | null => {
  const parts: string[] = [];
  for (const [id, m] of s.maps) {
    if (m.inode !== ino.id || fp < m.pgoff || fp >= m.pgoff + m.pages) continue;
    const r = imGet(m.uffd, fp - m.pgoff);
    if (r !== undefined) parts.push(`map#${id}:uffd#${r.uffd}/mode${r.mode}`);
  }
  return parts.length === 0 ? null : parts.join(',');
};

const fileRuns = (s: SpecState, ino: Inode): PageRun[] => {
  const cuts = new Set<number>([0, ino.sizePages]);
  for (const m of [ino.folios, ino.data, ino.attrs, ino.policy, ino.bindings] as IMap<unknown>[]) breaks(cuts, m);
  for (const m of s.maps.values()) if (m.inode === ino.id) breaks(cuts, m.uffd, m.pgoff);
  const pts = [...cuts].filter((x) => x >= 0 && x <= ino.sizePages).sort((a, b) => a - b);
  const runs: PageRun[] = [];
  for (let i = 0; i + 1 < pts.length; i++) {
    const first = pts[i]!;
    const f = imGet(ino.folios, first);
    const pol = imGet(ino.policy, first);
    const b = imGet(ino.bindings, first);
    const attr = imGet(ino.attrs, first);
    const run: PageRun = {
      first, count: pts[i + 1]! - first,
      allocated: f !== undefined,
      content: imGet(ino.data, first) === undefined ? 'zero' : 'data',
      shared: ino.kind === 'memfd' || (attr ?? (ino.initShared ? 'shared' : 'private')) === 'shared',
      policy: pol === undefined ? null : `mode${pol.mode}/nodes${pol.nodes}`,
      slot: b === undefined ? null : `vm#${b.vm}/slot${b.slot}`,
      uffd: uffdAt(s, ino, first),
      directMap: !(f?.dmapGone ?? false),
    };
    const prev = runs[runs.length - 1];
    if (prev !== undefined && sameAttrs(prev, run)) runs[runs.length - 1] = { ...prev, count: prev.count + run.count };
    else runs.push(run);
  }
  return runs;
};

const sameAttrs = (a: PageRun, b: PageRun): boolean =>
  a.allocated === b.allocated && a.content === b.content && a.shared === b.shared && a.policy === b.policy &&
  a.slot === b.slot && a.uffd === b.uffd && a.directMap === b.directMap;

export const view = (s: SpecState): StateView => {
  const files: FileView[] = [];
  const lines: string[] = [];
  for (const ino of s.inodes.values()) {
    const fds = [...s.fds].filter(([, e]) => e.inode === ino.id).map(([fd]) => fd);
    const flags = ino.kind === 'memfd' ? 'memfd' : `0x${ino.flags.toString(16)}${ino.noDirectMap ? ' NO_DIRECT_MAP' : ''}`;
    const runs = fileRuns(s, ino);
    files.push({ inode: ino.id, kind: ino.kind, fds, sizePages: ino.sizePages, flags, runs });
    lines.push(`inode ${ino.id} ${ino.kind} size=${ino.sizeBytes} flags=${flags} fds=[${fds.join(',')}] maps=${ino.mapCount}${ino.kind === 'gmem' ? ` vm#${ino.vm}` : ''}`);
    for (const r of runs) {
      lines.push(`  pages [${r.first}, ${r.first + r.count}) ${r.allocated ? 'alloc' : 'hole'} ${r.content} ${r.shared ? 'shared' : 'private'}` +
        `${r.policy ? ` pol=${r.policy}` : ''}${r.slot ? ` bound=${r.slot}` : ''}${r.uffd ? ` ${r.uffd}` : ''}${r.directMap ? '' : ' no-dmap'}`);
    }
  }
  for (const [id, m] of s.maps) {
    // Map pages with a PTE installed, and the VMA's own policy, as page ranges; either may be absent.
    const ptes = imRuns(m.ptes).map((r) => `[${r.s}, ${r.e})`).join(' ');
    const around = imRuns(m.around).map((r) => `[${r.s}, ${r.e})`).join(' ');
    const vmaPolicy = imRuns(m.vmaPolicy).map((r) => `[${r.s}, ${r.e}) mode${r.v.mode}/nodes${r.v.nodes}`).join(' ');
    // Pages a partial mprotect gave a protection of their own (MAP-19).
    const protAt = m.protAt === undefined ? '' : imRuns(m.protAt).map((r) => `[${r.s}, ${r.e}) prot=${r.v}`).join(' ');
    lines.push(`map#${id} inode ${m.inode} pgoff=${m.pgoff} pages=${m.pages} prot=${m.prot}${protAt ? ` (${protAt})` : ''} ${m.shared ? 'shared' : 'private'}` +
      `; PTEs at map pages ${ptes || 'none'}${around ? `; maybe mapped by fault-around at ${around}` : ''}${vmaPolicy ? `; VMA policy ${vmaPolicy}` : ''}`);
  }
  for (const [id, vm] of s.vms) {
    lines.push(`vm#${id} type=${vm.type}${vm.fdOpen ? '' : ' (fd closed)'}`);
    for (const [sid, sl] of vm.slots) {
      const g = sl.gmem === null ? 'plain' : `gmem inode ${sl.gmem.inode}${s.inodes.has(sl.gmem.inode) ? '' : ' (released)'} pgoff=${sl.gmem.pgoff}`;
      lines.push(`  slot ${sid} gfn=${sl.gfn} pages=${sl.npages} flags=${sl.flags} ${g}`);
    }
  }
  for (const [id, u] of s.uffds) lines.push(`uffd#${id} features=0x${u.features.toString(16)}`);
  for (const [id, pin] of s.pins) {
    const src = imRuns(pin.src).map((r) => `[${r.s}, ${r.e}) ${typeof r.v === 'string' ? r.v : 'detached'}`).join(' ');
    lines.push(`pin#${id} ${pin.how} map#${pin.map} inode ${pin.inode} file page ${pin.fpage}+${pin.start} bytes=${pin.len}` +
      `${pin.how === 'VMSPLICE' ? ` read=${pin.consumed}` : ''}; pages ${src || 'none'}`);
  }
  if (s.taskPolicy !== null) lines.push(`task policy mode${s.taskPolicy.mode}/nodes${s.taskPolicy.nodes}`);
  return { files, text: lines.join('\n') };
};
