/** `rekindle list`: runs, newest first, by their search attributes. */
import type { Command } from '../command';
import { parse } from '../client/args';
import { withClient } from '../client/connection';
import { CLUSTER_KEY, MODE_KEY, PHASE_KEY, RUNBOOK_KEY } from '../../workflows/search-attributes';
import { RUN_WORKFLOW_TYPE } from '../../workflows/messages';

const usage = 'rekindle list [--cluster C] [--running] [--limit N] [--json]';

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export const command: Command = {
  summary: 'List runs (optionally one cluster, only running ones)',
  help: `Usage: ${usage}`,
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
    const clauses = [`WorkflowType = ${quote(RUN_WORKFLOW_TYPE)}`];
    if (values.cluster) clauses.push(`RekindleCluster = ${quote(values.cluster as string)}`);
    if (values.running) clauses.push(`ExecutionStatus = 'Running'`);
    const limit = Number(values.limit);
    return withClient(async ({ client }) => {
      const rows = [];
      for await (const w of client.workflow.list({ query: clauses.join(' AND ') })) {
        const sa = w.typedSearchAttributes;
        rows.push({
          workflowId: w.workflowId,
          runId: w.runId,
          status: w.status.name,
          phase: sa.get(PHASE_KEY) ?? null,
          runbook: sa.get(RUNBOOK_KEY) ?? null,
          cluster: sa.get(CLUSTER_KEY) ?? null,
          mode: sa.get(MODE_KEY) ?? null,
          startTime: w.startTime.toISOString(),
          closeTime: w.closeTime?.toISOString() ?? null,
        });
        if (rows.length >= limit) break;
      }
      if (values.json) {
        console.log(JSON.stringify(rows));
        return 0;
      }
      if (!rows.length) console.log('no runs');
      for (const r of rows) {
        console.log(
          `${r.workflowId.padEnd(32)} ${r.status.padEnd(10)} ${String(r.phase ?? '-').padEnd(24)} ${String(r.runbook ?? '-').padEnd(28)} ${r.mode ?? '-'}  ${r.startTime}`,
        );
      }
      return 0;
    });
  },
};
