/**
 * The HTML audit report opens in headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core): the DAG and the timeline render with non-empty boxes, states are coloured, the
 * page loads nothing from outside, and it prints (PDF) without error. The screenshot is kept for a look.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { auditRun, renderHtml } from '../../audit';
import { startRehearsal } from '../support/rehearsal-env';
import type { Rehearsal } from '../support/rehearsal-env';
import { runScenario } from '../workflows/audit-scenario';

let env: Rehearsal;
let browser: Browser;
beforeAll(async () => {
  env = await startRehearsal('audit-html');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await env?.close();
});

test('the HTML report renders the DAG and the timeline in Chromium, self-contained, and prints', async () => {
  const sc = await runScenario(env);
  const report = await auditRun(env.client, sc.handle.workflowId);
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-audit-html-'));
  const file = join(dir, 'audit.html');
  writeFileSync(file, renderHtml(report));
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const outside: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) outside.push(r.url());
  });
  await page.goto(`file://${file}`);
  for (const sel of ['#dag', '#timeline']) {
    const box = await page.locator(sel).boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(40);
  }
  const nodes = await page.locator('#dag g.node').evaluateAll((els) =>
    els.map((e) => ({
      step: e.getAttribute('data-step'),
      state: e.getAttribute('data-state'),
      fill: e.querySelector('rect')!.getAttribute('fill'),
      w: (e as unknown as { getBBox(): { width: number } }).getBBox().width,
    })),
  );
  expect(nodes.map((n) => [n.step, n.state])).toEqual([
    ['assess', 'succeeded'],
    ['approve-isolate', 'succeeded'],
    ['isolate', 'rolled-back'],
    ['restore', 'succeeded'],
    ['approve-reintroduce', 'succeeded'],
    ['final-check', 'failed'],
  ]);
  expect(nodes.every((n) => n.w > 100)).toBe(true);
  expect(new Set(nodes.map((n) => n.fill)).size).toBe(3);
  expect(await page.locator('#dag path.edge').count()).toBe(5);
  const bars = await page.locator('#timeline rect.bar').count();
  expect(bars).toBe(8); // assess, isolate, restore ×2, final-check, unisolate, two gates
  expect(await page.locator('#timeline path.mark').count()).toBe(2);
  expect(await page.locator('details.attempt').count()).toBeGreaterThanOrEqual(8);
  await expect(page.locator('#approvals').innerText()).resolves.toContain(sc.comments.first);
  const png = join(dir, 'audit.png');
  await page.screenshot({ path: png, fullPage: true });
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.length).toBeGreaterThan(10_000);
  expect(outside).toEqual([]);
  process.stdout.write(`audit HTML screenshot: ${png}\n`);
  await page.close();
}, 120_000);
