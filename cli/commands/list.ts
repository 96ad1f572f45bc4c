/** `rekindle list`: runs, newest first, by their search attributes. */
import type { Command } from '../command';
import { CliError } from '../command';
import { parse } from '../client/args';
import { withClient } from '../../client/connection';
import { listRuns } from '../../client/list-runs';

const usage = 'rekindle list [--cluster C] [--running] [--limit N] [--json]';

export const command: Command = {
  summary: 'List runs (optionally one cluster, only running ones)',
  help: `Usage: ${usage}

--json prints [{"workflowId","runId","status","phase","runbook","cluster","mode","startTime","closeTime"}].`,
  async run(argv) {
    const { values } = parse(
      argv,
      {
        cluster: { type: 'string' },
        running: { type: 'boolean', default: false },
        limit: { type: 'string', default: '50' },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, usage },
    );
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit must be a positive integer`, 2);
    return withClient(async ({ client, config }) => {
      const rows = await listRuns(client, config.namespace, {
        ...(values.cluster ? { cluster: values.cluster as string } : {}),
        running: !!values.running,
        limit,
      });
      if (values.json) {
        console.log(JSON.stringify(rows));
        return 0;
      }
      if (!rows.length) console.log('no runs');
      for (const r of rows) {
        console.log(
          `${r.workflowId.padEnd(32)} ${r.status.padEnd(10)} ${String(r.phase ?? '-').padEnd(24)} ${String(r.runbook ?? '-').padEnd(28)} ${r.mode ?? '-'}  ${r.startTime ?? '-'}`,
        );
      }
      return 0;
    });
  },
};
