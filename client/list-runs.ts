/**
 * Lists runs from visibility without decoding memos (runs written with an encryption codec have memos
 * this client may not be able to decode; listing must still work). Search attributes are plain JSON.
 */
import type { Client } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE } from '../workflows/messages';

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

/** Runs of the engine, newest first, optionally one cluster and only running ones, at most `limit`. */
export async function listRuns(
  client: Client,
  namespace: string,
  opts: { cluster?: string; running?: boolean; limit: number },
): Promise<RunRow[]> {
  const clauses = [`WorkflowType = ${quote(RUN_WORKFLOW_TYPE)}`];
  if (opts.cluster) clauses.push(`RekindleCluster = ${quote(opts.cluster)}`);
  if (opts.running) clauses.push(`ExecutionStatus = 'Running'`);
  const rows: RunRow[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const res = await client.workflowService.listWorkflowExecutions({
      namespace,
      query: clauses.join(' AND '),
      pageSize: Math.min(opts.limit, 100),
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
      if (rows.length >= opts.limit) return rows;
    }
    nextPageToken = res.nextPageToken?.length ? res.nextPageToken : undefined;
  } while (nextPageToken);
  return rows;
}
