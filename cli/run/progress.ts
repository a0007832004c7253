/**
 * Progress while a property runs. On a TTY one status line is redrawn (a bar for --runs, a clock
 * for --time); otherwise, and in KTAP mode, plain lines at most every few seconds so logs stay short.
 */
import type { Io } from '../io.js';

export interface Progress {
  /** A sequence started (one per property run, shrinking included) or an op was applied. */
  sequence(): void;
  op(): void;
  /** A failure was found and is being shrunk; searching() when the search goes on. */
  shrinking(key?: { readonly rule: string; readonly kind: string }): void;
  searching(): void;
  done(): void;
}

const BAR = 24;

/** `unit` names what sequence() counts (the parallel domain counts executions: cases × repeats). */
export const makeProgress = (io: Io, label: string, total: number | undefined, plain: (line: string) => void, now: () => number = Date.now, unit = 'sequences'): Progress => {
  let seqs = 0;
  let ops = 0;
  let shrink: string | undefined;
  let lastPlain = now();
  const started = now();
  const text = (): string => {
    const secs = Math.round((now() - started) / 1000);
    const head = shrink !== undefined ? `shrinking ${shrink}` : total === undefined ? `${seqs} ${unit}` : `${Math.min(seqs, total)}/${total} ${unit}`;
    return `${label} ${head}, ${ops} ops, ${secs}s`;
  };
  const draw = (): void => {
    if (io.tty) {
      const filled = total === undefined || shrink !== undefined ? 0 : Math.round((Math.min(seqs, total) / total) * BAR);
      const bar = total === undefined || shrink !== undefined ? '' : `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] `;
      io.status(`${bar}${text()}`);
    } else if (now() - lastPlain >= 5000) {
      lastPlain = now();
      plain(text());
    }
  };
  return {
    sequence: () => { seqs++; draw(); },
    op: () => { ops++; if (io.tty && ops % 50 === 0) draw(); },
    shrinking: (key) => { shrink = key ? `a failure of ${key.rule} on ${key.kind}` : 'a failure'; draw(); },
    searching: () => { shrink = undefined; draw(); },
    done: () => { if (io.tty) io.status(''); },
  };
};
