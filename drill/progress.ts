/**
 * Follows a run like a build tool: one line each time a step changes state, with attempt and elapsed
 * time, and a line for each gate that opens. Gates are answered by `onGate` (the drill approver, or the
 * person at the terminal with --interactive).
 */
import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { statusQuery } from '../workflows/messages';
import type { GateStatus, RunStatus, StepStatus } from '../workflows/types';

const MARK: Record<string, string> = {
  pending: '·',
  running: '▶',
  'waiting-approval': '⏸',
  'failed-awaiting-decision': '✗?',
  succeeded: '✓',
  skipped: '↷',
  failed: '✗',
  'rolled-back': '↺',
};

export interface FollowOptions {
  log: (s: string) => void;
  /** Called once per open gate; resolves when the gate was answered. */
  onGate: (gate: GateStatus) => Promise<void>;
  /** Called on every step state change (the e2e crash test hooks in here). */
  onStep?: (step: StepStatus) => void;
  pollMs?: number;
}

const seconds = (from: string | null, to: string | null) =>
  from ? `${((Date.parse(to ?? new Date().toISOString()) - Date.parse(from)) / 1000).toFixed(1)}s` : '';

function line(step: StepStatus, width: number): string {
  const extra =
    step.state === 'failed' || step.state === 'failed-awaiting-decision'
      ? `  ${step.error?.type}: ${step.error?.message}`
      : step.summary
        ? `  ${step.summary}`
        : '';
  return `  ${(MARK[step.state] ?? '?').padEnd(2)} ${step.id.padEnd(width)} ${step.state.padEnd(24)} attempt ${step.attempt}  ${seconds(step.startedAt, step.endedAt).padStart(7)}${extra}`;
}

/** Polls the run's status until it closes; resolves to the final status. Throws if the run failed. */
export async function followRun(handle: WorkflowHandle, opts: FollowOptions): Promise<RunStatus> {
  const seen = new Map<string, string>();
  const answered = new Set<string>();
  let width = 0;
  let last: RunStatus | undefined;
  let closed = false;
  const result = handle.result().then(
    () => void (closed = true),
    (err: unknown) => {
      closed = true;
      if (!(err instanceof WorkflowFailedError)) throw err;
    },
  );
  // If the caller gives up (an exception below), the pending result must not surface as unhandled.
  result.catch(() => undefined);
  while (!closed) {
    try {
      last = await handle.query(statusQuery);
    } catch {
      // The worker may be restarting (the crash drill kills it); the next poll will answer.
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
      continue;
    }
    width = Math.max(width, ...last.steps.map((s) => s.id.length));
    for (const step of last.steps) {
      const key = `${step.state}/${step.attempt}`;
      if (seen.get(step.id) === key || step.state === 'pending') continue;
      seen.set(step.id, key);
      opts.log(line(step, width));
      opts.onStep?.(step);
    }
    for (const gate of last.pendingGates.filter((g) => !answered.has(`${g.id}/${g.round}`))) {
      answered.add(`${gate.id}/${gate.round}`);
      await opts.onGate(gate);
    }
    await Promise.race([result, new Promise((r) => setTimeout(r, opts.pollMs ?? 500))]);
  }
  await result;
  const final = await handle.query(statusQuery);
  for (const step of final.steps) {
    if (seen.get(step.id) !== `${step.state}/${step.attempt}` && step.state !== 'pending') opts.log(line(step, width));
  }
  return final;
}
