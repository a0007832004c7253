/**
 * The sequence arbitrary: a short setup (a VM, files, mappings) followed by a body drawn from a mix.
 * Both parts shrink independently, so a counterexample keeps only the steps it needs.
 */
import fc from 'fast-check';
import { PROT, type OpKind } from '../../spec/vocab/index.js';
import { drawableKinds, type Mix } from './mixes.js';
import { template, type Template } from './template.js';
import { derivedTemplates } from './derived.js';
import { fileTemplates } from './templates/files.js';
import { fdTemplates } from './templates/fdcalls.js';
import { fdTemplates2 } from './templates/fdcalls2.js';
import { mapTemplates } from './templates/maps.js';
import { procobsTemplates } from './templates/procobs.js';
import { mapExTemplates } from './templates/mapex.js';
import { mmrangeTemplates } from './templates/mmrange.js';
import { mremapTemplates } from './templates/mremap.js';
import { mprotTemplates } from './templates/mprot.js';
import { childTemplates } from './templates/child.js';
import { uffdMoveTemplates } from './templates/uffd-move.js';
import { uffdwpTemplates } from './templates/uffdwp.js';
import { uffdscanTemplates } from './templates/uffdscan.js';
import { convcopyTemplates } from './templates/convcopy.js';
import { slotTemplates } from './templates/slots.js';
import { policyTemplates } from './templates/policy.js';
import { vcpuTemplates } from './templates/vcpu.js';
import { kvmfdTemplates } from './templates/kvmfd.js';
import { kstatsTemplates } from './templates/kstats.js';
import { numaTemplates } from './templates/numa.js';
import { homeslotTemplates } from './templates/homeslot.js';
import { spanTemplates } from './templates/span.js';

/**
 * One template per op kind: the hand-written one where a domain needs aim, else the one derived
 * from the op's declaration (./derived.ts), so a newly declared op is generated at once.
 */
export const ALL_TEMPLATES: { readonly [K in OpKind]: fc.Arbitrary<Template> } = {
  ...derivedTemplates(), ...fileTemplates, ...mapTemplates, ...mapExTemplates, ...slotTemplates, ...policyTemplates, ...fdTemplates, ...vcpuTemplates, ...fdTemplates2, ...childTemplates, ...uffdMoveTemplates, ...mmrangeTemplates, ...kvmfdTemplates, ...numaTemplates, ...procobsTemplates, ...uffdwpTemplates, ...homeslotTemplates, ...mprotTemplates, ...kstatsTemplates, ...uffdscanTemplates, ...convcopyTemplates, ...mremapTemplates, ...spanTemplates,
};

const fromMix = (mix: Mix, excluded: ReadonlySet<OpKind>): fc.Arbitrary<Template> => {
  const kinds = drawableKinds(mix, excluded);
  if (kinds.length === 0) throw new Error('empty op mix after exclusions');
  return fc.oneof(
    ...kinds.map((k) => {
      const arbitrary = ALL_TEMPLATES[k];
      return { weight: mix[k] ?? 0, arbitrary };
    }),
  );
};

const SETUP: Mix = { createVm: 2, createGmem: 3, createMemfd: 1, mmap: 3 };

/**
 * The usual VMM prologue: a small guest_memfd with every flag the profile advertises, then a
 * shared read-write mapping of all of it. Random creation requests mostly exercise refusals
 * (edge sizes, flag subsets), so without this prologue only about one mmap in five succeeded and
 * one access in twenty reached a page; bugs that need two ops to meet on a page went unseen.
 * Each part is optional and shrinks away when a counterexample does not need it.
 */
const canonicalGmem = fc.integer({ min: 1, max: 4 }).map((pages) => template('createGmem', (c) => ({
  kind: 'createGmem', vm: Math.max(c.vms - 1, 0), id: c.fds.length, size: BigInt(pages) * 4096n, flags: c.gmemFlags, reserved: [0n, 0n, 0n, 0n, 0n, 0n],
})));
const canonicalMmap = fc.constant(template('mmap', (c) => {
  const fd = Math.max(c.fds.length - 1, 0);
  return { kind: 'mmap', fd, id: c.maps.length, offset: 0n, length: c.fds[fd]?.size ?? 4096n, prot: BigInt(PROT.READ | PROT.WRITE), shared: true };
}));

export interface SequenceOptions {
  readonly mix: Mix;
  readonly maxLength: number;
  /** Shortest body (benchmarks bury failures in long sequences). */
  readonly minLength?: number;
  /** Op kinds the target cannot issue (reported as skips, never generated). */
  readonly excluded?: ReadonlySet<OpKind>;
}

export const sequenceArb = ({ mix, maxLength, minLength = 0, excluded = new Set() }: SequenceOptions): fc.Arbitrary<Template[]> => {
  // Setup mostly starts with a VM of a type the profile supports (type 0 first, the one shrinking
  // prefers), so most sequences reach the interesting states quickly.
  const vm0 = fc.nat().map((k) => template('createVm', (c) => ({ kind: 'createVm', id: c.vms, type: BigInt(c.vmTypes[k % c.vmTypes.length] ?? 0) })));
  const present = <T>(a: fc.Arbitrary<T>) => fc.option(a, { freq: 5, nil: undefined });
  const setup = fc.tuple(
    excluded.has('createVm') ? fc.constant(undefined) : present(vm0),
    excluded.has('createGmem') ? fc.constant(undefined) : present(canonicalGmem),
    excluded.has('mmap') ? fc.constant(undefined) : present(canonicalMmap),
    fc.array(fromMix(SETUP, excluded), { minLength: 0, maxLength: 3 }),
  ).map(([v, g, m, b]) => [...(v ? [v] : []), ...(g ? [g] : []), ...(m ? [m] : []), ...b]);
  // The body is read back to front: fast-check shrinks an array's length by dropping its *first*
  // elements, so reversed, a length shrink drops the *last* ops — the tail after a failing step,
  // which never matters — and a failure buried in 1,000 ops is cut down in a few halvings.
  return fc.tuple(setup, fc.array(fromMix(mix, excluded), { minLength, maxLength, size: 'max' }))
    .map(([s, b]) => [...s, ...[...b].reverse()]);
};
