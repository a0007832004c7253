/** What the host half of `gmemcheck vm` tells the guest half (job.json in the initramfs). */

export interface Job {
  /** The gmemcheck command to run in the guest, e.g. ["run", "--time", "120"]. */
  readonly argv: readonly string[];
  /** The host working directory; the guest mounts it read-write at the same path and runs there. */
  readonly cwd: string;
  /** Is the host's stdout a terminal (the guest then draws progress bars)? */
  readonly tty: boolean;
  /** Test hook: crash the guest kernel after this many ops (cli/vm/guest-main.ts crashAfter). */
  readonly crashAfterOps?: number;
}

export class JobError extends Error {
  override name = 'JobError';
}

export const parseJob = (text: string): Job => {
  const v = JSON.parse(text) as Partial<Job>;
  if (!Array.isArray(v.argv) || !v.argv.every((a) => typeof a === 'string')) throw new JobError('job.argv must be a list of strings');
  if (typeof v.cwd !== 'string' || !v.cwd.startsWith('/')) throw new JobError('job.cwd must be an absolute path');
  if (typeof v.tty !== 'boolean') throw new JobError('job.tty must be a boolean');
  const n = v.crashAfterOps;
  if (n !== undefined && !(Number.isSafeInteger(n) && n > 0)) throw new JobError('job.crashAfterOps must be a positive integer');
  return { argv: v.argv, cwd: v.cwd, tty: v.tty, ...(n !== undefined ? { crashAfterOps: n } : {}) };
};
