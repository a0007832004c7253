/** trace.json round-trips exactly (bigints included) and the loader names what is wrong with a bad one. */
import { describe, expect, it } from 'vitest';
import { buildTrace, parseTrace, traceJson, TraceError, TRACE_SCHEMA } from '../../../models/report/trace.js';
import { stringify } from '../../../spec/vocab/codec.js';
import { encodeOutcome } from '../../../models/report/outcome-code.js';
import { FAILURE, PROBE } from './fixtures.js';

const trace = buildTrace(FAILURE, { phase: 'first', probe: PROBE, bugs: [], targetSeed: 42 });

describe('trace.json', () => {
  it('round-trips through its JSON text', () => {
    const back = parseTrace(traceJson(trace));
    expect(back).toEqual(trace);
    expect(back.schema).toBe(TRACE_SCHEMA);
    expect((back.ops[1] as { size: bigint }).size).toBe(16384n);
    expect(back.failingStep).toBe(2);
    expect(back.rules).toEqual(['FIO-6', 'FIO-5']);
  });
  it('does not record the unsupported table twice (it is in the probe, not the trace)', () => {
    expect(trace.capabilities).not.toHaveProperty('unsupported');
  });
  const broken: readonly (readonly [string, (t: Record<string, unknown>) => void, RegExp])[] = [
    ['missing ops', (t) => { delete t['ops']; }, /ops must be a non-empty list/],
    ['unknown op kind', (t) => { (t['ops'] as unknown[])[0] = { kind: 'reboot' }; }, /ops\[0\] has no known kind$/],
    ['short observed list', (t) => { (t['observed'] as unknown[]).pop(); }, /observed must be a list with one entry per op \(3\)/],
    ['failing step out of range', (t) => { t['failingStep'] = 3; }, /failingStep must be a step index in 0\.\.2/],
    ['bad variant', (t) => { (t['profile'] as { variants: Record<string, unknown> }).variants['offset'] = 'SIDEWAYS'; }, /profile\.variants\.offset must be one of/],
    ['not an outcome', (t) => { (t['allowed'] as unknown[][])[2]![0] = { kind: 'maybe' }; }, /allowed\[2\]\[0\] is not an outcome/],
  ];
  for (const [name, mutate, msg] of broken) {
    it(`rejects a trace with ${name}`, () => {
      const t = JSON.parse(stringify(trace)) as Record<string, unknown>;
      mutate(t);
      expect(() => parseTrace(JSON.stringify(t))).toThrow(TraceError);
      expect(() => parseTrace(JSON.stringify(t))).toThrow(msg);
    });
  }
});

describe('outcome codes (what the C reproducer prints)', () => {
  it('are canonical: sorted keys, decimal integers, bigint and number alike', () => {
    expect(encodeOutcome({ kind: 'ok', value: { size: 4096n, mode: 33152, blksize: 4096 } })).toBe('ok {blksize:4096,mode:33152,size:4096}');
    expect(encodeOutcome({ kind: 'ok', value: [true, false] })).toBe('ok [true,false]');
    expect(encodeOutcome({ kind: 'ok', value: { count: 0, first: null } })).toBe('ok {count:0,first:null}');
    expect(encodeOutcome({ kind: 'errno', errno: 'EINVAL', errorOffset: 8192n })).toBe('errno EINVAL @8192');
    expect(encodeOutcome({ kind: 'signal', signal: 'SIGBUS', code: 'BUS_ADRERR', offset: 4096n })).toBe('signal SIGBUS BUS_ADRERR 4096');
    expect(encodeOutcome({
      kind: 'uffd', event: { write: true, minor: false, wp: false, offset: 0n },
      resolve: { kind: 'ok', value: { count: 4096 } }, access: { kind: 'ok' },
    })).toBe('uffd w1m0p0 0 (ok {count:4096}) (ok)');
  });
});
