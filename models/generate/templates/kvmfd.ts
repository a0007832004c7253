/**
 * Templates of round 4's fd and memslot calls (spec/vocab/ops-kvmfd.ts). fdWatch is a fallocate
 * with a watch around it, so it is drawn exactly as ./files.ts's fallocate is (hot page, EOF, the
 * allocation cap, every mode) and rewrapped.
 */
import type fc from 'fast-check';
import { template, type Template, type TemplateArbs } from '../template.js';
import { fileTemplates } from './files.js';

const watched = (t: fc.Arbitrary<Template>): fc.Arbitrary<Template> =>
  t.map((inner) => template('fdWatch', (c) => {
    const op = inner.resolve(c);
    if (op.kind !== 'fallocate') throw new Error(`fdWatch template: wraps a fallocate, got ${op.kind}`);
    return { kind: 'fdWatch', fd: op.fd, mode: op.mode, offset: op.offset, len: op.len };
  }));

export const kvmfdTemplates = {
  fdWatch: watched(fileTemplates.fallocate),
} satisfies TemplateArbs;
