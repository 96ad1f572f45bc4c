/**
 * `--scenario all`: every scenario in drill/scenarios/, one after another, each with its own report
 * directory, then one summary table (RTO, RPO, expected and actual outcome) as drill-summary.md/.json.
 * A scenario that throws (the drill itself broke) is recorded as failed and the next one still runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DrillOptions } from './run';
import { runDrill } from './run';
import { loadScenario, SCENARIO_DIR, scenarioNames } from './scenario';

/** One row of the summary. */
export interface SummaryRow {
  scenario: string;
  expected: string;
  outcome: string;
  passed: boolean;
  rtoMs: number | null;
  rpoMessages: number | null;
  wallMs: number;
  detail: string;
  report: string | null;
}

const expectedOf = (name: string, dir: string) => {
  try {
    return loadScenario(name, dir).expected.outcome;
  } catch {
    return '?';
  }
};

const secs = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** The summary as Markdown. */
export function renderSummary(rows: SummaryRow[]): string {
  const passed = rows.filter((r) => r.passed).length;
  const out = [`# Drill scenarios: ${passed} of ${rows.length} as expected`, ''];
  out.push(
    '| scenario | expected | outcome | RTO | RPO (messages) | drill time | result |',
    '|---|---|---|---:|---:|---:|---|',
  );
  for (const r of rows) {
    out.push(
      `| ${r.scenario} | ${r.expected} | ${r.outcome} | ${secs(r.rtoMs)} | ${r.rpoMessages ?? '-'} | ${secs(r.wallMs)} | ${r.passed ? 'PASSED' : 'FAILED'} |`,
    );
  }
  out.push('', ...rows.map((r) => `- **${r.scenario}**: ${r.detail}${r.report ? ` ([report](${r.report}))` : ''}`), '');
  return out.join('\n');
}

/** Runs every scenario of `dir` (or `names`), writes the summary, and resolves to its rows. */
export async function runAllScenarios(
  opts: DrillOptions,
  dir = SCENARIO_DIR,
  names = scenarioNames(dir),
): Promise<SummaryRow[]> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const base = opts.outDir ?? process.cwd();
  const rows: SummaryRow[] = [];
  for (const name of names) {
    const outDir = join(base, 'drill-scenarios', name);
    mkdirSync(outDir, { recursive: true });
    const t0 = Date.now();
    log(`\n════ scenario ${name} ════`);
    try {
      const r = await runDrill({ ...opts, scenario: loadScenario(name, dir), outDir });
      const rto = r.outcome === 'recovered' ? r.rtoMs : null;
      const rpo = r.outcome === 'recovered' ? r.rpoMessages : null;
      rows.push({
        scenario: name,
        expected: r.expected.outcome,
        outcome: r.outcome,
        passed: r.ok,
        rtoMs: rto,
        rpoMessages: rpo,
        wallMs: Date.now() - t0,
        detail: r.outcomeDetail,
        report: join('drill-scenarios', name, 'drill-report.md'),
      });
    } catch (err) {
      rows.push({
        scenario: name,
        expected: expectedOf(name, dir),
        outcome: 'failed',
        passed: false,
        rtoMs: null,
        rpoMessages: null,
        wallMs: Date.now() - t0,
        detail: `the drill itself failed: ${(err as Error).message}`,
        report: null,
      });
    }
    writeFileSync(join(base, 'drill-summary.json'), `${JSON.stringify(rows, null, 2)}\n`);
    writeFileSync(join(base, 'drill-summary.md'), renderSummary(rows));
  }
  log(`\n${renderSummary(rows)}`);
  log(`summary written to ${join(base, 'drill-summary.md')} and drill-summary.json`);
  return rows;
}
