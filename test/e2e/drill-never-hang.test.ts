/**
 * The never-hang rule, end to end through the real drill (lab Temporal, a supervised worker process):
 * a non-interactive drill whose gate nobody may approve, or whose failed step waits for a decision
 * nobody gives, ends at the scenario's deadline with a FAILED report naming the step, the error and
 * what a human would have been asked; the run is cancelled and rolled back. Smoke-sized: no seed, no
 * backup, no incident (test/fixtures/scenarios/).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDrill } from '../../drill/run';
import { loadScenario } from '../../drill/scenario';

jest.setTimeout(6 * 60_000);

const FIXTURES = join(__dirname, '..', 'fixtures', 'scenarios');

describe('a non-interactive drill never hangs', () => {
  it.each([
    [
      'gate-nobody',
      'gate',
      'approve-nobody',
      /^rekindle approve\|reject \S+ approve-nobody \(needs 1 of oncall-lead; evidence: Only an on-call lead/,
      /not an approver/,
      ['undo-assess'],
    ],
    [
      'decision-nobody',
      'decision',
      'select-missing',
      /^rekindle decide \S+ select-missing retry\|skip\|abort --as NAME \(step select-missing at .*drill-step-fails\.yaml:\d+:\d+ failed: BACKUP_NOT_FOUND/,
      /^BACKUP_NOT_FOUND: /,
      [],
    ],
  ])('%s: ends with a FAILED report within its deadline', async (name, kind, step, question, error, rolledBack) => {
    const scenario = loadScenario(name, FIXTURES);
    const outDir = mkdtempSync(join(tmpdir(), `rekindle-never-hang-${name}-`));
    const lines: string[] = [];
    const t0 = Date.now();
    const report = await runDrill({ scenario, outDir, log: (s) => lines.push(s) });
    const elapsed = Date.now() - t0;

    expect(report).toMatchObject({ ok: false, scenario: name, outcome: 'stuck', runPhase: 'cancelled', rolledBack });
    expect(report.stuck).toMatchObject({
      kind,
      step,
      question: expect.stringMatching(question),
      error: expect.stringMatching(error),
    });
    // Ended at the deadline, not before and not long after (one 250 ms watchdog tick, one status poll).
    expect(report.stuck!.waitedMs).toBeGreaterThanOrEqual(scenario.decisionDeadlineMs);
    expect(report.stuck!.waitedMs).toBeLessThan(scenario.decisionDeadlineMs + 3000);
    // The whole drill: lab check, worker start, the run up to the wait, the deadline, cancel and rollback.
    expect(elapsed).toBeLessThan(scenario.decisionDeadlineMs + 120_000);
    const md = readFileSync(join(outDir, 'drill-report.md'), 'utf8');
    expect(md).toContain('# Drill report: FAILED');
    expect(md).toContain(`outcome **stuck**: ended by the drill deadline at ${step}`);
    expect(md).toContain('A human would have been asked: `rekindle ');
    expect(JSON.parse(readFileSync(join(outDir, 'drill-report.json'), 'utf8'))).toMatchObject({
      scenario: name,
      expected: { outcome: 'recovered' },
      outcome: 'stuck',
    });
    expect(lines.some((l) => l.includes('⏱ cancelling the run'))).toBe(true);
  });
});
