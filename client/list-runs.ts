/**
 * Lists runs from visibility without decoding memos (runs written with an encryption codec have memos
 * this client may not be able to decode; listing must still work). Search attributes are plain JSON.
 */
import type { Client } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE } from '../workflows/messages';
import { RUN_STATES } from './run-states';

export interface RunRow {
  workflowId: string;
  runId: string;
  status: string;
  phase: string | null;
  runbook: string | null;
  cluster: string | null;
  mode: string | null;
  startTime: string | null;
  closeTime: string | null;
}

const STATUS = [
  'UNSPECIFIED',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TERMINATED',
  'CONTINUED_AS_NEW',
  'TIMED_OUT',
  'PAUSED',
];

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

type Payload = { data?: Uint8Array | null } | null | undefined;

function keyword(fields: Record<string, Payload> | null | undefined, name: string): string | null {
  const data = fields?.[name]?.data;
  if (!data) return null;
  try {
    const v = JSON.parse(Buffer.from(data).toString('utf8')) as unknown;
    return Array.isArray(v) ? String(v[0]) : String(v);
  } catch {
    return null;
  }
}

function iso(t: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (!t || t.seconds === undefined || t.seconds === null) return null;
  return new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
}

export interface ListFilter {
  runbook?: string;
  cluster?: string;
  mode?: string;
  /** A key of RUN_STATES. */
  status?: string;
  /** Started at or after. */
  since?: Date;
  /** Started before. */
  until?: Date;
}

/** The visibility query for `filter`: every value quoted, so no filter can change the query's shape. */
export function listQuery(filter: ListFilter): string {
  const clauses = [`WorkflowType = ${quote(RUN_WORKFLOW_TYPE)}`];
  if (filter.runbook) clauses.push(`RekindleRunbook = ${quote(filter.runbook)}`);
  if (filter.cluster) clauses.push(`RekindleCluster = ${quote(filter.cluster)}`);
  if (filter.mode) clauses.push(`RekindleMode = ${quote(filter.mode)}`);
  if (filter.status) {
    const state = RUN_STATES[filter.status];
    if (!state) throw new Error(`unknown status '${filter.status}'`);
    clauses.push(`ExecutionStatus = ${quote(state)}`);
  }
  if (filter.since) clauses.push(`StartTime >= ${quote(filter.since.toISOString())}`);
  if (filter.until) clauses.push(`StartTime < ${quote(filter.until.toISOString())}`);
  return clauses.join(' AND ');
}

/** One page of a listing, and the token of the next page when there is one. */
export interface RunPage {
  rows: RunRow[];
  /** Pass back as `pageToken` for the next page; undefined on the last page. */
  nextPageToken?: string;
}

/**
 * Runs of the engine matching `filter`, newest first: at most `limit`, from `pageToken` (what an earlier
 * page returned) on. The token is visibility's, base64url-encoded for a command line.
 */
export async function listRuns(
  client: Client,
  namespace: string,
  opts: ListFilter & { limit: number; pageToken?: string },
): Promise<RunPage> {
  const rows: RunRow[] = [];
  let nextPageToken: Uint8Array | undefined = opts.pageToken ? Buffer.from(opts.pageToken, 'base64url') : undefined;
  do {
    const res = await client.workflowService.listWorkflowExecutions({
      namespace,
      query: listQuery(opts),
      pageSize: opts.limit - rows.length,
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    for (const e of res.executions ?? []) {
      const sa = e.searchAttributes?.indexedFields as Record<string, Payload> | undefined;
      rows.push({
        workflowId: e.execution?.workflowId ?? '',
        runId: e.execution?.runId ?? '',
        status: STATUS[Number(e.status ?? 0)] ?? String(e.status),
        phase: keyword(sa, 'RekindlePhase'),
        runbook: keyword(sa, 'RekindleRunbook'),
        cluster: keyword(sa, 'RekindleCluster'),
        mode: keyword(sa, 'RekindleMode'),
        startTime: iso(e.startTime),
        closeTime: iso(e.closeTime),
      });
    }
    nextPageToken = res.nextPageToken?.length ? res.nextPageToken : undefined;
  } while (nextPageToken && rows.length < opts.limit);
  return { rows, ...(nextPageToken ? { nextPageToken: Buffer.from(nextPageToken).toString('base64url') } : {}) };
}
