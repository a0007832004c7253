/**
 * The emulated kernel instance: the profile, the seeded RNG, the enabled bugs and every object
 * table. All state lives here (no module-level state); handles are the op vocabulary's creation ids.
 */
import seedrandom from 'seedrandom';
import type { Profile } from '../../spec/vocab/index.js';
import { BadOpError } from '../../spec/vocab/errors.js';
import { RangeMap } from './rangemap.js';
import type { Inode, Mapping, OpenFile, Pin, Policy, Uffd, Vcpu, Vm } from './state.js';
import type { BugId } from './bugs.js';
import type { RaceBugId } from './race-bugs.js';

export class Kernel {
  readonly rng: seedrandom.PRNG;
  readonly fds = new Map<number, OpenFile>();
  readonly maps = new Map<number, Mapping>();
  readonly vms = new Map<number, Vm>();
  readonly uffds = new Map<number, Uffd>();
  readonly pins = new Map<number, Pin>();
  readonly vcpus = new Map<number, Vcpu>();
  /** set_mempolicy(2) of the one calling task. */
  taskPolicy: Policy | null = null;
  /** Per-task interleave cursor (il_prev). */
  ilPrev = 0;
  /** Loop iterations spent on page ranges (for the scale test: work must not follow file size). */
  work = 0;
  private nextIno = 1000;
  private readonly bugs: ReadonlySet<string>;

  constructor(readonly profile: Profile, seed: number, bugs: readonly string[]) {
    this.rng = seedrandom(String(seed));
    this.bugs = new Set(bugs);
  }

  bug(id: BugId | RaceBugId): boolean {
    return this.bugs.has(id);
  }

  newInode(kind: Inode['kind'], size: bigint, flags: bigint, vm: Vm | null): Inode {
    return {
      ino: this.nextIno++, kind, size, flags, vm, folios: new Map(), alloc: new RangeMap(), attrs: new RangeMap(),
      sharedPolicy: new RangeMap(), bindings: [], maps: new Set(), refs: 0, released: false, collapsed: new Set(), pos: 0n,
    };
  }

  /** Registers a creation under its handle; a reused live handle is a generator bug. */
  claim<T>(table: Map<number, T>, id: number, value: T, what: string): void {
    if (table.has(id)) throw new BadOpError(`${what} handle ${id} created twice`);
    table.set(id, value);
  }

  liveVm(id: number): Vm | undefined {
    const vm = this.vms.get(id);
    return vm && vm.fdOpen ? vm : undefined;
  }

  liveMap(id: number): Mapping | undefined {
    const m = this.maps.get(id);
    return m && m.alive ? m : undefined;
  }
}
