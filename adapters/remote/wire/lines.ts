/**
 * Bounded JSON-lines framing. A peer may send anything, so the splitter never holds more than
 * `max` bytes of one line: a longer line yields one 'oversized' frame as soon as it crosses the
 * limit, and everything up to its newline is then dropped without being buffered.
 *
 * `max` may be a function: the agent reads at most PREAUTH_MAX_BYTES per line until the peer has
 * authenticated. `frames()` is lazy, so a limit that changes after one line (auth succeeded)
 * applies to the very next line of the same chunk.
 */
export type Frame = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'oversized'; readonly limit: number };

const NL = 0x0a;

export class LineSplitter {
  private parts: Buffer[] = [];
  private held = 0;
  private discarding = false;
  private readonly limit: () => number;

  constructor(max: number | (() => number)) {
    this.limit = typeof max === 'number' ? () => max : max;
  }

  push(chunk: Buffer): Frame[] {
    return [...this.frames(chunk)];
  }

  /** The frames of `chunk`, produced one at a time as the caller consumes them. */
  *frames(chunk: Buffer): Generator<Frame> {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NL, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!this.discarding) {
        const over = this.hold(chunk.subarray(start, end));
        if (over !== undefined) yield over;
      }
      if (nl < 0) break;
      const line = this.discarding ? undefined : this.take();
      this.discarding = false;
      this.parts = [];
      this.held = 0;
      start = nl + 1;
      if (line !== undefined) yield { kind: 'line', text: line };
    }
  }

  /** Bytes of an unterminated last line (dropped when the stream ends: it was never sent whole). */
  get pending(): number {
    return this.held;
  }

  private hold(piece: Buffer): Frame | undefined {
    const max = this.limit();
    if (this.held + piece.length > max) {
      this.discarding = true;
      this.parts = [];
      this.held = 0;
      return { kind: 'oversized', limit: max };
    }
    if (piece.length > 0) this.parts.push(Buffer.from(piece));
    this.held += piece.length;
    return undefined;
  }

  private take(): string {
    const text = Buffer.concat(this.parts).toString('utf8');
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }
}
