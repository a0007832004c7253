/**
 * The flight recorder: the sequence the guest half is running, kept where a guest kernel crash
 * cannot take it away. The guest writes into QEMU's ivshmem device memory, which is a host file
 * (./qemu.ts), with plain stores: no syscall per op, where a line on the virtio-serial port cost
 * ~160 µs under TCG. The host reads the file when the guest stops (./finding.ts).
 *
 * Layout (little-endian): magic "GMCF", u32 bytes used (the text ends there), u32 sequences
 * started, u32 ops recorded in total, u32 1 if the current sequence did not fit; then from byte
 * HEADER the current sequence as frame lines (./frames.ts): one `case` line, then one `op` line
 * per op, the last one being the op in flight. `used` is updated after each line is complete, so
 * a torn write is never read.
 */
import type { Op } from '../../spec/vocab/index.js';
import { decodeFrame, encodeFrame, FrameError } from './frames.js';

export const FLIGHT_BYTES = 1 << 20;
const MAGIC = 0x46434d47; // "GMCF"
const HEADER = 32;

export class FlightWriter {
  private readonly view: DataView;
  private readonly bytes: Uint8Array;
  private readonly enc = new TextEncoder();
  private pos = HEADER;

  constructor(buf: ArrayBuffer) {
    this.view = new DataView(buf);
    this.bytes = new Uint8Array(buf);
    this.view.setUint32(0, MAGIC, true);
    this.view.setUint32(4, HEADER, true);
  }

  private line(text: string): void {
    const r = this.enc.encodeInto(text, this.bytes.subarray(this.pos));
    if (r.read !== text.length) {
      this.view.setUint32(16, 1, true);
      return;
    }
    this.pos += r.written;
    this.view.setUint32(4, this.pos, true);
  }

  caseStart(profile: string): void {
    this.pos = HEADER;
    this.view.setUint32(16, 0, true);
    this.view.setUint32(8, this.view.getUint32(8, true) + 1, true);
    this.line(encodeFrame({ t: 'case', profile }));
  }

  op(op: Op): void {
    this.view.setUint32(12, this.view.getUint32(12, true) + 1, true);
    this.line(encodeFrame({ t: 'op', op }));
  }
}

/** Ops recorded so far (the header's counter), or 0 before the guest wrote the recorder. */
export const flightOps = (head: Uint8Array): number => {
  if (head.length < HEADER) return 0;
  const view = new DataView(head.buffer, head.byteOffset, head.length);
  return view.getUint32(0, true) === MAGIC ? view.getUint32(12, true) : 0;
};

export interface FlightRecord {
  readonly profile: string | undefined;
  readonly ops: readonly Op[];
  /** Sequences started, the current one included. */
  readonly cases: number;
  readonly opsTotal: number;
  readonly truncated: boolean;
}

/** The recorder's content, or undefined if the guest never wrote it; malformed lines are FlightErrors. */
export const readFlight = (buf: Uint8Array): FlightRecord | undefined => {
  if (buf.length < HEADER) return undefined;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  if (view.getUint32(0, true) !== MAGIC) return undefined;
  const used = Math.min(view.getUint32(4, true), buf.length);
  const text = new TextDecoder().decode(buf.subarray(HEADER, used));
  let profile: string | undefined;
  const ops: Op[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const f = decodeFrame(line);
    if (f.t === 'case') profile = f.profile;
    else if (f.t === 'op') ops.push(f.op);
    else throw new FrameError(`unexpected ${f.t} frame in the flight recorder`);
  }
  return { profile, ops, cases: view.getUint32(8, true), opsTotal: view.getUint32(12, true), truncated: view.getUint32(16, true) === 1 };
};
