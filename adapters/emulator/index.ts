/**
 * The emulator target: an independent, concrete model of how a kernel implements guest_memfd,
 * driven by a Profile (features + answers to the open questions of docs/rules.md) and a seed. Kernel errors come back
 * as Outcome values; only harness bugs throw (spec/vocab/errors.ts).
 */
import { match, P } from 'ts-pattern';
import type { Op, Outcome, Profile } from '../../spec/vocab/index.js';
import { handledBy, kindTable } from '../../spec/vocab/dispatch.js';
import type { ProbeResult, Target } from '../../spec/vocab/target.js';
import { BadOpError } from '../../spec/vocab/errors.js';
import { BUGS } from './bugs.js';
import { Kernel } from './kernel.js';
import { probeProfile } from './probe.js';
import { access } from './ops/access.js';
import * as convert from './ops/convert.js';
import * as create from './ops/create.js';
import * as fallocate from './ops/fallocate.js';
import * as fd from './ops/fd.js';
import * as fileio from './ops/fileio.js';
import * as guest from './ops/guest.js';
import * as gup from './ops/gup.js';
import * as madvise from './ops/madvise.js';
import * as mempolicy from './ops/mempolicy.js';
import * as memslot from './ops/memslot.js';
import * as mmap from './ops/mmap.js';
import * as uffd from './ops/uffd.js';
import * as vm from './ops/vm.js';

export { BUGS } from './bugs.js';
export type { BugId, BugInfo } from './bugs.js';

export interface EmulatorOptions {
  readonly profile: Profile;
  readonly seed: number;
  readonly bugs?: readonly string[];
}

/**
 * Dispatch: one handler per op kind. Each ops/*.ts module exports its handlers under their op
 * kinds' names; the table is built once by an exhaustive ts-pattern match with one arm per module
 * (spec/vocab/dispatch.ts), so a kind no module handles does not compile and apply() pays one
 * lookup per op (a match per op was measured at 2–6 µs, which alone would cap the emulator below
 * its 100k ops/s target).
 */
type AnyHandler = (k: Kernel, op: Op) => Outcome;
const accesses = { load: access, store: access };

const HANDLERS = kindTable((kind) =>
  match(kind)
    .with(P.when(handledBy(vm)), (n) => vm[n] as AnyHandler)
    .with(P.when(handledBy(create)), (n) => create[n] as AnyHandler)
    .with(P.when(handledBy(fd)), (n) => fd[n] as AnyHandler)
    .with(P.when(handledBy(fileio)), (n) => fileio[n] as AnyHandler)
    .with(P.when(handledBy(fallocate)), (n) => fallocate[n] as AnyHandler)
    .with(P.when(handledBy(mmap)), (n) => mmap[n] as AnyHandler)
    .with(P.when(handledBy(madvise)), (n) => madvise[n] as AnyHandler)
    .with(P.when(handledBy(gup)), (n) => gup[n] as AnyHandler)
    .with(P.when(handledBy(memslot)), (n) => memslot[n] as AnyHandler)
    .with(P.when(handledBy(mempolicy)), (n) => mempolicy[n] as AnyHandler)
    .with(P.when(handledBy(uffd)), (n) => uffd[n] as AnyHandler)
    .with(P.when(handledBy(convert)), (n) => convert[n] as AnyHandler)
    .with(P.when(handledBy(guest)), (n) => guest[n] as AnyHandler)
    .with(P.when(handledBy(accesses)), (n) => accesses[n] as AnyHandler)
    .exhaustive());

export const step = (k: Kernel, op: Op): Outcome => HANDLERS[op.kind](k, op);

export const createEmulator = (opts: EmulatorOptions): Target => {
  const known = new Set<string>(BUGS.map((b) => b.id));
  for (const b of opts.bugs ?? []) if (!known.has(b)) throw new BadOpError(`unknown emulator bug '${b}'`);
  let k = new Kernel(opts.profile, opts.seed, opts.bugs ?? []);
  return {
    name: 'emulator',
    probe: async (): Promise<ProbeResult> => {
      const scratch = new Kernel(opts.profile, opts.seed, opts.bugs ?? []);
      return probeProfile(opts.profile, (op) => step(scratch, op));
    },
    apply: async (op: Op): Promise<Outcome> => step(k, op),
    close: async (): Promise<void> => {
      k = new Kernel(opts.profile, opts.seed, opts.bugs ?? []);
    },
  };
};
