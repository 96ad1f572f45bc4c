/**
 * The never-hang rule of a non-interactive drill. Nobody is at the terminal, so a step waiting for an
 * operator's decision, or a gate the drill approver may not approve, would wait forever. The watchdog
 * gives each such wait the scenario's decision deadline, and the whole run its run deadline; when one
 * passes it records what a human would have been asked and cancels the run, which rolls back per the
 * runbook. If the run has still not closed a grace period later, it is terminated.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { GateStatus, StepStatus } from '../workflows/types';

/** Why and where a drill was ended by its deadline. */
export interface Stuck {
  kind: 'decision' | 'gate' | 'run';
  /** The step or gate id (for `run`, the steps that were still running). */
  step: string;
  /** The error that stopped it: the step's failure, or the refusal of the drill approver. */
  error: string;
  /** What a human would have been asked, as the command they would have answered with. */
  question: string;
  waitedMs: number;
  at: string;
}

export interface WatchdogOptions {
  decisionDeadlineMs: number;
  runDeadlineMs: number;
  /** After cancelling, how long the rollback may take before the run is terminated (default 5 min). */
  rollbackGraceMs?: number;
  log: (s: string) => void;
}

const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

/** Watches one run. Feed it step changes and refused gates; call stop() when the run has closed. */
export class DrillWatchdog {
  stuck?: Stuck;
  private readonly startedAt = Date.now();
  private readonly waits = new Map<
    string,
    { since: number; kind: 'decision' | 'gate'; error: string; question: string }
  >();
  private readonly running = new Set<string>();
  private timer?: NodeJS.Timeout;
  private killTimer?: NodeJS.Timeout;

  constructor(
    private readonly handle: WorkflowHandle,
    private readonly opts: WatchdogOptions,
  ) {
    this.timer = setInterval(() => void this.check(), 250);
  }

  /** A step changed state. */
  onStep(step: StepStatus): void {
    if (step.state === 'running') this.running.add(step.id);
    else this.running.delete(step.id);
    if (step.state !== 'failed-awaiting-decision') {
      this.waits.delete(`step:${step.id}`);
      return;
    }
    const error = `${step.error?.type ?? 'ERROR'}: ${step.error?.message ?? ''}`;
    const where = `${step.source.file}:${step.source.line}:${step.source.column}`;
    this.waits.set(`step:${step.id}`, {
      since: Date.now(),
      kind: 'decision',
      error,
      question: `rekindle decide ${this.handle.workflowId} ${step.id} retry|skip|abort --as NAME (step ${step.id} at ${where} failed: ${error})`,
    });
  }

  /** The drill approver's answer to an open gate was refused: nobody in this drill can decide it. */
  gateRefused(gate: GateStatus, err: unknown): void {
    const error = err instanceof Error ? `${(err.cause as Error | undefined)?.message ?? err.message}` : String(err);
    this.waits.set(`gate:${gate.id}`, {
      since: Date.now(),
      kind: 'gate',
      error,
      question: `rekindle approve|reject ${this.handle.workflowId} ${gate.id} (needs ${gate.minApprovals} of ${gate.approvers.join(', ')}; evidence: ${gate.evidence ?? 'none'})`,
    });
  }

  private async check(): Promise<void> {
    if (this.stuck) return;
    const now = Date.now();
    for (const [key, w] of this.waits) {
      if (now - w.since >= this.opts.decisionDeadlineMs) {
        return this.end({
          kind: w.kind,
          step: key.slice(key.indexOf(':') + 1),
          error: w.error,
          question: w.question,
          waitedMs: now - w.since,
          at: new Date(now).toISOString(),
        });
      }
    }
    if (now - this.startedAt >= this.opts.runDeadlineMs) {
      const steps = [...this.running].join(', ') || '(none running)';
      return this.end({
        kind: 'run',
        step: steps,
        error: `the run did not finish within its deadline of ${secs(this.opts.runDeadlineMs)}`,
        question: `none: the run was still working (${steps}) when the deadline passed`,
        waitedMs: now - this.startedAt,
        at: new Date(now).toISOString(),
      });
    }
  }

  private async end(stuck: Stuck): Promise<void> {
    this.stuck = stuck;
    this.opts.log(
      `  ⏱ drill deadline: ${stuck.kind} ${stuck.step} waited ${secs(stuck.waitedMs)}; a human would have been asked: ${stuck.question}`,
    );
    this.opts.log('  ⏱ cancelling the run; it rolls back per its runbook');
    const grace = this.opts.rollbackGraceMs ?? 5 * 60_000;
    this.killTimer = setTimeout(() => {
      this.opts.log(`  ⏱ the run did not close within ${secs(grace)} of its cancellation; terminating it`);
      this.handle.terminate('drill deadline: rollback did not finish in time').catch(() => undefined);
    }, grace);
    await this.handle.cancel().catch((err: Error) => this.opts.log(`  ⏱ cancel failed: ${err.message}`));
  }

  /** Stops watching (call once the run has closed). */
  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.killTimer);
  }
}
