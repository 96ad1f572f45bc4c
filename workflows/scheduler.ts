/**
 * DAG scheduling: starts a step when its needs are satisfied, up to the plan's `maxParallel`; holds
 * new steps while paused, while a decision is pending, or while draining for continue-as-new; on abort,
 * cancels waiting steps (and running ones under `failFast`) through their CancellationScopes.
 */
import { CancellationScope, condition, workflowInfo } from '@temporalio/workflow';
import type { PlanStep, RunOutcome } from '../compiler/plan';
import { runStep } from './runner';
import type { RunState } from './state';
import { isTerminal } from './state';
import type { StepError, StepStatus } from './types';

export type ScheduleOutcome = 'done' | 'abort' | 'continue-as-new';

interface Flight {
  scope: CancellationScope;
  promise: Promise<void>;
  counts: boolean;
}

export class Scheduler {
  private readonly inflight = new Map<string, Flight>();
  private abortHandled = false;

  constructor(private readonly state: RunState) {}

  /** Runs steps until all are terminal, the run aborts, or it should continue as new. Throws CancelledFailure when the workflow is cancelled. */
  async run(): Promise<ScheduleOutcome> {
    const state = this.state;
    for (;;) {
      if (state.abortReason) this.onAbort();
      else {
        this.blockUnreachable();
        if (!this.holding()) this.startReady();
      }
      if (this.inflight.size === 0) {
        if (state.abortReason) return 'abort';
        if ([...state.steps.values()].every(isTerminal)) return 'done';
        if (this.canSuggested()) return 'continue-as-new';
      }
      state.changed = false;
      await condition(() => state.changed);
    }
  }

  /** Waits, without being cancellable, until every in-flight step has settled (after a cancellation). */
  async drain(): Promise<void> {
    await CancellationScope.nonCancellable(() => condition(() => this.inflight.size === 0));
  }

  private canSuggested(): boolean {
    const info = workflowInfo();
    const at = this.state.options.continueAsNewAtHistoryLength;
    return info.continueAsNewSuggested || (at !== undefined && at > 0 && info.historyLength >= at);
  }

  private holding(): boolean {
    const s = this.state;
    if (s.paused || this.canSuggested()) return true;
    for (const r of s.steps.values()) if (r.state === 'failed-awaiting-decision') return true;
    return false;
  }

  private onAbort(): void {
    if (this.abortHandled) return;
    this.abortHandled = true;
    for (const [id, f] of this.inflight) {
      const running = this.state.step(id).state === 'running';
      if (this.state.plan.failFast || !running) f.scope.cancel();
    }
  }

  private satisfied(step: PlanStep, need: StepStatus): boolean {
    if (need.state === 'succeeded') return true;
    return need.state === 'skipped' && need.skipReason !== 'blocked' && step.proceedIfNeedsSkipped;
  }

  private blocker(step: PlanStep, need: StepStatus): boolean {
    if (need.state === 'failed' || need.state === 'rolled-back') return true;
    return need.state === 'skipped' && !this.satisfied(step, need);
  }

  /** Skips (as `blocked`) pending steps that can never run because a need failed or was skipped for good. */
  private blockUnreachable(): void {
    for (const step of this.state.plan.steps) {
      const rec = this.state.step(step.id);
      if (rec.state !== 'pending' || this.inflight.has(step.id)) continue;
      const bad = step.needs.map((n) => this.state.step(n)).find((n) => this.blocker(step, n));
      if (!bad) continue;
      rec.skipReason = 'blocked';
      rec.summary = `not run: needs '${bad.id}', which ${bad.state === 'skipped' ? 'was skipped' : bad.state}`;
      this.state.transition(rec, 'skipped');
    }
  }

  private startReady(): void {
    const state = this.state;
    let running = 0;
    for (const f of this.inflight.values()) if (f.counts) running++;
    for (const step of state.plan.steps) {
      const rec = state.step(step.id);
      if (rec.state !== 'pending' || this.inflight.has(step.id)) continue;
      if (!step.needs.every((n) => this.satisfied(step, state.step(n)))) continue;
      const counts = step.kind !== 'approval';
      if (counts && running >= state.plan.maxParallel) continue;
      if (counts) running++;
      this.launch(step, counts);
    }
  }

  private launch(step: PlanStep, counts: boolean): void {
    const scope = new CancellationScope();
    const abort = (e: StepError, outcome: RunOutcome) => {
      if (!this.state.abortReason) {
        this.state.abortReason = { ...e };
        this.state.outcome = outcome;
      }
      this.state.touch();
    };
    const promise = scope
      .run(() => runStep(step, this.state, abort))
      .finally(() => {
        this.inflight.delete(step.id);
        this.state.touch();
      });
    this.inflight.set(step.id, { scope, promise, counts });
  }
}
