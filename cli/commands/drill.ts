/** `rekindle drill run|schedule|list|pause|unpause|trigger|delete`: DR drills, now or on a schedule. */
import { createInterface } from 'node:readline/promises';
import type { Command } from '../command';
import { CliError } from '../command';
import type { GateStatus } from '../../workflows/types';
import { parseFlags } from '../flags';
import type { Flags } from '../flags';

/** The usage line of each drill subcommand, as `rekindle drill --help` prints them. */
export const DRILL_USAGE = {
  run: 'rekindle drill run [--interactive] [--out DIR]',
  schedule: 'rekindle drill schedule (--cron EXPR | --every DURATION) RUNBOOK [--param k=v]... [--id ID] [--json]',
  list: 'rekindle drill list [--json]',
  byId: 'rekindle drill pause|unpause|trigger|delete SCHEDULE_ID',
};

/** The flags of `drill run`, one line per flag. */
const RUN_FLAGS: Flags = {
  interactive: { type: 'boolean', default: false },
  out: { type: 'string' },
};

const SCHEDULE_SUBCOMMANDS = ['schedule', 'list', 'pause', 'unpause', 'trigger', 'delete'];

const HELP = `Usage:
  ${DRILL_USAGE.run}
      Bring the lab up, seed it, back it up, simulate a cyber incident, recover it with
      runbooks/zk-kafka-cyber-recovery.yaml and write drill-report.md and drill-report.json.
      Gates are approved by 'drill-approver' through the same Update API operators use;
      --interactive asks you at each gate instead. Exits 0 only when every check passed.
  ${DRILL_USAGE.schedule}
  ${DRILL_USAGE.list}
  ${DRILL_USAGE.byId}
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
      const { values } = parseFlags(rest, RUN_FLAGS, { min: 0, max: 0, usage: DRILL_USAGE.run });
      const { runDrill } = await import('../../drill/run');
      const report = await runDrill({
        interactive: !!values.interactive,
        outDir: values.out as string | undefined,
        askGate: values.interactive ? askAtTerminal : undefined,
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
