/**
 * Where a command writes. Commands never touch process.stdout directly, so tests can run them
 * in-process and capture their output, and a TTY decides only the progress display.
 */
import type { Op } from '../spec/vocab/index.js';

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Rewrite the current terminal line (progress bar); only called when `tty` is true. */
  status(text: string): void;
  readonly tty: boolean;
  /** Aborted on Ctrl-C: a run stops, prints its partial summary and exits 130. */
  readonly signal?: AbortSignal;
  /**
   * Told of every sequence and op before it reaches the target (`gmemcheck vm`'s guest half sends
   * them to the host, so a guest kernel crash still shows the sequence in flight). Optional.
   */
  readonly flight?: FlightRecorder;
}

export interface FlightRecorder {
  /** A fresh target instance: a new sequence under this profile. */
  caseStart(profile: string): void;
  /** The next op, before it is issued. */
  op(op: Op): void;
}

export const processIo = (signal?: AbortSignal): Io => ({
  ...(signal ? { signal } : {}),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  status: (text) => process.stdout.write(`\r\x1b[2K${text}`),
  tty: process.stdout.isTTY === true,
});

/** An Io that records everything (tests). */
export const memoryIo = (signal?: AbortSignal): Io & { readonly stdout: string[]; readonly stderr: string[] } => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), status: () => undefined, tty: false, ...(signal ? { signal } : {}) };
};
