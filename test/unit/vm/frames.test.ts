import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeFrame, encodeFrame, Flight, FrameError, LineSplitter, toJson, type Frame } from '../../../cli/vm/frames.js';
import { PRESETS } from '../../../spec/profiles/index.js';
import { EMULATOR_LIMITS, NATIVE_LIMITS } from '../../../models/generate/context.js';
import { MIXED } from '../../../models/generate/mixes.js';
import { sequenceArb } from '../../../models/generate/sequence.js';
import { resolveTemplates } from '../../../models/property.js';
import { FLIGHT_BYTES, FlightWriter, readFlight } from '../../../cli/vm/flight.js';
import type { Op } from '../../../spec/vocab/index.js';

const op: Op = { kind: 'setMemoryRegion', vm: 0, v1: false, slot: 65536, flags: 4, gpa: 1n << 32n, size: 8192n, uaddr: { kind: 'map', map: 2, offset: 0n }, gmem: { kind: 'fd', fd: 0 }, gmemOffset: (1n << 63n) - 8192n };

describe('guest → host frames', () => {
  it('round-trip every frame kind, bigints exact', () => {
    const frames: Frame[] = [
      { t: 'hello', release: '7.2.13+deb14-amd64', uptime: 5.1, kvm: 'kvm_amd', missing: [], weak: ['NUMA'] },
      { t: 'out', s: 'PASS  guest' }, { t: 'err', s: 'x' }, { t: 'status', s: '[mixed] 10%' }, { t: 'case', profile: 'upstream' },
      { t: 'op', op }, { t: 'exit', code: 1 },
    ];
    for (const f of frames) {
      const line = encodeFrame(f);
      expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
      expect(decodeFrame(line.trimEnd())).toEqual(f);
    }
  });

  it('the hand-written JSON is JSON.stringify\'s with bigints as "<n>n", on every generated op and on odd values', () => {
    const reference = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
    const ops: Op[] = [];
    for (const [i, profile] of Object.values(PRESETS).entries()) {
      for (const limits of [EMULATOR_LIMITS, NATIVE_LIMITS]) {
        for (const t of fc.sample(sequenceArb({ mix: MIXED, maxLength: 30 }), { numRuns: 40, seed: 7 + i })) ops.push(...resolveTemplates(t, limits, profile));
      }
    }
    expect(ops.length).toBeGreaterThan(1000);
    for (const o of ops) expect(toJson({ t: 'op', op: o })).toBe(reference({ t: 'op', op: o }));
    const odd = { a: 'quote " and \\ and \n and \u2028', 'k"y': -0, n: NaN, i: -Infinity, u: undefined, l: [undefined, 1n, -(1n << 70n), null, true], e: {}, z: [] };
    expect(toJson(odd)).toBe(reference(odd));
    fc.assert(fc.property(fc.jsonValue(), (v) => toJson(v) === reference(v)));
  });

  it('reject anything malformed with a named reason (a guest never writes these; they are never trusted)', () => {
    const bad: [string, RegExp][] = [
      ['not json', /not JSON/], ['[1]', /not an object/], ['{"t":"nope"}', /unknown frame type/], ['{"t":"exit","code":256}', /0\.\.255/],
      ['{"t":"exit","code":"1"}', /integer/], ['{"t":"op","op":{"kind":"rm -rf"}}', /not an op/], ['{"t":"hello","release":1,"uptime":1,"kvm":"k","missing":[],"weak":[]}', /release/],
      ['{"t":"hello","release":"r","uptime":"5","kvm":"k","missing":[],"weak":[]}', /uptime/],
    ];
    for (const [line, why] of bad) expect(() => decodeFrame(line), line).toThrow(why);
    expect(() => decodeFrame('{"t":"out"}')).toThrow(FrameError);
  });

  it('split a byte stream into lines across chunks, bounding line length', () => {
    const s = new LineSplitter(64);
    expect(s.push('{"t":"out","s":"a"}\n{"t":"o')).toEqual(['{"t":"out","s":"a"}']);
    expect(s.push('ut","s":"b"}\n')).toEqual(['{"t":"out","s":"b"}']);
    expect(s.flush()).toBe('');
    expect(() => s.push('x'.repeat(100))).toThrow(/longer than 64/);
  });

  it('the port-based flight keeps the ops of the current sequence', () => {
    const f = new Flight();
    f.see({ t: 'case', profile: 'p' });
    f.see({ t: 'op', op });
    f.see({ t: 'case', profile: 'p' });
    f.see({ t: 'op', op: { kind: 'createVm', id: 0, type: 0n } });
    expect([f.cases, f.opsTotal, f.ops.length]).toEqual([2, 2, 1]);
  });
});

describe('flight recorder memory', () => {
  it('holds the current sequence: the last op is the one in flight; counts cover earlier sequences', () => {
    const mem = new ArrayBuffer(FLIGHT_BYTES);
    const w = new FlightWriter(mem);
    w.caseStart('probed(native: 7.2)');
    w.op({ kind: 'createVm', id: 0, type: 0n });
    w.caseStart('probed(native: 7.2)');
    w.op({ kind: 'createVm', id: 0, type: 0n });
    w.op(op);
    const r = readFlight(new Uint8Array(mem))!;
    expect(r).toEqual({ profile: 'probed(native: 7.2)', ops: [{ kind: 'createVm', id: 0, type: 0n }, op], cases: 2, opsTotal: 3, truncated: false });
  });

  it('a sequence longer than the memory is marked truncated; a torn line is never read; blank memory is no record', () => {
    const mem = new ArrayBuffer(700);
    const w = new FlightWriter(mem);
    w.caseStart('p');
    for (let i = 0; i < 10; i++) w.op(op);
    const r = readFlight(new Uint8Array(mem))!;
    expect(r.truncated).toBe(true);
    expect(r.ops.length).toBeGreaterThan(0);
    expect(r.ops.length).toBeLessThan(10);
    // Bytes written past `used` (a store interrupted by the crash) are ignored.
    new Uint8Array(mem).set(new TextEncoder().encode('{"t":"op","op":{"ki'), new DataView(mem).getUint32(4, true));
    expect(readFlight(new Uint8Array(mem))!.ops.length).toBe(r.ops.length);
    expect(readFlight(new Uint8Array(new ArrayBuffer(64)))).toBeUndefined();
  });
});
