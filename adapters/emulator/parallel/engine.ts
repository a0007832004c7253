/**
 * The emulator's parallel engine: branches of ops run as tasks on one Kernel, interleaved by a
 * seeded scheduler (PULSE-style: the interleaving is data, so a failure replays exactly). An op is
 * a generator that yields at the points where the kernel could be preempted or must wait: before
 * it takes locks (./locks.ts), where it deliberately lets others run (`pause`), and while it
 * sleeps on a userfault (`wait`) until the monitor task — the harness's uffd handler, one more
 * task — has resolved it. Ops the kernel does in several steps under different locks are split at
 * those points (./access.ts, ./punch.ts, ./mfill.ts, ./convert.ts); every other op runs in one
 * step once the locks it would take are free (./atomic.ts). With the kernel's locking every run is
 * linearizable; the race bugs (../race-bugs.ts) drop a lock and open a window.
 *
 * Time is the scheduler step: an op starts at the step that entered it and ends at the step that
 * finished it, which gives the linearizability check its real-time order.
 */
import type { Errno, Op, Outcome, UffdResolveHow } from '../../../spec/vocab/index.js';
import type { BranchOptions, BranchRun, TimedOutcome } from '../../../spec/vocab/target.js';
import { TargetBrokenError } from '../../../spec/vocab/errors.js';
import type { Kernel } from '../kernel.js';
import type { Mapping } from '../state.js';
import { Locks, type Lock } from './locks.js';

/** A userfault the monitor has to answer; `result` is the resolve's errno, or null once it succeeded. */
export interface PendingFault {
  readonly m: Mapping;
  readonly mp: number;
  readonly how: UffdResolveHow;
  readonly fill: number;
  /** Events this access raised so far (the native monitor gives up on a page after 8). */
  readonly events: number;
  result?: Errno | null;
  done: boolean;
}

export type Req =
  | { readonly kind: 'acquire'; readonly locks: readonly Lock[] }
  | { readonly kind: 'pause' }
  | { readonly kind: 'wait'; readonly fault: PendingFault }
  /** The monitor with nothing to do. */
  | { readonly kind: 'idle' };

export type OpGen = Generator<Req, Outcome, void>;

/** What an op's code sees of the engine. */
export interface Par {
  readonly k: Kernel;
  readonly task: number;
  release(l: Lock): void;
  releaseAll(): void;
  post(f: Omit<PendingFault, 'done' | 'result'>): PendingFault;
}

export type OpTask = (x: Par, op: Op) => OpGen;
export type MonitorTask = (x: Par, f: PendingFault) => Generator<Req, Errno | null, void>;

interface Task {
  readonly id: number;
  readonly gen: Generator<Req, void, void>;
  pending: Req;
  done: boolean;
}

/** Longest run: far above what 3 branches of 4 ops need; more means an op retries without end. */
const MAX_STEPS = 20_000;

export const runParallel = (
  k: Kernel, branches: readonly (readonly Op[])[], opTask: OpTask, monitor: MonitorTask, o: BranchOptions = {},
): BranchRun => {
  const locks = new Locks();
  const queue: PendingFault[] = [];
  let clock = 0;
  const par = (task: number): Par => ({
    k, task,
    release: (l) => locks.release(l.key, task),
    releaseAll: () => locks.releaseAll(task),
    post: (f) => {
      const p: PendingFault = { ...f, done: false };
      queue.push(p);
      return p;
    },
  });
  const results: TimedOutcome[][] = branches.map(() => []);
  function* branch(b: number, ops: readonly Op[]): Generator<Req, void, void> {
    const x = par(b);
    for (const op of ops) {
      const start = clock;
      const outcome = yield* opTask(x, op);
      x.releaseAll();
      results[b]!.push({ outcome, start, end: clock });
    }
  }
  function* monitorLoop(): Generator<Req, void, void> {
    const x = par(branches.length);
    for (;;) {
      while (queue.length === 0) yield { kind: 'idle' };
      const f = queue.shift()!;
      f.result = yield* monitor(x, f);
      x.releaseAll();
      f.done = true;
    }
  }
  const tasks: Task[] = [
    ...branches.map((ops, b): Task => ({ id: b, gen: branch(b, ops), pending: { kind: 'pause' }, done: false })),
    { id: branches.length, gen: monitorLoop(), pending: { kind: 'idle' }, done: false },
  ];
  const ready = (t: Task): boolean => {
    if (t.done) return false;
    switch (t.pending.kind) {
      case 'pause': return true;
      case 'acquire': return locks.can(t.pending.locks, t.id);
      case 'wait': return t.pending.fault.done;
      case 'idle': return queue.length > 0;
    }
  };
  const schedule: number[] = [];
  let diverged: number | undefined;
  for (let step = 0; tasks.some((t) => !t.done && t.id < branches.length); step++) {
    if (step >= MAX_STEPS) throw new TargetBrokenError(`emulator parallel engine: no end after ${MAX_STEPS} steps (an op retries forever)`);
    const runnable = tasks.filter(ready);
    if (runnable.length === 0) {
      const waiting = tasks.filter((t) => !t.done).map((t) => `task ${t.id}: ${t.pending.kind}${t.pending.kind === 'acquire' ? ` ${t.pending.locks.map((l) => l.key).join(',')}` : ''}`);
      throw new TargetBrokenError(`emulator parallel engine: deadlock (${waiting.join('; ')}; held ${locks.heldKeys().join(',')})`);
    }
    const forced = o.schedule !== undefined && step < o.schedule.length && diverged === undefined ? runnable.find((x) => x.id === o.schedule![step]) : undefined;
    // A recorded interleaving that stops fitting (an emulator with other bugs takes other steps) goes on first-runnable.
    if (o.schedule !== undefined && step < o.schedule.length && diverged === undefined && forced === undefined) diverged = step + 1;
    const t = forced ?? pick(runnable, step, diverged === undefined ? o : {});
    schedule.push(t.id);
    if (t.pending.kind === 'acquire') locks.take(t.pending.locks, t.id);
    clock++;
    const r = t.gen.next();
    if (r.done) t.done = true;
    else t.pending = r.value;
  }
  return { branches: results, schedule, ...(diverged !== undefined ? { diverged } : {}) };
};

const pick = (runnable: readonly Task[], step: number, o: BranchOptions): Task => {
  const c = o.choices !== undefined && step < o.choices.length ? o.choices[step]! : 0;
  return runnable[Math.abs(c) % runnable.length]!;
};
