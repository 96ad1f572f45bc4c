/**
 * Getting a run's history: from Temporal (fetchHistory, payloads still encoded) or from an exported
 * file, and its SHA-256 over the canonical JSON export, so a stored copy can be checked later.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { CodedError } from '../compiler/expr/errors';

export type { History };

export interface FetchedHistory {
  workflowId: string;
  runId: string;
  history: History;
}

const HistoryType = temporal.api.history.v1.History;
const JSON_OPTIONS = { longs: String, enums: String, bytes: String, json: true };

/**
 * The canonical JSON text of a history (what `rekindle history --out` writes): protobuf field names,
 * enums as names, 64-bit integers as strings, bytes as base64, keys sorted (so the SHA-256 is stable). (The SDK's historyToJSON is not used:
 * it fails when two protobufjs versions are installed, as here.)
 */
export function historyJson(history: History): string {
  return JSON.stringify(sortKeys(HistoryType.toObject(HistoryType.fromObject(history), JSON_OPTIONS)), null, 2);
}

/** Object keys in sorted order, recursively: the server returns protobuf maps (memo, search attributes, metadata) in any order. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sortKeys(o[k])]),
  );
}

/** Parses what historyJson wrote back into a History. @throws Error when it is not a history. */
export function historyFromJson(json: unknown): History {
  if (!json || typeof json !== 'object' || !Array.isArray((json as { events?: unknown }).events)) {
    throw new Error('not a history: expected an object with an array of events');
  }
  return HistoryType.fromObject(json as Record<string, unknown>);
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

/** The run a history continued from (continue-as-new), read from its first event without decoding. */
export function continuedFrom(history: History): string | undefined {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
}

/**
 * Fetches the latest run of `workflowId` (or the run `runId`, a past one included) and every run it
 * continued from (continue-as-new), oldest first, at most `maxRuns`, so the audit sees every step of a long run.
 * @throws WorkflowNotFoundError (from the client) when there is no such run.
 */
export async function fetchRunChain(
  client: Client,
  workflowId: string,
  runId?: string,
  maxRuns = 100,
): Promise<Array<{ runId: string; history: History }>> {
  const latest = await fetchRunHistory(client, workflowId, runId);
  const chain = [{ runId: latest.runId, history: latest.history }];
  for (
    let prev = continuedFrom(latest.history);
    prev && chain.length < maxRuns;
    prev = continuedFrom(chain[0].history)
  ) {
    chain.unshift({ runId: prev, history: await client.workflow.getHandle(workflowId, prev).fetchHistory() });
  }
  return chain;
}

/** Thrown when an exported history file cannot be read or parsed. */
export class HistoryFileError extends CodedError<'AUDIT_HISTORY_FILE_INVALID'> {
  constructor(message: string) {
    super('AUDIT_HISTORY_FILE_INVALID', message);
  }
}

/** Reads a history exported with `rekindle history --out` (or the Temporal CLI's JSON). @throws HistoryFileError. */
export function readHistoryFile(path: string): History {
  try {
    return historyFromJson(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new HistoryFileError(`cannot read history file ${path}: ${(err as Error).message}`);
  }
}
