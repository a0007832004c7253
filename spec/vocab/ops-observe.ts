/**
 * The observation family of the wider kernel surface (issue 15, "Observation";
 * docs/kernel-surface.md section J): what /proc/self/pagemap and /proc/self/smaps say about a page
 * or the VMA of a mapping. Each op observes and returns the stable fields as a structured outcome
 * (the target parses the kernel's text or bits; the spec says which values are allowed given the
 * model state). Declared here and spread into ./ops.ts's OPS, so this family grows without touching
 * the other families' lines.
 *
 * Left out of the outcomes on purpose: the PFN (bits 0–54 of a pagemap entry; root-only and
 * meaningless across runs), soft-dirty (PM_SOFT_DIRTY and the `sd` VmFlag: every new VMA carries
 * VM_SOFTDIRTY until clear_refs, and CONFIG_MEM_SOFT_DIRTY decides whether it exists at all), the
 * dirty/clean split and Referenced of smaps (PTE dirty and young bits follow the hardware's
 * accessed/dirty tracking and reclaim's aging, not the call sequence).
 */
import { handle, mapOffset, type Fields } from './field.js';

const fd = handle('fd');
import type { Footprint, OpDecl } from './ops.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const map = handle('map');
const onMap = (map: number, offset: bigint, len: bigint): Footprint => ({ map, offset, len });

/**
 * The VmFlags mnemonics an smaps outcome reports (fs/proc/task_mmu.c show_smap_vma_flags, v7.2):
 * the target keeps these and lists them in this order (the kernel prints them in VM_* bit order;
 * the outcome is a set). The others are left out: `sd` (above), `ac`/`nr` (VM_ACCOUNT follows the
 * overcommit accounting of private writable mappings, sticky across mprotect), `lf` (the model's
 * lock state does not keep MLOCK_ONFAULT apart), `wf` (never set on a file VMA, MAP-16),
 * `gu`/`de`/`sl`/`dp`/`ss`/`mt`/`pf`/`io` (no op of the vocabulary sets them on a file mapping).
 */
export const VM_FLAG_LETTERS = ['rd', 'wr', 'ex', 'sh', 'mr', 'mw', 'me', 'ms', 'lo', 'sr', 'rr', 'dc', 'dd', 'hg', 'nh', 'mg', 'um', 'uw', 'ui'] as const;

export const OBSERVE_OPS = {
  pagemap: decl({
    doc: 'read the /proc/self/pagemap entry of the page at a map offset: ok { present, swap, file, exclusive, uffdWp, guard } (bits 63, 62, 61, 56, 57, 58; the PFN and soft-dirty are not reported)',
    fields: { map, offset: mapOffset() },
    footprint: (o) => onMap(o.map, o.offset, 1n),
  }),
  smaps: decl({
    doc: 'the /proc/self/smaps entry of the VMA holding a map offset: ok { start, end (map-relative bytes), perms, offset, name (the maps line: rwxs/p, the file offset of the VMA start, the file name), rss, pss, shared, private, anonymous, filePmdMapped, locked (kB), thpEligible, flags (the VmFlags letters of VM_FLAG_LETTERS present, in that order) }',
    fields: { map, offset: mapOffset() },
    footprint: (o) => onMap(o.map, o.offset, 1n),
  }),
  fdInfo: decl({
    doc: 'read /proc/self/fdinfo/N and readlink /proc/self/fd/N: ok { pos, flags (the octal flags word as a number, O_CLOEXEC when close-on-exec), link } (mnt_id and ino are not reported: they differ per boot and per file)',
    fields: { fd },
  }),
} as const;
