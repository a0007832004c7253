/**
 * `run --format ktap` follows Documentation/dev-tools/ktap.rst: it parses as TAP at every
 * nesting level, the plan matches the result lines, skipped groups carry `# SKIP <reason>`, and a
 * failing group fails its parent. Rendered from fixed results (no target needed), then from a
 * short real run on the emulator.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOMAIN_PROPERTIES } from '../../../cli/domains.js';
import { ktapDomain, ktapHeader, ktapTotals } from '../../../cli/run/ktap.js';
import type { DomainResult } from '../../../cli/run/result.js';
import { parseKtap } from './ktap-parse.js';
import { cli } from './run-cli.js';

const prop = (d: string) => DOMAIN_PROPERTIES.find((p) => p.domain === d)!;
const result = (d: string, status: DomainResult['status'], detail?: string): DomainResult => ({
  property: prop(d), profile: 'linux-6.18', status, ...(detail ? { detail } : {}), seed: 7, sequences: 10, opsChecked: 120,
  ruleHits: new Map([['CRE-1', 3]]), ms: 5,
});

const render = (rs: readonly DomainResult[]): string =>
  [...ktapHeader(rs.length), '# target: emulator', ...rs.flatMap((r, i) => ktapDomain(r, i + 1)), ...ktapTotals(rs)].join('\n');

describe('KTAP rendering', () => {
  const rs = [
    result('creation', 'pass'),
    result('guest', 'skip', 'guestAccess: kvm_pvm emulates every guest instruction'),
    result('fileops', 'fail', '[FIO-6] step 3 of 3 on target=emulator\n  op: fallocate(fd=#0, ...)'),
    result('mmap', 'error', 'TargetBrokenError: addon crashed'),
  ];
  const text = render(rs);
  const k = parseKtap(text);

  it('parses, and the plan matches the result lines', () => {
    expect(k.top.plan?.end).toBe(rs.length);
    expect(k.top.count).toBe(rs.length);
    // tap-parser (TAP13/14) does not know KTAP's ERROR directive and keeps it in the name; the
    // result (not ok) is what ktap.rst asks an unaware parser to fall back to.
    expect(k.topAsserts.map((a) => a.name.split(' # ')[0])).toEqual(['creation', 'guest', 'fileops', 'mmap']);
    expect(k.topAsserts[3]!.name).toMatch(/# ERROR TargetBrokenError: addon crashed$/);
  });
  it('each domain is a nested test with its own version line, plan and one subtest', () => {
    expect(k.children).toHaveLength(rs.length);
    for (const c of k.children) {
      expect(c.result.plan?.end).toBe(1);
      expect(c.result.count).toBe(1);
    }
  });
  it('skipped groups carry their reason at both levels', () => {
    expect(k.topAsserts[1]!.skip).toMatch(/guestAccess: kvm_pvm emulates every guest instruction/);
    expect(k.children[1]!.result.skip).toBe(1);
    expect(k.top.skip).toBe(1);
  });
  it('a failing or broken group is not ok, and the failure text is diagnostics', () => {
    expect(k.topAsserts[2]!.ok).toBe(false);
    expect(k.topAsserts[3]!.ok).toBe(false);
    expect(k.top.fail).toBe(2);
    expect(k.children[2]!.lines.filter((l) => l.startsWith('# '))).toContain('# [FIO-6] step 3 of 3 on target=emulator');
  });
  it('descriptions never contain #, except to start a directive', () => {
    for (const l of text.split('\n').map((x) => x.trimStart()).filter((x) => /^(not )?ok /.test(x))) {
      const [desc] = l.split(' # ');
      expect(desc).not.toContain('#');
    }
  });
});

describe('KTAP from a real run', () => {
  it('gmemcheck run --format ktap on the emulator parses and counts match', async () => {
    const r = cli(['run', '--target', 'emulator', '--format', 'ktap', '--runs', '3', '--domain', 'creation,fileops', '--seed', '1', '--results', mkdtempSync(path.join(tmpdir(), 'gmc-ktap-'))]);
    // Conformance of the emulator is not this test's business: pass or fail, the KTAP must be sound.
    expect([0, 1]).toContain(r.code);
    expect(r.stdout.split('\n')[0]).toBe('KTAP version 1');
    const k = parseKtap(r.stdout);
    expect(k.top.plan?.end).toBe(2);
    expect(k.top.count).toBe(2);
    expect(k.top.fail).toBe(r.code === 0 ? 0 : k.topAsserts.filter((a) => !a.ok).length);
    expect(k.children.map((c) => c.result.count)).toEqual([1, 1]);
    expect(r.stdout).toMatch(/^# totals: pass:\d+ fail:\d+/m);
  });
});
