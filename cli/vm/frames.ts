/**
 * The guest → host protocol of `gmemcheck vm`: one JSON object per line on the virtio-serial
 * control port (QEMU writes it to a host file, ./qemu.ts). The guest half of the command writes
 * its output, progress, the op sequence in flight (so a guest kernel crash still says what was
 * running) and its exit code; the host half validates every line (a malformed one is reported,
 * never trusted) and acts on it. bigints use models/codec.ts's encoding.
 */
import type { Op } from '../../spec/vocab/index.js';
import { OP_KINDS } from '../../spec/vocab/index.js';
import { fromJsonValue } from '../../spec/vocab/codec.js';

export type Frame =
  /** The guest is up: kernel release, seconds since its boot, the KVM module it loaded, its config check. */
  | { readonly t: 'hello'; readonly release: string; readonly uptime: number; readonly kvm: string; readonly missing: readonly string[]; readonly weak: readonly string[] }
  | { readonly t: 'out'; readonly s: string }
  | { readonly t: 'err'; readonly s: string }
  /** A progress line (rewrites the host's status line on a TTY). */
  | { readonly t: 'status'; readonly s: string }
  /** A fresh target instance: a new sequence starts, under this profile. */
  | { readonly t: 'case'; readonly profile: string }
  /** The next op, written before it is issued. */
  | { readonly t: 'op'; readonly op: Op }
  | { readonly t: 'exit'; readonly code: number };

/** bigint → "<decimal>n", models/codec.ts's encoding (a replacer: 8× cheaper than copying the object first). */
const bigints = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v);

export const encodeFrame = (f: Frame): string => `${JSON.stringify(f, bigints)}\n`;

export class FrameError extends Error {
  override name = 'FrameError';
}

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new FrameError(`${what} must be a string`);
  return v;
};
const strs = (v: unknown, what: string): string[] => {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new FrameError(`${what} must be a list of strings`);
  return v as string[];
};

/** One line → a validated Frame (FrameError names what is wrong). */
export const decodeFrame = (line: string): Frame => {
  let v: unknown;
  try {
    v = fromJsonValue(JSON.parse(line));
  } catch (e) {
    throw new FrameError(`not JSON (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FrameError('not an object');
  const o = v as Record<string, unknown>;
  switch (o['t']) {
    case 'hello': {
      const uptime = o['uptime'];
      if (typeof uptime !== 'number' || !Number.isFinite(uptime)) throw new FrameError('hello.uptime must be a number');
      return { t: 'hello', release: str(o['release'], 'hello.release'), uptime, kvm: str(o['kvm'], 'hello.kvm'), missing: strs(o['missing'], 'hello.missing'), weak: strs(o['weak'], 'hello.weak') };
    }
    case 'out': case 'err': case 'status':
      return { t: o['t'], s: str(o['s'], `${o['t']}.s`) };
    case 'case':
      return { t: 'case', profile: str(o['profile'], 'case.profile') };
    case 'op': {
      const op = o['op'] as Record<string, unknown> | null;
      if (typeof op !== 'object' || op === null || !(OP_KINDS as readonly string[]).includes(op['kind'] as string)) throw new FrameError('op.op is not an op');
      return { t: 'op', op: op as unknown as Op };
    }
    case 'exit': {
      const code = o['code'];
      if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 255) throw new FrameError('exit.code must be an integer 0..255');
      return { t: 'exit', code };
    }
    default:
      throw new FrameError(`unknown frame type ${JSON.stringify(o['t'])}`);
  }
};

/** Splits a byte stream into lines; a partial last line waits for more bytes. Lines are bounded. */
export class LineSplitter {
  private rest = '';
  constructor(private readonly maxLine = 16 << 20) {}

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    if (this.rest.length > this.maxLine) throw new FrameError(`a line longer than ${this.maxLine} bytes`);
    return lines;
  }

  /** What is left without a newline (at the end of the stream). */
  flush(): string {
    const r = this.rest;
    this.rest = '';
    return r;
  }
}

/** The sequence that was running when the guest stopped: the ops of the last `case` so far. */
export class Flight {
  profile: string | undefined;
  ops: Op[] = [];
  cases = 0;
  opsTotal = 0;

  see(f: Frame): void {
    if (f.t === 'case') {
      this.profile = f.profile;
      this.ops = [];
      this.cases++;
    } else if (f.t === 'op') {
      this.ops.push(f.op);
      this.opsTotal++;
    }
  }
}
