/**
 * Progress while a property runs. On a TTY one status line is redrawn (a bar for --runs, a clock
 * for --time); otherwise, and in KTAP mode, plain lines at most every few seconds so logs stay short.
 */
import type { Io } from '../io.js';

export interface Progress {
  /** A sequence started (one per property run, shrinking included) or an op was applied. */
  sequence(): void;
  op(): void;
  shrinking(): void;
  done(): void;
}

const BAR = 24;

export const makeProgress = (io: Io, label: string, total: number | undefined, plain: (line: string) => void, now: () => number = Date.now): Progress => {
  let seqs = 0;
  let ops = 0;
  let shrink = false;
  let lastPlain = now();
  const started = now();
  const text = (): string => {
    const secs = Math.round((now() - started) / 1000);
    const head = shrink ? 'shrinking a failure' : total === undefined ? `${seqs} sequences` : `${Math.min(seqs, total)}/${total} sequences`;
    return `${label} ${head}, ${ops} ops, ${secs}s`;
  };
  const draw = (): void => {
    if (io.tty) {
      const filled = total === undefined || shrink ? 0 : Math.round((Math.min(seqs, total) / total) * BAR);
      const bar = total === undefined || shrink ? '' : `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] `;
      io.status(`${bar}${text()}`);
    } else if (now() - lastPlain >= 5000) {
      lastPlain = now();
      plain(text());
    }
  };
  return {
    sequence: () => { seqs++; draw(); },
    op: () => { ops++; if (io.tty && ops % 50 === 0) draw(); },
    shrinking: () => { shrink = true; draw(); },
    done: () => { if (io.tty) io.status(''); },
  };
};
