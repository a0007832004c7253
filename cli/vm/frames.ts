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

/** Object keys as JSON (quoted, escaped, with the colon), made once per key. */
const KEYS = new Map<string, string>();
const key = (k: string): string => {
  let q = KEYS.get(k);
  if (q === undefined) {
    q = `${JSON.stringify(k)}:`;
    if (KEYS.size < 4096) KEYS.set(k, q);
  }
  return q;
};

/**
 * JSON.stringify with bigints as "<decimal>n" (spec/vocab/codec.ts's encoding), written out by
 * hand: the guest encodes every op before issuing it (the flight recorder), and under TCG
 * JSON.stringify with a replacer cost about 2.5× this per op. Same output as
 * `JSON.stringify(v, (k, x) => typeof x === 'bigint' ? `${x}n` : x)` for the plain data frames
 * carry (no toJSON, no cycles); test/unit/vm/frames.test.ts checks it on generated ops.
 */
export const toJson = (v: unknown): string => {
  switch (typeof v) {
    case 'bigint':
      return `"${v}n"`;
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          s += `${i ? ',' : ''}${x === undefined || typeof x === 'function' || typeof x === 'symbol' ? 'null' : toJson(x)}`;
        }
        return `${s}]`;
      }
      let s = '{';
      let first = true;
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        const x: unknown = (v as Record<string, unknown>)[k];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        s += `${first ? '' : ','}${key(k)}${toJson(x)}`;
        first = false;
      }
      return `${s}}`;
    }
    default:
      return 'null';
  }
};

export const encodeFrame = (f: Frame): string => `${toJson(f)}\n`;

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
