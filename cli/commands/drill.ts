/** `rekindle drill run|schedule|list|pause|unpause|trigger|delete`: DR drills, now or on a schedule. */
import { createInterface } from 'node:readline/promises';
import type { Command } from '../command';
import { CliError } from '../command';
import type { GateStatus } from '../../workflows/types';

const HELP = `Usage:
  rekindle drill run [--scenario NAME|all] [--interactive] [--out DIR]
      Bring the lab up, seed it, back it up, simulate the scenario's incident (drill/scenarios/NAME.yaml;
      default: the cyber incident), recover it with the scenario's runbook and write drill-report.md
      and drill-report.json. Gates are approved by 'drill-approver' through the same Update API
      operators use; --interactive asks you at each gate instead. Without --interactive, a step
      waiting for a decision or a gate nobody can approve ends the drill at the scenario's deadline
      (the run is cancelled and rolled back; the report says what a human would have been asked).
      --scenario all runs every scenario and writes drill-summary.md. Exits 0 only when every
      outcome is the expected one.
  rekindle drill schedule (--cron EXPR | --every DURATION) RUNBOOK [--param k=v ...] [--id ID]
  rekindle drill list | pause ID | unpause ID | trigger ID | delete ID
      Scheduled drills on Temporal Schedules (overlap policy SKIP). A scheduled drill never runs
      while another run holds the same cluster; each run's report is kept in its history.`;

async function askAtTerminal(gate: GateStatus): Promise<{ approve: boolean; by: string; comment: string }> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    console.log(`\nGate ${gate.id} needs ${gate.minApprovals} of: ${gate.approvers.join(', ')}\nEvidence: ${gate.evidence ?? '(none)'}`);
    const verdict = (await rl.question('Approve? [y/N] ')).trim().toLowerCase();
    const by = (await rl.question(`Your name (one of ${gate.approvers.join(', ')}): `)).trim();
    const comment = (await rl.question('Comment: ')).trim();
    return { approve: verdict === 'y' || verdict === 'yes', by, comment };
  } finally {
    rl.close();
  }
}

export const command: Command = {
  summary: 'Run a DR drill on the lab now, or manage scheduled drills',
  help: HELP,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'run') {
      const { parseDrillOptions, DrillOptionError } = await import('../../drill/options');
      let parsed;
      try {
        parsed = parseDrillOptions(rest);
      } catch (err) {
        if (err instanceof DrillOptionError) throw new CliError(`drill run: ${err.message}`, 2);
        throw err;
      }
      const { options } = parsed;
      if (options.scenario === 'all') {
        const { runAllScenarios } = await import('../../drill/run-all');
        const rows = await runAllScenarios({ outDir: options.outDir });
        return rows.every((r) => r.passed) ? 0 : 1;
      }
      const { runDrill } = await import('../../drill/run');
      const { loadScenario, ScenarioError } = await import('../../drill/scenario');
      let scenario;
      try {
        scenario = loadScenario(options.scenario ?? 'default');
      } catch (err) {
        if (err instanceof ScenarioError) throw new CliError(`drill run: ${err.message}`, 2);
        throw err;
      }
      const report = await runDrill({
        scenario,
        interactive: options.interactive,
        outDir: options.outDir,
        askGate: options.interactive ? askAtTerminal : undefined,
      });
      return report.ok ? 0 : 1;
    }
    if (sub && ['schedule', 'list', 'pause', 'unpause', 'trigger', 'delete'].includes(sub)) {
      const { scheduleCommand } = await import('../drill-schedule');
      return scheduleCommand(sub, rest);
    }
    throw new CliError(`unknown drill command '${sub ?? ''}'; see 'rekindle drill --help'`, 2);
  },
};
