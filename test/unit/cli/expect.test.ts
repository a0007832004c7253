/**
 * Issue 14, known-deviation baselines: `run --expect FILE` reports the deviations a baseline lists
 * as XFAIL and does not fail the run; an entry that stops occurring is XPASS (reported; it fails
 * the run only under --strict-expect, as kselftest counts xpass as success); `--write-expect`
 * writes the run's failures as such a file; the shipped baseline covers this project's kernel
 * (6.18) judged by upstream. A bad baseline is exit 2 before anything runs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPECT_SCHEMA, globMatch, parseBaseline } from '../../../cli/run/expect.js';
import { inProcess } from './run-cli.js';

const SHIPPED = 'baselines/linux-6.18-under-upstream.json';
const UPSTREAM_ON_618 = ['run', '--target', 'emulator', '--emulator-profile', 'linux-6.18', '--profile', 'upstream', '--seed', '1'];
const tmp = () => mkdtempSync(path.join(tmpdir(), 'gmc-expect-'));
const file = (content: unknown): string => {
  const f = path.join(tmp(), 'baseline.json');
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
};
const xfails = (stdout: string): string[] =>
  stdout.split('\n').filter((l) => /^ {2}XFAIL {2}/.test(l)).map((l) => l.trim().replace(/^XFAIL\s+(\S+ on \w+).*/, '$1')).sort();

