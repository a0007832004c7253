/**
 * One SVG per guest_memfd (or memfd) file: its pages as horizontal runs, one lane per attribute a
 * reviewer asks about (allocated and zero/data, shared/private, mempolicy, bound memslot, uffd
 * registration, direct map), with page-range ticks under the bar and a tooltip per run.
 */
import type { FileView, PageRun } from '../../spec/verdict.js';
import { esc } from './escape.js';
import { pageLabel, place, rangeLabel, segments, type Placed } from './layout.js';

const BAR = 640;
const LEFT = 96;
const LANE = 15;
const MIN_W = 10;

interface Lane {
  readonly name: string;
  /** CSS class of the run's rect in this lane, and its short text (drawn when wide enough). */
  readonly show: (r: PageRun) => { readonly cls: string; readonly text: string };
}

const LANES: readonly Lane[] = [
  { name: 'memory', show: (r) => (!r.allocated ? { cls: 'm-none', text: '' } : r.content === 'zero' ? { cls: 'm-zero', text: 'zero' } : { cls: 'm-data', text: 'data' }) },
  { name: 'share', show: (r) => (r.shared ? { cls: 's-shared', text: 'shared' } : { cls: 's-private', text: 'private' }) },
  { name: 'mempolicy', show: (r) => (r.policy === null ? { cls: 'none', text: '' } : { cls: 'pol', text: r.policy }) },
  { name: 'memslot', show: (r) => (r.slot === null ? { cls: 'none', text: '' } : { cls: 'slot', text: r.slot }) },
  { name: 'uffd', show: (r) => (r.uffd === null ? { cls: 'none', text: '' } : { cls: 'uffd', text: r.uffd }) },
  { name: 'direct map', show: (r) => (r.directMap ? { cls: 'dm-on', text: '' } : { cls: 'dm-off', text: 'removed' }) },
];

export const describeRun = (r: PageRun): string =>
  [
    r.allocated ? `allocated, ${r.content}` : 'not allocated',
    r.shared ? 'shared' : 'private',
    `mempolicy ${r.policy ?? 'none'}`,
    `memslot ${r.slot ?? 'none'}`,
    `uffd ${r.uffd ?? 'none'}`,
    r.directMap ? 'direct map present' : 'direct map removed',
  ].join(', ');

const laneRect = (p: Placed, lane: Lane, y: number): string => {
  const tip = esc(`${rangeLabel(p)} (${pageLabel(p.count)} page${p.count === 1 ? '' : 's'}): ${p.run ? describeRun(p.run) : 'no pages listed'}`);
  const { cls, text } = p.run ? lane.show(p.run) : { cls: 'gap', text: '' };
  const x = LEFT + p.x;
  const label = text && p.width >= text.length * 6 + 4
    ? `<text class="lane-text t-${cls}" x="${(x + p.width / 2).toFixed(1)}" y="${y + LANE - 4}">${esc(text)}</text>` : '';
  return `<rect class="run ${cls}" data-first="${p.first}" data-count="${p.count}" x="${x.toFixed(1)}" y="${y}" width="${Math.max(1, p.width - 1).toFixed(1)}" height="${LANE - 2}"><title>${tip}</title></rect>${label}`;
};

/** Range ticks under the bar; labels go on the first of two rows where they do not overlap. */
const TICK_ROWS = 2;
const ticks = (placed: readonly Placed[], y: number, sizePages: number): string => {
  const out: string[] = [];
  const rowEnd: number[] = Array.from({ length: TICK_ROWS }, () => -Infinity);
  for (const p of [...placed, { first: sizePages, count: 0, x: placed.reduce((a, q) => a + q.width, 0), width: 0 }]) {
    const x = LEFT + p.x;
    out.push(`<line class="tick" x1="${x.toFixed(1)}" y1="${y - 2}" x2="${x.toFixed(1)}" y2="${y + 3}"/>`);
    const text = pageLabel(p.first);
    const row = rowEnd.findIndex((end) => x - end >= 4);
    if (row >= 0) {
      out.push(`<text class="tick-text" x="${x.toFixed(1)}" y="${y + 12 + row * 10}">${esc(text)}</text>`);
      rowEnd[row] = x + text.length * 5.5;
    }
  }
  return out.join('');
};

export const fileTitle = (f: FileView): string =>
  `${f.kind} inode ${f.inode}${f.fds.length ? `, fd ${f.fds.map((d) => `#${d}`).join(' ')}` : ', no fd'}, ${pageLabel(f.sizePages)} page${f.sizePages === 1 ? '' : 's'}${f.flags ? `, flags ${f.flags}` : ''}`;

export const fileSvg = (f: FileView): string => {
  const placed = place(segments(f.runs, f.sizePages), BAR, MIN_W);
  const barWidth = placed.reduce((a, p) => a + p.width, 0);
  const top = 18;
  const lanes = LANES.map((lane, i) => {
    const y = top + i * LANE;
    return `<text class="lane-name" x="${LEFT - 6}" y="${y + LANE - 4}">${lane.name}</text>${placed.map((p) => laneRect(p, lane, y)).join('')}`;
  }).join('');
  const ticksY = top + LANES.length * LANE + 4;
  const height = ticksY + 10 + TICK_ROWS * 10;
  const width = LEFT + barWidth + 40;
  return `<svg class="pages" role="img" width="${width.toFixed(0)}" height="${height}" viewBox="0 0 ${width.toFixed(0)} ${height}">`
    + `<title>${esc(fileTitle(f))}</title><text class="file-title" x="0" y="12">${esc(fileTitle(f))}</text>`
    + `${lanes}${ticks(placed, ticksY, f.sizePages)}</svg>`;
};

/** The legend once per report: what each colour means. */
export const LEGEND: readonly { readonly cls: string; readonly text: string }[] = [
  { cls: 'm-none', text: 'not allocated' }, { cls: 'm-zero', text: 'allocated, zero' }, { cls: 'm-data', text: 'allocated, data' },
  { cls: 's-shared', text: 'shared' }, { cls: 's-private', text: 'private' }, { cls: 'pol', text: 'mempolicy set' },
  { cls: 'slot', text: 'bound to a memslot' }, { cls: 'uffd', text: 'uffd-registered' }, { cls: 'dm-off', text: 'direct map removed' },
  { cls: 'gap', text: 'no run listed' },
];
