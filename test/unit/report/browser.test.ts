/**
 * The report in a real browser: headless Debian chromium (never a downloaded one) opens a report
 * generated with a planted emulator bug, and the matrix and the failure picture must render with
 * the expected cells. Network requests other than the report file itself are blocked and counted:
 * a self-contained report makes none. Screenshots are kept in test-artifacts/.
 * Skips with the reason when /usr/bin/chromium is missing (.ci/install-chromium installs it).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { CATALOGUE } from '../../../spec/catalogue/index.js';
import { writeFileSync } from 'node:fs';
import { reportHtml } from '../../../models/html/page.js';
import { runColumn } from '../../../models/html/run-column.js';
import { setupTarget } from '../../../cli/targets.js';
import { upstream } from '../../../spec/profiles/index.js';
import { PLANTED_BUG, plantedColumn } from './planted.js';

/** Debian's chromium; GMEMCHECK_CHROMIUM overrides the path (e.g. to see the skip). */
const CHROMIUM = process.env['GMEMCHECK_CHROMIUM'] ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('HTML report in headless chromium', () => {
  it('renders the rule matrix and a failure picture', async (ctx) => {
    if (!existsSync(CHROMIUM)) return ctx.skip(`${CHROMIUM} is missing (install it with .ci/install-chromium)`);
    const work = mkdtempSync(join(tmpdir(), 'gmemcheck-report-'));
    const out = join(work, 'report.html');
    const clean = await setupTarget('emulator', { profile: upstream });
    if (!clean.ok) throw new Error(clean.reason);
    const columns = [await plantedColumn(), await runColumn('emulator:upstream', clean.setup, { domains: ['mmap', 'creation'], numRuns: 15, maxLength: 15, seed: 1 })];
    writeFileSync(out, reportHtml(columns, { generated: 'browser test', source: `planted bug ${PLANTED_BUG}` }));

    const context = await chromium.launchPersistentContext(join(work, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 1000 } });
    const foreign: string[] = [];
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const url = pathToFileURL(out).href;
      await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : (foreign.push(route.request().url()), route.abort())));
      await page.goto(url);

      const rows = page.locator('table.matrix tbody tr.rule-row');
      expect(await rows.count()).toBe(CATALOGUE.size);
      expect(await page.locator('table.matrix thead th.col-h').allTextContents()).toEqual([`emulator:linux-6.18 [bugs ${PLANTED_BUG}]`, 'emulator:upstream']);
      expect(await page.locator('table.matrix tbody td.cell').count()).toBe(CATALOGUE.size * 2);
      expect(await rows.first().locator('td.cell').count()).toBe(2);

      // The planted bug breaks MAP-5 (a host fault on an INIT_SHARED file must succeed).
      const fail = page.locator('#rule-MAP-5 td.cell').first();
      expect(await fail.getAttribute('class')).toBe('cell fail');
      expect(await fail.textContent()).toMatch(/^FAIL/);
      expect(await page.locator('table.matrix td.cell.pass').count()).toBeGreaterThan(0);

      // The fail cell links to its failure section, which draws the files' pages.
      const href = (await fail.locator('a').getAttribute('href'))!;
      const section = page.locator(`section.failure${href}`);
      expect(await section.count()).toBe(1);
      const svg = section.locator('svg.pages').first();
      const box = await svg.boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      // Three runs (hole, allocated, hole) in six attribute lanes.
      expect(await svg.locator('rect.run').count()).toBe(18);
      expect(await svg.locator('rect.run.m-zero').count()).toBe(1);
      expect(await section.locator('li.step.failing').count()).toBe(1);
      const rectBox = await svg.locator('rect.run').first().boundingBox();
      expect(rectBox?.width).toBeGreaterThan(5);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report.png') });
      await section.screenshot({ path: join(ARTIFACTS, 'report-failure.png') });
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
      rmSync(work, { recursive: true, force: true });
    }
  }, 60_000);
});
