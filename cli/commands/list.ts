/** `rekindle list`: runs, newest first, by their search attributes, filtered and paged. */
import type { Command } from '../command';
import { CliError } from '../command';
import { parse } from '../client/args';
import { parseDuration, isDuration } from '../../compiler/duration';
import { RUN_STATES } from '../../client/run-states';
import type { ListFilter } from '../../client/list-runs';

const usage =
  'rekindle list [--runbook NAME] [--cluster C] [--mode recovery|drill] [--status S] [--since T] [--until T] [--limit N] [--page TOKEN] [--json]';

/** A time flag: an ISO date/time, or a duration meaning that long ago (`24h`, `7d`). @throws CliError. */
export function timeFlag(name: string, value: string, now = Date.now()): Date {
  if (isDuration(value)) return new Date(now - parseDuration(value));
  const t = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t))
    throw new CliError(
      `--${name} takes an ISO time (2026-11-01T00:00:00Z) or a duration ago (24h, 7d), not '${value}'`,
      2,
    );
  return new Date(t);
}

export const command: Command = {
  summary: 'List runs, newest first (filter by runbook, cluster, mode, status and start time; paged)',
  help: `Usage: ${usage}

Options:
  --runbook NAME  runs of this runbook (its metadata.name)
  --cluster C     runs on this cluster
  --mode M        recovery or drill
  --status S      ${Object.keys(RUN_STATES).join(', ')}
  --running       same as --status running
  --since T       started at or after T: an ISO time, or a duration ago (24h, 7d)
  --until T       started before T
  --limit N       at most N runs (default 50); when more match, prints the token of the next page
  --page TOKEN    continue a listing from the token an earlier page printed
  --json          print [{"workflowId","runId","status","phase","runbook","cluster","mode","startTime","closeTime"}]

When more runs match than --limit, the next page's token goes to stderr: 'more runs: add --page TOKEN'.

Any run id printed here names that run in status, audit, history and the other commands.`,
  async run(argv) {
    const { values } = parse(
      argv,
      {
        runbook: { type: 'string' },
        cluster: { type: 'string' },
        mode: { type: 'string' },
        status: { type: 'string' },
        running: { type: 'boolean', default: false },
        since: { type: 'string' },
        until: { type: 'string' },
        limit: { type: 'string', default: '50' },
        page: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, usage },
    );
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new CliError(`--limit must be an integer from 1 to 1000, not '${String(values.limit)}'`, 2);
    const mode = values.mode as string | undefined;
    if (mode !== undefined && mode !== 'recovery' && mode !== 'drill')
      throw new CliError(`--mode must be recovery or drill, not '${mode}'`, 2);
    const status = (values.status as string | undefined) ?? (values.running ? 'running' : undefined);
    if (status !== undefined && !(status in RUN_STATES))
      throw new CliError(`--status must be one of ${Object.keys(RUN_STATES).join(', ')}, not '${status}'`, 2);
    if (values.running && values.status && values.status !== 'running')
      throw new CliError(`--running contradicts --status ${String(values.status)}`, 2);
    const filter: ListFilter = {
      ...(values.runbook ? { runbook: values.runbook as string } : {}),
      ...(values.cluster ? { cluster: values.cluster as string } : {}),
      ...(mode ? { mode } : {}),
      ...(status ? { status } : {}),
      ...(values.since ? { since: timeFlag('since', values.since as string) } : {}),
      ...(values.until ? { until: timeFlag('until', values.until as string) } : {}),
    };
    const { withClient } = await import('../../client/connection');
    const { listRuns } = await import('../../client/list-runs');
    return withClient(async ({ client, config }) => {
      const page = await listRuns(client, config.namespace, {
        ...filter,
        limit,
        ...(values.page ? { pageToken: values.page as string } : {}),
      });
      if (values.json) console.log(JSON.stringify(page.rows));
      else if (!page.rows.length) console.log('no runs');
      for (const r of values.json ? [] : page.rows) {
        console.log(
          `${r.workflowId.padEnd(32)} ${r.runId}  ${r.status.padEnd(10)} ${String(r.phase ?? '-').padEnd(24)} ${String(r.runbook ?? '-').padEnd(28)} ${r.mode ?? '-'}  ${r.startTime ?? '-'}`,
        );
      }
      // On stderr, so `--json` stays one array that scripts parse.
      if (page.nextPageToken) console.error(`more runs: add --page ${page.nextPageToken}`);
      return 0;
    });
  },
};
