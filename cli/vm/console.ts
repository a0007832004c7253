/**
 * Reading the guest's serial console: the init's "gmemcheck-init:" lines (stages, errors, the exit
 * status) and kernel reports that make a run a finding: an oops, a BUG, a WARN, a panic, a
 * lockup, a sanitizer report. Pure functions over lines, tested on recorded console logs.
 */
import { INIT_TAG } from './init-script.js';

/** "[   12.345678] text" → "text" (CONFIG_PRINTK_TIME), also with a "[  T123]" caller id. */
export const stripTimestamp = (line: string): string => line.replace(/^\s*\[\s*\d+\.\d+\]\s*(\[\s*[TC]\d+\]\s*)?/, '').replace(/\r$/, '');

const KERNEL_REPORTS: readonly RegExp[] = [
  /^Oops: /,
  /^BUG: /,
  /^kernel BUG at /,
  /^WARNING: CPU: \d+ PID: \d+ at /,
  /^WARNING: .* at .*\+0x/,
  /^Kernel panic - not syncing/,
  /^general protection fault/,
  /^Unable to handle kernel/,
  /^watchdog: BUG: soft lockup/,
  /^rcu: INFO: rcu_(sched|preempt) (self-)?detected stall/,
  /^INFO: task .* blocked for more than \d+ seconds/,
  /^UBSAN: /,
  /^(KASAN|KFENCE|KMSAN): /,
  /^list_(add|del) corruption/,
  /^refcount_t: /,
];

/** The kernel report a console line starts, or undefined. */
export const kernelReport = (line: string): string | undefined => {
  const l = stripTimestamp(line);
  return KERNEL_REPORTS.some((re) => re.test(l)) ? l : undefined;
};

export type InitEvent =
  | { readonly kind: 'stage'; readonly stage: string; readonly uptime?: number }
  | { readonly kind: 'kvm'; readonly module: string }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'warning'; readonly message: string }
  | { readonly kind: 'exit'; readonly code: number };

export const initEvent = (line: string): InitEvent | undefined => {
  const l = stripTimestamp(line);
  if (!l.startsWith(INIT_TAG)) return undefined;
  const rest = l.slice(INIT_TAG.length).trim();
  let m: RegExpExecArray | null;
  if ((m = /^stage (\S+)(?: (\d+(?:\.\d+)?))?$/.exec(rest))) return { kind: 'stage', stage: m[1]!, ...(m[2] ? { uptime: Number(m[2]) } : {}) };
  if ((m = /^kvm (\S+)$/.exec(rest))) return { kind: 'kvm', module: m[1]! };
  if ((m = /^error: (.*)$/.exec(rest))) return { kind: 'error', message: m[1]! };
  if ((m = /^warning: (.*)$/.exec(rest))) return { kind: 'warning', message: m[1]! };
  if ((m = /^exit (\d+)$/.exec(rest))) return { kind: 'exit', code: Number(m[1]) };
  return undefined;
};

/** The first kernel report in a whole console log, with the lines that follow it (its trace). */
export const firstReport = (log: string, context = 60): { readonly title: string; readonly excerpt: string } | undefined => {
  const lines = log.split('\n');
  const i = lines.findIndex((l) => kernelReport(l) !== undefined);
  if (i < 0) return undefined;
  // A WARN or BUG is usually preceded by "------------[ cut here ]------------".
  const start = i > 0 && /cut here/.test(lines[i - 1]!) ? i - 1 : i;
  return { title: kernelReport(lines[i]!)!, excerpt: lines.slice(start, i + context).join('\n') };
};