describe('the shipped baseline: 6.18 judged as upstream', () => {
  it('the same run exits 0 with sixteen XFAILs, each with its reason and its report; UFD-6, which these sequences do not reach, is reported as not reached', async () => {
    const r = await inProcess([...UPSTREAM_ON_618, '--expect', SHIPPED, '--results', tmp()]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(xfails(r.stdout)).toEqual([
      'CRE-16 on fdMeta', 'ENV-1 on checkExtension', 'ENV-11 on createVcpu', 'LIFE-16 on mapFiles', 'LIFE-18 on fdInfo', 'MAP-38 on smaps', 'MAP-42 on procmapQuery',
      'POL-1 on getMempolicy', 'POL-24 on numaMaps', 'SHR-1 on setMemoryAttributes', 'SLOT-24 on preFault', 'SLOT-26 on dirtyLog',
      'SLOT-5 on setMemoryRegion', 'SLOT-6 on setMemoryRegion', 'SLOT-7 on setMemoryRegion', 'SLOT-7 on setMemoryRegionPad',
    ]);
    expect(r.stdout).toMatch(/^failures: 16 distinct \(by rule and op kind\): 0 FAIL, 16 XFAIL$/m);
    // MAP-36, SLOT-3, MAP-13, MAP-39, SLOT-1, SLOT-21 and five of the padded request's entries are judged without failing in these sequences (XPASS); UFD-6 is not reached.
    expect(r.stdout).toMatch(/^expected deviations \(baselines\/linux-6\.18-under-upstream\.json\): 16 XFAIL, 11 XPASS, 1 not reached$/m);
    expect(r.stdout).toMatch(/^ {2}SKIP {3}UFD-6 on uffdResolve: not reached/m);
    expect(r.stdout).toMatch(/^ {9}expected: 6\.18 refuses a second bind of an overlapping guest_memfd range with EINVAL/m);
    expect(r.stdout.match(/^ {9}\/.*\/shrunk\/report\.md$/gm)).toHaveLength(16);
  });
  it('the emulator implementing upstream itself has none of them: seventeen XPASS (eleven not reached by these domains: ENV-1, MAP-36, CRE-16, SHR-1, UFD-6, LIFE-18, MAP-38, MAP-13, MAP-39, MAP-42, LIFE-16), still exit 0; --strict-expect makes it 1', async () => {
    // Same judging profile, a kernel without the deviations: the baseline's entries are judged and do not occur.
    const clean = ['run', '--target', 'emulator', '--profile', 'upstream', '--seed', '1', '--domain', 'memslot,mempolicy', '--results', tmp()];
    const base = JSON.parse(readFileSync(SHIPPED, 'utf8')) as { entries: { release: string }[] };
    // The emulator implementing upstream reports release "emulator (upstream)": widen the entries to it.
    const f = file({ ...base, entries: base.entries.map((e) => ({ ...e, release: '*' })) });
    const r = await inProcess([...clean, '--expect', f]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^expected deviations \(.*\): 0 XFAIL, 17 XPASS, 11 not reached$/m);
    expect(r.stdout).toMatch(/^ {2}XPASS {2}SLOT-7 on setMemoryRegion: \d+ verdicts of SLOT-7 on setMemoryRegion, none failed/m);
    const strict = await inProcess([...clean, '--expect', f, '--strict-expect']);
    expect(strict.code).toBe(1);
  });
  it('an entry for another kernel release does not apply: the deviation is a plain FAIL', async () => {
    const base = JSON.parse(readFileSync(SHIPPED, 'utf8')) as { entries: { release: string }[] };
    const f = file({ ...base, entries: base.entries.map((e) => ({ ...e, release: '7.1.*' })) });
    const r = await inProcess([...UPSTREAM_ON_618, '--domain', 'memslot', '--expect', f, '--results', tmp()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}FAIL {3}SLOT-7 on setMemoryRegion/m);
  });
});

describe('--write-expect', () => {
  it('writes the run\'s distinct failures; the next run with it exits 0', async () => {
    const out = path.join(tmp(), 'written.json');
    const first = await inProcess([...UPSTREAM_ON_618, '--domain', 'memslot,mempolicy', '--write-expect', out, '--results', tmp()]);
    expect(first.code).toBe(1);
    const b = parseBaseline(readFileSync(out, 'utf8'), out);
    expect(b.profile).toBe('upstream');
    expect(b.entries.map((e) => `${e.rule} ${e.op}`).sort()).toEqual(['ENV-11 createVcpu', 'POL-1 getMempolicy', 'POL-24 numaMaps', 'SLOT-24 preFault', 'SLOT-5 setMemoryRegion', 'SLOT-6 setMemoryRegion', 'SLOT-7 setMemoryRegion', 'SLOT-7 setMemoryRegionPad']);
    expect(b.entries.every((e) => globMatch(e.release, 'emulator (linux-6.18)'))).toBe(true);
    const second = await inProcess([...UPSTREAM_ON_618, '--domain', 'memslot,mempolicy', '--expect', out, '--results', tmp()]);
    expect(second.code, second.stdout).toBe(0);
  });
  it('keeps the reasons of the entries it matched', async () => {
    const out = path.join(tmp(), 'kept.json');
    await inProcess([...UPSTREAM_ON_618, '--domain', 'memslot', '--expect', SHIPPED, '--write-expect', out, '--results', tmp()]);
    const b = parseBaseline(readFileSync(out, 'utf8'), out);
    expect(b.entries.find((e) => e.rule === 'SLOT-7')?.reason).toMatch(/^6\.18 refuses a second bind/);
  });
});

describe('a bad baseline is exit 2, one line, before anything runs', () => {
  const good = { rule: 'SLOT-7', op: 'setMemoryRegion', release: '6.18*', reason: 'r' };
  const cases: [string, unknown, RegExp][] = [
    ['not JSON', '{"schema":', /not valid JSON/],
    ['another schema', { schema: 'other/1', entries: [] }, /not a gmemcheck-expect\/1 baseline/],
    ['an unknown rule', { schema: EXPECT_SCHEMA, entries: [{ ...good, rule: 'XYZ-9' }] }, /entries\[0\]\.rule must be a catalogue rule id/],
    ['an unknown op kind', { schema: EXPECT_SCHEMA, entries: [{ ...good, op: 'ioctl' }] }, /entries\[0\]\.op must be an op kind: createVm, /],
    ['an unknown field', { schema: EXPECT_SCHEMA, entries: [{ ...good, severity: 'high' }] }, /entries\[0\] has an unknown field \(fields: rule, op, release, reason, link\)/],
    ['no reason', { schema: EXPECT_SCHEMA, entries: [{ ...good, reason: ' ' }] }, /reason must say why/],
    ['another judging profile', { schema: EXPECT_SCHEMA, profile: 'conversion-v8', entries: [] }, /lists deviations from profile conversion-v8; this run judges by upstream/],
  ];
  for (const [name, content, msg] of cases) {
    it(name, async () => {
      const r = await inProcess([...UPSTREAM_ON_618, '--domain', 'creation', '--expect', file(content), '--results', tmp()]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).not.toMatch(/^(PASS|FAIL) /m);
    });
  }
  it('a directory, and a FIFO-like special file, are refused without reading', async () => {
    const r = await inProcess([...UPSTREAM_ON_618, '--expect', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a regular file \(a directory\)/);
    const z = await inProcess([...UPSTREAM_ON_618, '--expect', '/dev/zero']);
    expect(z.code).toBe(2);
    expect(z.stderr).toMatch(/is not a regular file \(a character device\)/);
  });
  it('--strict-expect without --expect, and an unwritable --write-expect', async () => {
    expect((await inProcess([...UPSTREAM_ON_618, '--strict-expect'])).stderr).toMatch(/--strict-expect makes XPASS fail the run; it needs --expect FILE/);
    const w = await inProcess([...UPSTREAM_ON_618, '--write-expect', '/proc/gmemcheck/x.json']);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/--write-expect \/proc\/gmemcheck\/x\.json: cannot create the directory/);
  });
});

describe('globs over the release', () => {
  it('* and ? only, over the whole string', () => {
    expect(globMatch('*6.18*', '6.18.44-fc-v1300')).toBe(true);
    expect(globMatch('*6.18*', 'emulator (linux-6.18)')).toBe(true);
    expect(globMatch('6.18.*', 'emulator (linux-6.18)')).toBe(false);
    expect(globMatch('6.1?.4', '6.18.4')).toBe(true);
    expect(globMatch('6.18', '6.18.44')).toBe(false);
    expect(globMatch('(a|b)', '(a|b)')).toBe(true);
  });
});
