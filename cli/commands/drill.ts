/** `rekindle drill run|schedule|list|pause|unpause|trigger|delete`: DR drills, now or on a schedule. */
import { createInterface } from 'node:readline/promises';
import type { Command } from '../command';
import { CliError } from '../command';
import type { GateStatus } from '../../workflows/types';

const HELP = `Usage:
  rekindle drill run [--interactive] [--out DIR] [--size normal|large]
      Bring the lab up, seed it, back it up, simulate a cyber incident, recover it with
      runbooks/zk-kafka-cyber-recovery.yaml and write drill-report.md and drill-report.json.
      Gates are approved by 'drill-approver' through the same Update API operators use;
      --interactive asks you at each gate instead. Exits 0 only when every check passed.
      Other tenants' topics and groups are seeded too and must be left as they were at backup time;
      --size large adds 200 topics (2,000 partitions), 1,000 groups, 200 configs and 100 ACLs.
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
      const { runDrill } = await import('../../drill/run');
      const outIdx = rest.indexOf('--out');
      const sizeIdx = rest.indexOf('--size');
      const size = sizeIdx >= 0 ? rest[sizeIdx + 1] : 'normal';
      if (size !== 'normal' && size !== 'large') throw new CliError(`--size takes normal or large, not '${size ?? ''}'`, 2);
      const report = await runDrill({
        interactive: rest.includes('--interactive'),
        outDir: outIdx >= 0 ? rest[outIdx + 1] : undefined,
        askGate: rest.includes('--interactive') ? askAtTerminal : undefined,
        size,
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
