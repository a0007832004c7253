/**
 * Resource limits for what an authenticated client may make the agent hold (issue 12: one client
 * took 3 GB through fallocate/POPULATE, 4,225 fds and 3,000 VMs before a watchdog killed it). Each
 * target is wrapped: its live VMs, fds and maps are counted from the ops and their outcomes, and an
 * op that would pass a limit is refused before it runs (AgentLimitError, code 'limit'). Bytes an op
 * may populate are charged to the target and to one budget for the whole agent, released when the
 * target closes (the kernel then frees them). Defaults sit far above what the suite's generators
 * use on a real kernel (models/generate/context.ts NATIVE_LIMITS: 64 pages per allocating op).
 */
import os from 'node:os';
import type { Op, Outcome } from '../../../spec/vocab/index.js';
import type { Target } from '../../target.js';
import { AgentLimitError } from '../errors.js';

export interface SessionLimits {
  /** Targets one connection may hold open at once. */
  readonly targets: number;
  /** Live VMs, fds (uffds included) and mappings per target. */
  readonly vms: number;
  readonly fds: number;
  readonly maps: number;
  /** Bytes one target's ops may populate (fallocate, MADV_POPULATE, writes, uffd fills, touches). */
  readonly populateBytes: bigint;
  /** Ops one connection may run per second (excess waits: backpressure, not an error). */
  readonly opsPerSecond: number;
}

export const DEFAULT_LIMITS: SessionLimits = {
  targets: 8, vms: 32, fds: 256, maps: 512, populateBytes: 256n << 20n, opsPerSecond: 20_000,
};

/** The agent-wide cap on populated bytes: a quarter of this machine's memory, at most 4 GiB. */
export const defaultAgentBudget = (): bigint => {
  const quarter = BigInt(Math.floor(os.totalmem() / 4));
  return quarter < 4n << 30n ? quarter : 4n << 30n;
};

/** Bytes shared by every session of one agent. */
export class PopulateBudget {
  private used = 0n;
  constructor(readonly total: bigint) {}
  charge(n: bigint): boolean {
    if (this.used + n > this.total) return false;
    this.used += n;
    return true;
  }
  release(n: bigint): void {
    this.used = this.used > n ? this.used - n : 0n;
  }
  get inUse(): bigint {
    return this.used;
  }
}

const PAGE = 4096n;
const LOFF_MAX = (1n << 63n) - 1n;
const MAX_OP_BUFFER = 64n << 20n;
/** FALLOC_FL_PUNCH_HOLE (include/uapi/linux/falloc.h): frees, never allocates. */
const PUNCH_HOLE = 0x02;

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/**
 * Most bytes the op can make the kernel allocate, bounded by what it can reach: a fallocate by its
 * loff_t range (a negative or overflowing one is EINVAL/EFBIG), a populate or fill by its map.
 */
const populates = (op: Op, mapLen: (h: number) => bigint): bigint => {
  switch (op.kind) {
    case 'fallocate': {
      if ((op.mode & PUNCH_HOLE) !== 0) return 0n;
      const off = BigInt.asIntN(64, op.offset);
      const len = BigInt.asIntN(64, op.len);
      return off >= 0n && len > 0n && off <= LOFF_MAX - len ? len : 0n;
    }
    case 'madvise':
      return op.advice === 'POPULATE_READ' || op.advice === 'POPULATE_WRITE' ? min(u64(op.length), mapLen(op.map)) : 0n;
    case 'uffdResolve': return min(min(u64(op.length), mapLen(op.map)), MAX_OP_BUFFER);
    case 'fileIo': return op.call === 'write' || op.call === 'pwrite' ? BigInt(op.len) : 0n;
    case 'kernelAccess': return op.call === 'process_vm_writev' ? BigInt(op.len) : 0n;
    case 'load': case 'store': return PAGE;
    default: return 0n;
  }
};

/** A target with its resources counted and capped. */
export interface LimitedTarget extends Target {
  /** The backend's own target (what the backend abandons after a timeout). */
  readonly inner: Target;
  /** Gives this target's share of the agent budget back (close() does it too). */
  release(): void;
}

/** `t` with its resources counted and capped; `close` releases its share of the agent budget. */
export const limitedTarget = (t: Target, l: SessionLimits, budget: PopulateBudget): LimitedTarget => {
  const vms = new Set<number>();
  const fds = new Set<number>();
  const maps = new Map<number, bigint>();
  const charged = { bytes: 0n };
  const refuse = (what: string): never => {
    throw new AgentLimitError(`agent limit: ${what}; the op was not run`);
  };
  const before = (op: Op): bigint => {
    if (op.kind === 'createVm' && !vms.has(op.id) && vms.size >= l.vms) refuse(`at most ${l.vms} VMs per target (agent --max-vms)`);
    const newFd = op.kind === 'createGmem' || op.kind === 'createMemfd' || op.kind === 'dup' || op.kind === 'uffdCreate';
    if (newFd && fds.size >= l.fds) refuse(`at most ${l.fds} fds per target (agent --max-fds)`);
    if (op.kind === 'mmap' && maps.size >= l.maps) refuse(`at most ${l.maps} mappings per target (agent --max-maps)`);
    const bytes = populates(op, (h) => maps.get(h) ?? 0n);
    if (charged.bytes + bytes > l.populateBytes) refuse(`at most ${l.populateBytes >> 20n} MiB populated per target (agent --max-populate-mib)`);
    if (!budget.charge(bytes)) refuse(`the agent's memory budget (${budget.total >> 20n} MiB for all sessions) is in use`);
    charged.bytes += bytes;
    return bytes;
  };
  // uffd handles live in their own namespace: offset them so they never collide with fd handles.
  const UFFD = 1 << 30;
  const after = (op: Op, o: Outcome): void => {
    if (o.kind !== 'ok') return;
    switch (op.kind) {
      case 'createVm': vms.add(op.id); break;
      case 'closeVm': vms.delete(op.vm); break;
      case 'createGmem': case 'createMemfd': case 'dup': fds.add(op.id); break;
      case 'uffdCreate': fds.add(UFFD + op.id); break;
      case 'close': fds.delete(op.fd); break;
      case 'mmap': maps.set(op.id, u64(op.length)); break;
      case 'munmap': maps.delete(op.map); break;
      default: break;
    }
  };
  const release = (): void => {
    budget.release(charged.bytes);
    charged.bytes = 0n;
  };
  return {
    name: t.name,
    inner: t,
    release,
    probe: () => t.probe(),
    apply: async (op) => {
      before(op);
      const o = await t.apply(op);
      after(op, o);
      return o;
    },
    close: async () => {
      release();
      await t.close();
    },
  };
};

/** Ops per second for one connection: a token bucket of one second's worth; an empty one waits. */
export class RateLimit {
  private tokens: number;
  private last = Date.now();
  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }
  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) * this.perSecond) / 1000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) * 1000) / this.perSecond)));
    }
  }
}
