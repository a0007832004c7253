/**
 * Bounded JSON-lines framing. A peer may send anything, so the splitter never holds more than
 * `max` bytes of one line: a longer line yields one 'oversized' frame as soon as it crosses the
 * limit, and everything up to its newline is then dropped without being buffered.
 */
export type Frame = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'oversized'; readonly limit: number };

const NL = 0x0a;

export class LineSplitter {
  private parts: Buffer[] = [];
  private held = 0;
  private discarding = false;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NL, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!this.discarding) this.hold(chunk.subarray(start, end), out);
      if (nl < 0) break;
      if (!this.discarding) out.push({ kind: 'line', text: this.take() });
      this.discarding = false;
      this.parts = [];
      this.held = 0;
      start = nl + 1;
    }
    return out;
  }

  /** Bytes of an unterminated last line (dropped when the stream ends: it was never sent whole). */
  get pending(): number {
    return this.held;
  }

  private hold(piece: Buffer, out: Frame[]): void {
    if (this.held + piece.length > this.max) {
      out.push({ kind: 'oversized', limit: this.max });
      this.discarding = true;
      this.parts = [];
      this.held = 0;
      return;
    }
    if (piece.length > 0) this.parts.push(Buffer.from(piece));
    this.held += piece.length;
  }

  private take(): string {
    const text = Buffer.concat(this.parts).toString('utf8');
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }
}
