import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../spec/catalogue/index.js';
import { reportHtml } from '../../../models/html/page.js';
import { cellFor } from '../../../models/html/matrix.js';
import { COLUMNS } from './fixtures.js';

describe('HTML report', () => {
  const html = reportHtml(COLUMNS, { generated: 'now', source: 'fixtures' });

  it('is self-contained: no network references, no scripts, inline style only', () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\b(src|href)="(?!#)/i);
    expect(html).toMatch(/<style>[\s\S]+<\/style>/);
  });

  it('has one matrix row per catalogue rule and one cell per column', () => {
    expect(html.match(/<tr class="rule-row"/g)).toHaveLength(CATALOGUE.size);
    expect(html.match(/<td class="cell (pass|fail|skip)"/g)!.length).toBeGreaterThanOrEqual(CATALOGUE.size * 2);
  });

  it('marks the failing rule, the exercised ones and the skipped ones with their reason', () => {
    const [c0, c1] = COLUMNS;
    expect(cellFor(CATALOGUE.get('CRE-1')!, c0!, 0)).toMatchObject({ status: 'fail', href: '#fail-0-creation' });
    expect(cellFor(CATALOGUE.get('CRE-1')!, c1!, 1)).toMatchObject({ status: 'pass', hits: 7 });
    expect(cellFor(CATALOGUE.get('UFD-2')!, c0!, 0)).toMatchObject({ status: 'skip', reason: 'uffd skip: uffdCreate: no userfaultfd here' });
    expect(cellFor(CATALOGUE.get('POL-1′')!, c0!, 0).reason).toMatch(/^not reached by 4 sequences \(on 6.18: /);
  });

  it('draws the failure with its steps, the wanted/got lines and a page picture, escaping text', () => {
    const section = html.slice(html.indexOf('<section class="failure" id="fail-0-creation">'));
    expect(section).toContain('<li class="step failing">');
    expect(section).toContain('wanted: ok {size:0x1000}');
    expect(section).toContain('<svg class="pages"');
    expect(section).toContain('&lt;with &quot;quotes&quot;&gt; &amp; ampersands');
  });
});

describe('saved column results', () => {
  it('round-trip through a results directory with bigints and the whole failure intact', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { columnFromRun, loadColumnResults, saveColumnResult } = await import('../../../models/html/results.js');
    const dir = mkdtempSync(join(tmpdir(), 'gmemcheck-results-'));
    try {
      const failure = COLUMNS[0]!.domains[0]!.failure!;
      const column = columnFromRun('emulator', 'linux-6.18', [
        { domain: 'creation', status: 'fail', sequences: 4, opsChecked: 20, ruleHits: new Map([['CRE-1', 3]]), failure },
        { domain: 'fileops', status: 'pass', sequences: 9, opsChecked: 90, ruleHits: new Map([['CRE-1', 1], ['FIO-7', 2]]) },
      ]);
      expect(column.ruleHits).toEqual({ 'CRE-1': 4, 'FIO-7': 2 });
      saveColumnResult(dir, column);
      const [back] = loadColumnResults(dir);
      expect(back).toEqual(column);
      expect(back!.domains[0]!.failure!.steps[1]!.op).toMatchObject({ size: 4096n });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
