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
import { reportCommand } from '../../../cli/report.js';
import { memoryIo } from '../../../cli/io.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** A bug whose shortest counterexample maps a file, so the failure has pages to draw. */
const BUG = 'init-shared-ignored';

describe('HTML report in headless chromium', () => {
  it.skipIf(!existsSync(CHROMIUM))(`renders the rule matrix and a failure picture (skipped: ${CHROMIUM} missing)`, async () => {
    const work = mkdtempSync(join(tmpdir(), 'gmemcheck-report-'));
    const out = join(work, 'report.html');
    const io = memoryIo();
    const code = await reportCommand(['--target', 'emulator', '--profiles', 'linux-6.18,upstream', '--domain', 'mmap', '--runs', '40', '--bugs', BUG, '--out', out], io);
    expect(code, io.stderr.join('\n')).toBe(1);

    const context = await chromium.launchPersistentContext(join(work, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 1000 } });
    const foreign: string[] = [];
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const url = pathToFileURL(out).href;
      await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : (foreign.push(route.request().url()), route.abort())));
      await page.goto(url);

      const rows = page.locator('table.matrix tbody tr.rule-row');
      expect(await rows.count()).toBe(CATALOGUE.size);
      expect(await page.locator('table.matrix thead th.col-h').allTextContents()).toEqual([`emulator:linux-6.18 [bugs ${BUG}]`, `emulator:upstream [bugs ${BUG}]`]);
      expect(await page.locator('table.matrix tbody td.cell').count()).toBe(CATALOGUE.size * 2);
      expect(await rows.first().locator('td.cell').count()).toBe(2);

      const fail = page.locator('table.matrix td.cell.fail').first();
      await expect.poll(() => fail.count()).toBeGreaterThan(0);
      expect(await fail.textContent()).toMatch(/^FAIL/);
      expect(await page.locator('table.matrix td.cell.pass').count()).toBeGreaterThan(0);

      // The fail cell links to its failure section, which draws the files' pages.
      const href = (await fail.locator('a').getAttribute('href'))!;
      const section = page.locator(`section.failure${href}`);
      expect(await section.count()).toBe(1);
      const svg = section.locator('svg.pages').first();
      const box = await svg.boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      expect(await svg.locator('rect.run').count()).toBeGreaterThanOrEqual(6);
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
