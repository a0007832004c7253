/**
 * The sequence arbitrary: a short setup (a VM, files, mappings) followed by a body drawn from a mix.
 * Both parts shrink independently, so a counterexample keeps only the steps it needs.
 */
import fc from 'fast-check';
import type { OpKind } from '../../spec/vocab/index.js';
import type { Mix } from './mixes.js';
import { template, type Template, type TemplateArbs } from './template.js';
import { fileTemplates } from './templates/files.js';
import { mapTemplates } from './templates/maps.js';
import { slotTemplates } from './templates/slots.js';
import { policyTemplates } from './templates/policy.js';

export const ALL_TEMPLATES: TemplateArbs = { ...fileTemplates, ...mapTemplates, ...slotTemplates, ...policyTemplates };

const fromMix = (mix: Mix, excluded: ReadonlySet<OpKind>): fc.Arbitrary<Template> => {
  const entries = (Object.entries(mix) as [OpKind, number][]).filter(([k, w]) => w > 0 && !excluded.has(k));
  if (entries.length === 0) throw new Error('empty op mix after exclusions');
  return fc.oneof(
    ...entries.map(([k, weight]) => {
      const arbitrary = ALL_TEMPLATES[k];
      if (!arbitrary) throw new Error(`no template for op kind ${k}`);
      return { weight, arbitrary };
    }),
  );
};

const SETUP: Mix = { createVm: 2, createGmem: 3, createMemfd: 1, mmap: 3 };

export interface SequenceOptions {
  readonly mix: Mix;
  readonly maxLength: number;
  /** Shortest body (benchmarks bury failures in long sequences). */
  readonly minLength?: number;
  /** Op kinds the target cannot issue (reported as skips, never generated). */
  readonly excluded?: ReadonlySet<OpKind>;
}

export const sequenceArb = ({ mix, maxLength, minLength = 0, excluded = new Set() }: SequenceOptions): fc.Arbitrary<Template[]> => {
  // Setup always starts with a type-0 VM so most sequences reach the interesting states quickly.
  const vm0 = fc.constant(template('createVm', (c) => ({ kind: 'createVm', id: c.vms, type: 0 })));
  const setup = fc.tuple(
    fc.array(vm0, { minLength: 0, maxLength: 1 }),
    fc.array(fromMix(SETUP, excluded), { minLength: 0, maxLength: 4 }),
  ).map(([a, b]) => [...a, ...b]);
  // The body is read back to front: fast-check shrinks an array's length by dropping its *first*
  // elements, so reversed, a length shrink drops the *last* ops — the tail after a failing step,
  // which never matters — and a failure buried in 1,000 ops is cut down in a few halvings.
  return fc.tuple(setup, fc.array(fromMix(mix, excluded), { minLength, maxLength, size: 'max' }))
    .map(([s, b]) => [...s, ...[...b].reverse()]);
};
