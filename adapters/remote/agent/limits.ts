/**
 * What one agent connection may make the agent hold (issue 12, defect 8): its targets are limited
 * with adapters/limits.ts (objects and bytes per target, plus one byte budget for the whole agent,
 * released when a target closes), and on top of that per connection: open targets and ops per
 * second. Defaults sit far above what the suite's generators use on a real kernel
 * (models/generate/context.ts NATIVE_LIMITS: 64 pages per allocating op).
 */
import os from 'node:os';
import type { TargetLimits } from '../../limits.js';

export interface SessionLimits extends TargetLimits {
  /** Targets one connection may hold open at once. */
  readonly targets: number;
  /** Ops one connection may run per second (excess waits: backpressure, not an error). */
  readonly opsPerSecond: number;
}

export const DEFAULT_LIMITS: SessionLimits = {
  targets: 8, vms: 32, fds: 256, maps: 512, populateBytes: 256n << 20n, opsPerSecond: 20_000,
};

/** The agent flag behind each per-target limit, for refusal messages. */
export const LIMIT_FLAGS = {
  vms: 'agent --max-vms', fds: 'agent --max-fds', maps: 'agent --max-maps', populateBytes: 'agent --max-populate-mib',
} as const;

/** The agent-wide cap on populated bytes: a quarter of this machine's memory, at most 4 GiB. */
export const defaultAgentBudget = (): bigint => {
  const quarter = BigInt(Math.floor(os.totalmem() / 4));
  return quarter < 4n << 30n ? quarter : 4n << 30n;
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
