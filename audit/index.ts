/**
 * The audit: fetch a run's history, decode it through the data converter (codec included), build the
 * report, optionally verify it by replay, and render it as Markdown, JSON or one self-contained HTML page.
 */
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { buildReport } from './build';
import { decodeHistory } from './decode';
import { fetchRunHistory, historySha256 } from './history';
import type { History } from './history';
import type { AuditReport } from './model';
import { verifyHistory } from './verify';
import type { VerifyOptions } from './verify';

export { buildReport, NotARunError } from './build';
export { decodeHistory } from './decode';
export { fetchRunHistory, historyJson, historySha256, readHistoryFile } from './history';
export type { AuditReport } from './model';
export { renderHtml } from './render-html';
export { renderMarkdown } from './render-md';
export { verifyHistory } from './verify';

export interface AuditOptions {
  dataConverter?: DataConverter;
  /** Replay the history against the current workflow code. */
  verify?: boolean | Omit<VerifyOptions, 'dataConverter' | 'workflowId'>;
}

/**
 * Builds the report of a history (already fetched or read from a file).
 * @throws CodecError when payloads cannot be decrypted; NotARunError when it is not a Rekindle run.
 */
export async function auditHistory(history: History, origin: { workflowId: string; runId: string }, opts: AuditOptions = {}): Promise<AuditReport> {
  const events = await decodeHistory(history, opts.dataConverter);
  const report = buildReport(events, { ...origin, historySha256: historySha256(history) });
  if (opts.verify) {
    const v = await verifyHistory(history, {
      ...(typeof opts.verify === 'object' ? opts.verify : {}),
      ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
      workflowId: origin.workflowId,
    });
    report.verify = { replayed: v.replayed, historySha256: v.historySha256, ...(v.error ? { error: v.error } : {}) };
  }
  return report;
}

/**
 * Fetches the latest run of `workflowId` and builds its report.
 * @throws WorkflowNotFoundError (client), CodecError, NotARunError.
 */
export async function auditRun(client: Client, workflowId: string, opts: AuditOptions = {}): Promise<AuditReport> {
  const { runId, history } = await fetchRunHistory(client, workflowId);
  return auditHistory(history, { workflowId, runId }, opts);
}

/** The stable `--format json` document. */
export function renderJson(r: AuditReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
