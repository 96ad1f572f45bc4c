/**
 * The audit: fetch a run's history, decode it through the data converter (codec included), build the
 * report, optionally verify it by replay, and render it as Markdown, JSON or one self-contained HTML page.
 */
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { buildReport } from './build';
import { decodeHistory } from './decode';
import type { DecodedEvent } from './decode';
import { createHash } from 'node:crypto';
import { fetchRunChain, historySha256 } from './history';
import type { History } from './history';
import type { AuditReport } from './model';
import { verifyHistory } from './verify';
import type { VerifyOptions } from './verify';

/** The payload codec audit decodes histories with (a run written encrypted needs its key). */
export { CodecError, dataConverterFor } from '../codec';
export { buildReport, NotARunError } from './build';
export { decodeHistory } from './decode';
export { fetchRunChain, fetchRunHistory, historyJson, historySha256, readHistoryFile } from './history';
export type { AuditReport } from './model';
export { renderHtml } from './render-html';
export { renderMarkdown } from './render-md';
export { verifyHistory } from './verify';

export interface AuditOptions {
  dataConverter?: DataConverter;
  /** Replay the history against the current workflow code. */
  verify?: boolean | Omit<VerifyOptions, 'dataConverter' | 'workflowId'>;
}

/** One run's history (a workflow continued as new has several, oldest first). */
export interface RunHistory {
  runId: string;
  history: History;
}

/** SHA-256 of a chain: the single history's own hash, or the hash of the per-run hashes joined by newlines. */
function chainSha256(runs: RunHistory[]): string {
  const shas = runs.map((r) => historySha256(r.history));
  return shas.length === 1 ? shas[0] : createHash('sha256').update(shas.join('\n')).digest('hex');
}

/**
 * Builds the report of one run's history, or of a chain of runs continued as new (oldest first),
 * whose events are read as one sequence.
 * @throws CodecError when payloads cannot be decrypted; NotARunError when it is not a Rekindle run.
 */
export async function auditHistories(
  runs: RunHistory[],
  workflowId: string,
  opts: AuditOptions = {},
): Promise<AuditReport> {
  const events: DecodedEvent[] = [];
  for (const [i, r] of runs.entries()) {
    // Event ids restart in each run: offset them so scheduled/started/completed links stay apart.
    const off = i * 1_000_000_000;
    for (const e of await decodeHistory(r.history, opts.dataConverter)) {
      if (i > 0 && e.kind === 'started') continue;
      events.push({
        ...e,
        id: e.id + off,
        ...('scheduledId' in e ? { scheduledId: e.scheduledId + off } : {}),
      } as DecodedEvent);
    }
  }
  const latest = runs[runs.length - 1];
  const report = buildReport(events, { workflowId, runId: latest.runId, historySha256: chainSha256(runs) });
  report.history.events = runs.reduce((n, r) => n + (r.history.events?.length ?? 0), 0);
  report.history.runs = runs.map((r) => ({
    runId: r.runId,
    events: r.history.events?.length ?? 0,
    sha256: historySha256(r.history),
  }));
  if (opts.verify) {
    const results = [];
    for (const r of runs) {
      results.push(
        await verifyHistory(r.history, {
          ...(typeof opts.verify === 'object' ? opts.verify : {}),
          ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
          workflowId,
        }),
      );
    }
    const bad = results.find((v) => !v.replayed);
    report.verify = {
      replayed: !bad,
      historySha256: report.history.sha256!,
      ...(bad?.error ? { error: bad.error } : {}),
    };
  }
  return report;
}

/** Builds the report of one run's history. @throws as auditHistories. */
export function auditHistory(
  history: History,
  origin: { workflowId: string; runId: string },
  opts: AuditOptions = {},
): Promise<AuditReport> {
  return auditHistories([{ runId: origin.runId, history }], origin.workflowId, opts);
}

/**
 * Fetches the latest run of `workflowId` (or the run `runId`), with the runs it continued from, and builds its report.
 * @throws WorkflowNotFoundError (client), CodecError, NotARunError.
 */
export async function auditRun(
  client: Client,
  workflowId: string,
  opts: AuditOptions = {},
  runId?: string,
): Promise<AuditReport> {
  return auditHistories(await fetchRunChain(client, workflowId, runId), workflowId, opts);
}

/** The stable `--format json` document. */
export function renderJson(r: AuditReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
