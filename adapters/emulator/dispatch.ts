/** The sequential dispatch: one handler per op kind, each running an op to completion on a Kernel. */
import { match, P } from 'ts-pattern';
import type { Op, Outcome } from '../../spec/vocab/index.js';
import { handledBy, kindTable } from '../../spec/vocab/dispatch.js';
import type { Kernel } from './kernel.js';
import { access } from './ops/access.js';
import * as convert from './ops/convert.js';
import * as create from './ops/create.js';
import * as fallocate from './ops/fallocate.js';
import * as fd from './ops/fd.js';
import * as fdcalls from './ops/fdcalls.js';
import * as fdcalls2 from './ops/fdcalls2.js';
import * as fileio from './ops/fileio.js';
import * as guest from './ops/guest.js';
import * as gup from './ops/gup.js';
import * as madvise from './ops/madvise.js';
import * as mempolicy from './ops/mempolicy.js';
import * as memslot from './ops/memslot.js';
import * as mmap from './ops/mmap.js';
import * as mapex from './ops/mapex.js';
import * as pin from './ops/pin.js';
import * as mlock from './ops/mlock.js';
import * as observe from './ops/observe.js';
import * as procobs from './ops/procobs.js';
import * as uffd from './ops/uffd.js';
import * as uffdwp from './ops/uffdwp.js';
import * as uffdscan from './ops/uffdscan.js';
import * as vm from './ops/vm.js';
import * as vcpu from './ops/vcpu.js';
import * as child from './ops/child.js';
import * as mremap from './ops/mremap.js';
import * as mmrange from './ops/mmrange.js';
import * as mprot from './ops/mprot.js';
import * as kvmfd from './ops/kvmfd.js';
import * as kstats from './ops/kstats.js';
import * as numa from './ops/numa.js';
import * as homeslot from './ops/homeslot.js';
import * as convcopy from './ops/convcopy.js';
import * as span from './ops/span.js';

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
    .with(P.when(handledBy(mapex)), (n) => mapex[n] as AnyHandler)
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
    .with(P.when(handledBy(uffdwp)), (n) => uffdwp[n] as AnyHandler)
    .with(P.when(handledBy(convert)), (n) => convert[n] as AnyHandler)
    .with(P.when(handledBy(guest)), (n) => guest[n] as AnyHandler)
    .with(P.when(handledBy(accesses)), (n) => accesses[n] as AnyHandler)
    .with(P.when(handledBy(vcpu)), (n) => vcpu[n] as AnyHandler)
    .with(P.when(handledBy(fdcalls)), (n) => fdcalls[n] as AnyHandler)
    .with(P.when(handledBy(fdcalls2)), (n) => fdcalls2[n] as AnyHandler)
    .with(P.when(handledBy(pin)), (n) => pin[n] as AnyHandler)
    .with(P.when(handledBy(mlock)), (n) => mlock[n] as AnyHandler)
    .with(P.when(handledBy(child)), (n) => child[n] as AnyHandler)
    .with(P.when(handledBy(observe)), (n) => observe[n] as AnyHandler)
    .with(P.when(handledBy(mremap)), (n) => mremap[n] as AnyHandler)
    .with(P.when(handledBy(mmrange)), (n) => mmrange[n] as AnyHandler)
    .with(P.when(handledBy(mprot)), (n) => mprot[n] as AnyHandler)
    .with(P.when(handledBy(kvmfd)), (n) => kvmfd[n] as AnyHandler)
    .with(P.when(handledBy(kstats)), (n) => kstats[n] as AnyHandler)
    .with(P.when(handledBy(numa)), (n) => numa[n] as AnyHandler)
    .with(P.when(handledBy(procobs)), (n) => procobs[n] as AnyHandler)
    .with(P.when(handledBy(homeslot)), (n) => homeslot[n] as AnyHandler)
    .with(P.when(handledBy(uffdscan)), (n) => uffdscan[n] as AnyHandler)
    .with(P.when(handledBy(convcopy)), (n) => convcopy[n] as AnyHandler)
    .with(P.when(handledBy(span)), (n) => span[n] as AnyHandler)
    .exhaustive());

export const step = (k: Kernel, op: Op): Outcome => HANDLERS[op.kind](k, op);
