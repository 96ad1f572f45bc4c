/**
 * The scenario library's `--scenario all` path, smoke-sized for CI: two scenarios with no seed, no backup
 * and no incident (test/fixtures/scenarios/smoke-*.yaml) run one after another through the real drill
 * (lab Temporal, a supervised worker), and one summary table lists each one's RTO, RPO and outcome. The
 * full library (`npm run drill:scenarios`, minutes per scenario) is recorded in bench/RESULTS.md.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAllScenarios } from '../../drill/run-all';
import type { SummaryRow } from '../../drill/run-all';

jest.setTimeout(6 * 60_000);

const FIXTURES = join(__dirname, '..', 'fixtures', 'scenarios');

it('runs each scenario and writes one summary table with RTO, RPO and outcome', async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'rekindle-scenarios-smoke-'));
  const rows = await runAllScenarios({ outDir, log: () => {} }, FIXTURES, ['smoke-recovered', 'smoke-refused']);

  expect(rows.map((r) => [r.scenario, r.expected, r.outcome, r.passed])).toEqual([
    ['smoke-recovered', 'recovered', 'recovered', true],
    ['smoke-refused', 'refused', 'refused', true],
  ]);
  expect(rows[0].rtoMs).toBeGreaterThan(0);
  expect(rows[0].rpoMessages).toBe(0);
  expect(rows[1]).toMatchObject({
    rtoMs: null,
    rpoMessages: null,
    detail: expect.stringMatching(/^refused at select-missing with BACKUP_NOT_FOUND: /),
  });

  const md = readFileSync(join(outDir, 'drill-summary.md'), 'utf8');
  expect(md).toContain('# Drill scenarios: 2 of 2 as expected');
  expect(md).toContain('| scenario | expected | outcome | RTO | RPO (messages) | drill time | result |');
  expect(md).toMatch(/\| smoke-recovered \| recovered \| recovered \| \d+\.\d s \| 0 \| \d+\.\d s \| PASSED \|/);
  expect(md).toMatch(/\| smoke-refused \| refused \| refused \| - \| - \| \d+\.\d s \| PASSED \|/);
  expect(JSON.parse(readFileSync(join(outDir, 'drill-summary.json'), 'utf8')) as SummaryRow[]).toEqual(rows);
  for (const name of ['smoke-recovered', 'smoke-refused'])
    expect(JSON.parse(readFileSync(join(outDir, 'drill-scenarios', name, 'drill-report.json'), 'utf8'))).toMatchObject({
      scenario: name,
      ok: true,
    });
});
