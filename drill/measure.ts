/**
 * Measurements for the drill report: wall time per drill phase, and for each run its history size
 * (events and bytes, as Temporal stores them) and its largest activity result (the step output that
 * came closest to Temporal's 2 MB payload limit).
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { auditHistories } from '../audit';
import type { History } from '../audit/history';

const HistoryType = temporal.api.history.v1.History;

/** Times named phases of the drill, in order. */
export class PhaseClock {
  readonly phases: Array<{ name: string; ms: number }> = [];
  private name: string | null = null;
  private at = Date.now();

  /** Ends the current phase (if any) and starts `name`. */
  start(name: string): void {
    this.end();
    this.name = name;
    this.at = Date.now();
  }

  /** Ends the current phase. */
  end(): void {
    if (this.name) this.phases.push({ name: this.name, ms: Date.now() - this.at });
    this.name = null;
  }
}

export interface RunHistorySize {
  run: string;
  workflowId: string;
  runId: string;
  /** Events over the whole continue-as-new chain. */
  events: number;
  /** Encoded protobuf bytes over the chain. */
  bytes: number;
  /** Runs in the chain (1 unless the run continued as new). */
  runs: number;
  /** The largest activity result in the history. */
  largestOutput: { step: string; activity: string; bytes: number } | null;
}

/** The run `runId` and the runs it continued as new into, oldest first. */
async function chainFrom(client: Client, workflowId: string, runId: string): Promise<Array<{ history: History }>> {
  const chain: Array<{ history: History }> = [];
  for (let id: string | null | undefined = runId; id && chain.length < 100;) {
    const history: History = await client.workflow.getHandle(workflowId, id).fetchHistory();
    chain.push({ history });
    const evs: NonNullable<History['events']> = history.events ?? [];
    id = evs[evs.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return chain;
}

/** Measures one run's history (its whole continue-as-new chain, from its first run id). */
export async function measureHistory(
  client: Client,
  run: string,
  workflowId: string,
  runId: string,
): Promise<RunHistorySize> {
  const chain = await chainFrom(client, workflowId, runId);
  let events = 0;
  let bytes = 0;
  let largest: RunHistorySize['largestOutput'] = null;
  for (const { history } of chain) {
    const evs = history.events ?? [];
    events += evs.length;
    bytes += HistoryType.encode(HistoryType.fromObject(history)).finish().length;
    const scheduled = new Map<string, { id: string; type: string }>();
    for (const e of evs) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s) scheduled.set(String(e.eventId), { id: s.activityId ?? '', type: s.activityType?.name ?? '' });
      const c = e.activityTaskCompletedEventAttributes;
      if (!c) continue;
      const n = (c.result?.payloads ?? []).reduce((k, p) => k + (p.data?.length ?? 0), 0);
      const from = scheduled.get(String(c.scheduledEventId));
      if (!largest || n > largest.bytes) largest = { step: from?.id ?? '?', activity: from?.type ?? '?', bytes: n };
    }
  }
  return { run, workflowId, runId, events, bytes, runs: chain.length, largestOutput: largest };
}

/**
 * The full outputs of the first step running `action`, as its activity returned them (from history):
 * the status query shows outputs capped for display, so checks read them here.
 */
export async function stepOutputsFromHistory(
  client: Client,
  workflowId: string,
  runId: string,
  action: string,
): Promise<Record<string, unknown> | undefined> {
  const runs = (await chainFrom(client, workflowId, runId)).map((r, i) => ({
    runId: i ? `${runId}+${i}` : runId,
    history: r.history,
  }));
  const dataConverter = client.options.dataConverter;
  const report = await auditHistories(runs, workflowId, dataConverter ? { dataConverter } : {});
  const step = report.steps.find((s) => s.action === action);
  return step?.attempts.filter((a) => a.result).pop()?.result?.outputs;
}
