/**
 * The forked child's template: its one action is drawn as the parent's own op would be — a load or
 * store aimed like ./maps.ts's (the hot page, EOF, edges), a fallocate or ftruncate like
 * ./files.ts's — and wrapped, so the child meets the pages and files the sequence is working on.
 * Accesses are drawn most: they are where the child's view (MAP-11, MAP-24, SHR-5) differs from
 * the parent's; the fd calls (LIFE-2) and the VM ioctl (CRE-9) less often.
 */
import fc from 'fast-check';
import type { Op } from '../../../spec/vocab/index.js';
import { pick } from '../context.js';
import { template, type Template, type TemplateArbs } from '../template.js';
import { mapTemplates } from './maps.js';
import { fileTemplates } from './files.js';

type Act = Extract<Op, { kind: 'child' }>['act'];

/** The parent-op template's op as the child's action. */
const asAct = (op: Op): Act => {
  switch (op.kind) {
    case 'load': return { kind: 'load', map: op.map, offset: op.offset };
    case 'store': return { kind: 'store', map: op.map, offset: op.offset, value: op.value };
    case 'fallocate': return { kind: 'fallocate', fd: op.fd, mode: op.mode, offset: op.offset, len: op.len };
    case 'ftruncate': return { kind: 'ftruncate', fd: op.fd, size: op.size };
    default: throw new Error(`child template: no child action for ${op.kind}`);
  }
};
const wrapped = (t: fc.Arbitrary<Template>): fc.Arbitrary<Template> =>
  t.map((inner) => template('child', (c) => ({ kind: 'child', act: asAct(inner.resolve(c)) })));

const vmIoctl = fc.nat().map((n) => template('child', (c) => ({ kind: 'child', act: { kind: 'vmIoctl', vm: pick(n, c.vms) } })));

export const childTemplates = {
  child: fc.oneof(
    { weight: 4, arbitrary: wrapped(mapTemplates.load) },
    { weight: 4, arbitrary: wrapped(mapTemplates.store) },
    { weight: 2, arbitrary: wrapped(fileTemplates.fallocate) },
    { weight: 1, arbitrary: wrapped(fileTemplates.ftruncate) },
    { weight: 1, arbitrary: vmIoctl },
  ),
} satisfies TemplateArbs;
