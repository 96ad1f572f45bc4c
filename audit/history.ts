/**
 * Getting a run's history: from Temporal (fetchHistory, payloads still encoded) or from an exported
 * file, and its SHA-256 over the canonical JSON export, so a stored copy can be checked later.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { History } from '@temporalio/common/lib/proto-utils';

export type { History };

export interface FetchedHistory {
  workflowId: string;
  runId: string;
  history: History;
}

/** The canonical JSON text of a history (what `rekindle history --out` writes). */
export function historyJson(history: History): string {
  return historyToJSON(history);
}

/** SHA-256 (hex) of the canonical JSON export. */
export function historySha256(history: History): string {
  return createHash('sha256').update(historyJson(history)).digest('hex');
}

/**
 * Fetches the full history of the latest run of `workflowId` (or of `runId`).
 * @throws WorkflowNotFoundError (from the client) when there is no such run.
 */
export async function fetchRunHistory(client: Client, workflowId: string, runId?: string): Promise<FetchedHistory> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const d = await handle.describe();
  const history = await client.workflow.getHandle(workflowId, d.runId).fetchHistory();
  return { workflowId, runId: d.runId, history };
}

/** Thrown when an exported history file cannot be read or parsed. */
export class HistoryFileError extends Error {
  readonly code = 'AUDIT_HISTORY_FILE_INVALID';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'HistoryFileError';
  }
}

/** Reads a history exported with `rekindle history --out` (or the Temporal CLI's JSON). @throws HistoryFileError. */
export function readHistoryFile(path: string): History {
  try {
    return historyFromJSON(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new HistoryFileError(`cannot read history file ${path}: ${(err as Error).message}`);
  }
}
