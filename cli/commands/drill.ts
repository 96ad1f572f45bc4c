/** `rekindle drill run|schedule|list|pause|unpause|trigger|delete`: DR drills, now or on a schedule. */
import { createInterface } from 'node:readline/promises';
import type { Command } from '../command';
import { CliError } from '../command';
import type { GateStatus } from '../../workflows/types';
import { parseFlags } from '../flags';
import type { Flags } from '../flags';

/** The usage line of each drill subcommand, as `rekindle drill --help` prints them. */
export const DRILL_USAGE = {
  run: 'rekindle drill run [--scenario NAME|all] [--size normal|large] [--interactive] [--out DIR]',
  schedule: 'rekindle drill schedule (--cron EXPR | --every DURATION) RUNBOOK [--param k=v]... [--id ID] [--json]',
  list: 'rekindle drill list [--json]',
  byId: 'rekindle drill pause|unpause|trigger|delete SCHEDULE_ID',
};

/** The flags of `drill run`, one line per flag. */
const RUN_FLAGS: Flags = {
  scenario: { type: 'string' },
  size: { type: 'string', default: 'normal' },
  interactive: { type: 'boolean', default: false },
  out: { type: 'string' },
};

const SCHEDULE_SUBCOMMANDS = ['schedule', 'list', 'pause', 'unpause', 'trigger', 'delete'];

const HELP = `Usage:
  ${DRILL_USAGE.run}
      Bring the lab up, seed it, back it up, simulate the scenario's incident (drill/scenarios/NAME.yaml;
      default: the cyber incident), recover it with the scenario's runbook and write drill-report.md
      and drill-report.json. Gates are approved by 'drill-approver' through the same Update API
      operators use; --interactive asks you at each gate instead. Without --interactive, a step
      waiting for a decision or a gate nobody can approve ends the drill at the scenario's deadline
      (the run is cancelled and rolled back; the report says what a human would have been asked).
      --scenario all runs every scenario and writes drill-summary.md. Exits 0 only when every
      outcome is the expected one. Other tenants' topics and groups are seeded too and must be left
      as they were at backup time; --size large adds 200 topics (2,000 partitions), 1,000 groups,
      200 configs and 100 ACLs.
  ${DRILL_USAGE.schedule}
  ${DRILL_USAGE.list}
  ${DRILL_USAGE.byId}
      Scheduled drills on Temporal Schedules (overlap policy SKIP). A scheduled drill never runs
      while another run holds the same cluster; each run's report is kept in its history.`;

async function askAtTerminal(gate: GateStatus): Promise<{ approve: boolean; by: string; comment: string }> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    console.log(
      `\nGate ${gate.id} needs ${gate.minApprovals} of: ${gate.approvers.join(', ')}\nEvidence: ${gate.evidence ?? '(none)'}`,
    );
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
      const { values } = parseFlags(rest, RUN_FLAGS, { min: 0, max: 0, usage: DRILL_USAGE.run });
      const outDir = values.out as string | undefined;
      if (values.size !== 'normal' && values.size !== 'large')
        throw new CliError(
          `drill run: --size takes normal or large, not '${String(values.size)}'\nusage: ${DRILL_USAGE.run}`,
          2,
        );
      const name = (values.scenario as string | undefined) ?? 'default';
      if (name === 'all') {
        if (values.interactive) throw new CliError('drill run: --interactive runs one scenario at a time, not all', 2);
        const { runAllScenarios } = await import('../../drill/run-all');
        const rows = await runAllScenarios({ outDir });
        return rows.every((r) => r.passed) ? 0 : 1;
      }
      const { runDrill } = await import('../../drill/run');
      const { loadScenario, ScenarioError } = await import('../../drill/scenario');
      let scenario;
      try {
        scenario = loadScenario(name);
      } catch (err) {
        if (err instanceof ScenarioError) throw new CliError(`drill run: ${err.message}`, 2);
        throw err;
      }
      const report = await runDrill({
        scenario,
        interactive: !!values.interactive,
        outDir,
        askGate: values.interactive ? askAtTerminal : undefined,
        size: values.size as 'normal' | 'large',
      });
      return report.ok ? 0 : 1;
    }
    if (sub && SCHEDULE_SUBCOMMANDS.includes(sub)) {
      const { scheduleCommand } = await import('../drill-schedule');
      return scheduleCommand(sub, rest);
    }
    throw new CliError(
      `${sub ? `unknown drill command '${sub}'` : 'name a drill command'}; known: run, ${SCHEDULE_SUBCOMMANDS.join(', ')} (see 'rekindle drill --help')`,
      2,
    );
  },
};
