/** A raw protocol peer for the fuzz tests: writes arbitrary lines, collects the response lines. */
import net from 'node:net';
import { parse, stringify } from '../../../../spec/vocab/codec.js';
import { LineSplitter } from '../../../../adapters/remote/wire/lines.js';
import { agentProof, clientProof, newNonce } from '../../../../adapters/remote/auth.js';

export class RawPeer {
  private readonly replies: unknown[] = [];
  private waiter: (() => void) | undefined;
  private closed = false;

  private constructor(private readonly s: net.Socket) {
    const split = new LineSplitter(1 << 20);
    s.on('data', (d: Buffer) => {
      for (const f of split.push(d)) if (f.kind === 'line') this.replies.push(parse(f.text));
      this.waiter?.();
    });
    s.on('close', () => { this.closed = true; this.waiter?.(); });
    s.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => resolve(new RawPeer(s)));
      s.once('error', reject);
    });
  }

  /** Sends lines (each must be free of '\n') and waits for as many replies. */
  async exchange(lines: readonly string[], timeoutMs = 20_000): Promise<unknown[]> {
    const start = this.replies.length;
    this.s.write(lines.map((l) => `${l}\n`).join(''));
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < start + lines.length && !this.closed && Date.now() < deadline) {
      await new Promise<void>((r) => { this.waiter = r; setTimeout(r, 200); });
    }
    return this.replies.slice(start);
  }

  request(v: unknown): Promise<unknown> {
    return this.exchange([stringify(v)]).then((r) => r[0]);
  }

  /** The v2 handshake (hello → challenge → auth), checking the agent's proof; returns the agent's hello. */
  async handshake(token: string, id = 1): Promise<unknown> {
    const clientNonce = newNonce();
    const ch = (await this.request({ v: 5, id, type: 'hello', clientNonce })) as { type: string; agentNonce: string; proof: string };
    if (ch.type !== 'challenge' || ch.proof !== agentProof(token, clientNonce, ch.agentNonce)) throw new Error(`bad challenge: ${JSON.stringify(ch)}`);
    return this.request({ v: 5, id: id + 1, type: 'auth', proof: clientProof(token, clientNonce, ch.agentNonce) });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.s.destroy();
  }
}
