/**
 * Follows a run until it ends: polls the `status` query, redraws in place on a TTY (ANSI), prints
 * change lines otherwise, or NDJSON with `json`. Used by `rekindle watch` and `rekindle run --watch`.
 */
import type { Client } from '@temporalio/client';
import type { RunHandle } from '../../client/handle';
import type { DataConverter } from '@temporalio/common';
import { decodeHistory } from '../../audit/decode';
import { byLevel } from '../../audit/levels';
import type { Plan } from '../../compiler/plan';
import { readRunStatus } from '../run-status';
import type { RunStatus } from '../../workflows/types';
import { statusJson } from '../client/format';
import { changeLines, renderFrame } from './render';

export const FINAL_PHASES: ReadonlySet<string> = new Set([
  'succeeded',
  'completed-with-failures',
  'aborted',
  'cancelled',
]);

export interface FollowOptions {
  out?: NodeJS.WriteStream;
  /** Force the mode; default: redraw when `out` is a TTY. */
  tty?: boolean;
  json?: boolean;
  intervalMs?: number;
  dataConverter?: DataConverter;
  /** Stop after the first frame (status-like snapshot). */
  once?: boolean;
}

/** The DAG levels of the run's Plan, read from its first history event. Null when unavailable. */
export async function planLevels(
  client: Client,
  workflowId: string,
  dataConverter?: DataConverter,
  runId?: string,
): Promise<string[][] | null> {
  try {
    const res = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId, ...(runId ? { runId } : {}) },
      maximumPageSize: 1,
    });
    const first = (res.history?.events ?? []).slice(0, 1);
    const [ev] = await decodeHistory({ events: first }, dataConverter);
    if (ev?.kind !== 'started') return null;
    const plan = ev.input[0] as Plan;
    return Array.isArray(plan?.steps) ? byLevel(plan.steps) : null;
  } catch {
    return null;
  }
}

/**
 * Follows `handle` until its phase is final. Resolves to the last status.
 * @throws whatever the status query throws on its first call (e.g. run not found); later query
 *   failures (a worker restarting) are retried.
 */
export async function follow(client: Client, handle: RunHandle, opts: FollowOptions = {}): Promise<RunStatus> {
  const out = opts.out ?? process.stdout;
  const tty = opts.tty ?? !!out.isTTY;
  const levels = await planLevels(client, handle.workflowId, opts.dataConverter, handle.runId);
  let prev: RunStatus | null = null;
  let last = '';
  if (tty && !opts.json) out.write('\x1b[2J\x1b[H');
  for (let first = true; ; first = false) {
    let s: RunStatus;
    try {
      // A closed run is read from its result or history, so watching a finished run needs no worker.
      s = (await readRunStatus(client, handle, opts.dataConverter)).status;
    } catch (err) {
      if (first) throw err;
      await sleep(opts.intervalMs ?? 500);
      continue;
    }
    const now = Date.now();
    if (opts.json) {
      const line = JSON.stringify(statusJson(s));
      if (line !== last) out.write(`${line}\n`);
      last = line;
    } else if (tty) {
      const width = out.columns || 120;
      const frame = renderFrame(s, levels, { color: true, width, now });
      out.write(`\x1b[H${frame.map((l) => `${l}\x1b[K`).join('\n')}\n\x1b[J`);
    } else {
      for (const l of changeLines(prev, s, { width: 200, now })) out.write(`${l}\n`);
    }
    prev = s;
    if (opts.once || FINAL_PHASES.has(s.phase)) return s;
    await sleep(opts.intervalMs ?? 500);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
