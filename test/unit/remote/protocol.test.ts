/**
 * The remote protocol's building blocks: the Op validator accepts every op the generators can
 * produce and rejects any structural deviation; framing bounds a line; URLs and agent arguments
 * parse as documented (and --token is refused).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OP_KINDS } from '../../../spec/vocab/index.js';
import { EMULATOR_LIMITS } from '../../../models/generate/context.js';
import { MIXED } from '../../../models/generate/mixes.js';
import { sequenceArb } from '../../../models/generate/sequence.js';
import { GenContext } from '../../../models/generate/context.js';
import { opCheck } from '../../../spec/vocab/validate.js';
import { decodeRequest } from '../../../adapters/remote/validate/message.js';
import { decodeLine, encodeLine } from '../../../adapters/remote/wire/encode.js';
import { LineSplitter } from '../../../adapters/remote/wire/lines.js';
import { parseAgentUrl } from '../../../adapters/remote/client/url.js';
import { parseAgentArgs } from '../../../adapters/remote/agent/options.js';
import { agentProof, clientProof, newNonce, proofMatches } from '../../../adapters/remote/auth.js';

const generatedOps = fc.sample(sequenceArb({ mix: MIXED, maxLength: 40 }), { numRuns: 300, seed: 7 }).flatMap((templates) => {
  const ctx = new GenContext(EMULATOR_LIMITS, 509);
  return templates.map((t) => {
    const op = t.resolve(ctx);
    ctx.record(op);
    return op;
  });
});

describe('op validator', () => {
  it('accepts every generated op after a trip through the wire encoding, for every op kind', () => {
    const kinds = new Set<string>();
    for (const op of generatedOps) {
      const back = decodeLine(encodeLine(op).trimEnd());
      expect(back.ok).toBe(true);
      expect(opCheck(back.ok ? back.value : undefined, '$')).toBeUndefined();
      kinds.add(op.kind);
    }
    expect([...kinds].sort()).toEqual([...OP_KINDS].sort());
  });

  it('rejects an unknown kind, an extra field, a missing field and a mistyped field', () => {
    const op = { kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 4096n };
    expect(opCheck(op, '$')).toBeUndefined();
    expect(opCheck({ ...op, kind: 'execve' }, '$')).toMatch(/unknown kind/);
    expect(opCheck({ ...op, path: '/etc/passwd' }, '$')).toMatch(/unknown field "path"/);
    const { len: _, ...noLen } = op;
    expect(opCheck(noLen, '$')).toMatch(/missing field "len"/);
    expect(opCheck({ ...op, offset: 0 }, '$')).toMatch(/\$\.offset: expected i64 \(a bigint/);
    expect(opCheck({ ...op, fd: -1 }, '$')).toMatch(/\$\.fd/);
    expect(opCheck({ kind: 'fileIo', fd: 0, call: 'read', offset: 0n, len: 1 << 30, value: 0 }, '$')).toMatch(/\$\.len/);
  });

  it('checks nested unions (memslot userspace address and gmem fd)', () => {
    const base = { kind: 'setMemoryRegion', vm: 0, v1: false, slot: 0, flags: 4, gpa: 0n, size: 4096n, gmemOffset: 0n };
    expect(opCheck({ ...base, uaddr: { kind: 'map', map: 0, offset: 0n }, gmem: { kind: 'fd', fd: 0 } }, '$')).toBeUndefined();
    expect(opCheck({ ...base, uaddr: { kind: 'raw', addr: 4096n }, gmem: { kind: 'fd', fd: 0 } }, '$')).toMatch(/uaddr/);
    expect(opCheck({ ...base, uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd: 0, extra: 1 } }, '$')).toMatch(/unknown field "extra"/);
  });

  it('never throws and never accepts a random value that is not an op', () => {
    fc.assert(fc.property(fc.anything(), (v) => {
      const r = opCheck(v, '$');
      expect(typeof r === 'string' || r === undefined).toBe(true);
      if (r === undefined) expect(OP_KINDS).toContain((v as { kind: string }).kind);
    }), { numRuns: 2000, seed: 3 });
  });
});

describe('request decoding', () => {
  it('maps each kind of breakage to its error code and echoes only a readable id', () => {
    expect(decodeRequest([1])).toMatchObject({ ok: false, id: null, code: 'bad-json' });
    expect(decodeRequest({ v: 1, id: 5, type: 'probe' })).toMatchObject({ ok: false, id: 5, code: 'version' });
    expect(decodeRequest({ v: 5, id: 'x', type: 'probe' })).toMatchObject({ ok: false, id: null, code: 'bad-request' });
    expect(decodeRequest({ v: 5, id: 6, type: 'shell', cmd: 'id' })).toMatchObject({ ok: false, id: 6, code: 'bad-request' });
    expect(decodeRequest({ v: 5, id: 7, type: 'probe', extra: true })).toMatchObject({ ok: false, code: 'bad-request' });
    expect(decodeRequest({ v: 5, id: 8, type: 'apply', target: 1, op: { kind: 'nope' } })).toMatchObject({ ok: false, id: 8, code: 'bad-op' });
    expect(decodeRequest({ v: 5, id: 9, type: 'apply', target: 1, op: { kind: 'close', fd: 0 } })).toMatchObject({ ok: true });
  });
});

describe('line framing', () => {
  it('reassembles lines across chunks, strips CR, and cuts an oversized line at the limit', () => {
    const s = new LineSplitter(8);
    expect(s.push(Buffer.from('ab'))).toEqual([]);
    expect(s.push(Buffer.from('c\r\nde\n'))).toEqual([{ kind: 'line', text: 'abc' }, { kind: 'line', text: 'de' }]);
    expect(s.push(Buffer.from('0123456789'))).toEqual([{ kind: 'oversized', limit: 8 }]);
    expect(s.push(Buffer.from('more junk'))).toEqual([]);
    expect(s.pending).toBe(0);
    expect(s.push(Buffer.from('tail\nok\n'))).toEqual([{ kind: 'line', text: 'ok' }]);
  });
});

describe('agent URLs and arguments', () => {
  it('parses tcp, ssh and stdio URLs', () => {
    expect(parseAgentUrl('tcp://127.0.0.1:7355')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 7355 });
    expect(parseAgentUrl('tcp://[::1]:7355')).toEqual({ kind: 'tcp', host: '::1', port: 7355 });
    expect(parseAgentUrl('ssh://root@testvm:2222')).toEqual({ kind: 'ssh', host: 'testvm', user: 'root', port: 2222 });
    expect(parseAgentUrl('ssh://testvm')).toEqual({ kind: 'ssh', host: 'testvm' });
    expect(parseAgentUrl('stdio://node agent.mjs --stdio')).toEqual({ kind: 'stdio', command: 'node agent.mjs --stdio' });
    expect(() => parseAgentUrl('tcp://host')).toThrow(/needs a port/);
    expect(() => parseAgentUrl('http://host:1')).toThrow(/unknown scheme/);
  });

  it('refuses a token on the command line and says where to put it', () => {
    const r = parseAgentArgs(['--listen', '--token', 'secret']);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/--token-file/);
    expect(parseAgentArgs(['--listen', '--token=secret']).ok).toBe(false);
  });

  it('defaults --listen to loopback port 7355', () => {
    const r = parseAgentArgs(['--listen']);
    expect(r.ok && r.options.transport).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 7355 });
    expect(parseAgentArgs(['--stdio', '--backend', 'emulator']).ok).toBe(true);
    expect(parseAgentArgs([]).ok).toBe(false);
  });

  it('proofs depend on the token, both nonces and the role, and are compared strictly', () => {
    const [c, a] = [newNonce(), newNonce()];
    const t = 'a-long-shared-token';
    const p = clientProof(t, c, a);
    expect(proofMatches(p, clientProof(t, c, a))).toBe(true);
    for (const other of [clientProof(`${t}N`, c, a), clientProof(t, newNonce(), a), clientProof(t, c, newNonce()), agentProof(t, c, a)]) {
      expect(proofMatches(p, other)).toBe(false);
    }
    expect(proofMatches(p, undefined)).toBe(false);
    expect(proofMatches(p, '')).toBe(false);
    expect(proofMatches(p, t)).toBe(false);
  });
});
