/**
 * The run's mutable state inside the workflow: step records, gates, decisions, operator log and the
 * derived phase. Everything the status query shows lives here; scheduling reads it.
 */
import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Plan, PlanStep, RunOutcome } from '../compiler/plan';
import type { ExprContext } from '../compiler/expr';
import { PHASE_KEY } from './search-attributes';
import {
  capFields,
  capOutputs,
  OUTPUT_CAP_BYTES,
  OUTPUT_CAP_OVER_BUDGET_BYTES,
  RUN_OUTPUT_BUDGET_BYTES,
  STATUS_OUTPUT_CAP_BYTES,
} from './caps';
import type {
  DecisionRecord,
  GateStatus,
  OperatorEvent,
  Refusal,
  RunOptions,
  RunPhase,
  RunSnapshot,
  RunStatus,
  StepError,
  StepStatus,
} from './types';

const MAX_REFUSALS = 50;
/**
 * Patch: the output cap replaces only oversized fields, and expressions that read a stored, dropped or
 * missing output fail the reading step (before it, the whole output became one marker and reads gave null).
 */
export const OUTPUTS_BY_FIELD_PATCH = 'outputs-by-field';
const TERMINAL: ReadonlySet<string> = new Set(['succeeded', 'skipped', 'failed', 'rolled-back']);

/** ISO time from the workflow clock (deterministic inside the sandbox). */
export function nowIso(): string {
  return new Date().toISOString();
}

/** True for states a step never leaves on its own. */
export function isTerminal(s: StepStatus): boolean {
  return TERMINAL.has(s.state);
}

function newRecord(step: PlanStep): StepStatus {
  return {
    id: step.id,
    ...(step.title ? { title: step.title } : {}),
    action: step.action,
    kind: step.kind,
    state: 'pending',
    attempt: 0,
    startedAt: null,
    endedAt: null,
    outputs: null,
    changed: null,
    summary: null,
    error: null,
    source: step.source,
  };
}

function newGate(step: PlanStep, mode: RunOptions['mode']): GateStatus {
  const a = step.approval!;
  return {
    id: step.id,
    state: 'pending',
    // Drill approvers may decide only in drill mode; a recovery never lists them.
    approvers: mode === 'drill' ? [...a.approvers, ...(a.drillApprovers ?? [])] : a.approvers,
    minApprovals: a.minApprovals,
    requireComment: a.requireComment,
    initiatorMayApprove: a.initiatorMayApprove,
    onTimeout: a.onTimeout,
    evidence: null,
    openedAt: null,
    deadline: null,
    round: 0,
    approvals: [],
  };
}

/** All state of one run. Call `touch()` after every change so the scheduler wakes and the phase is republished. */
export class RunState {
  readonly steps = new Map<string, StepStatus>();
  readonly rollback = new Map<string, StepStatus>();
  readonly gates = new Map<string, GateStatus>();
  readonly outputs: Record<string, Record<string, unknown>> = {};
  readonly exprSteps: ExprContext['steps'] = {};
  decisions: DecisionRecord[] = [];
  operatorLog: OperatorEvent[] = [];
  refusals: Refusal[] = [];
  /** Decisions accepted by the `decide` Update and not yet acted on, by step id. */
  readonly pendingDecisions = new Map<string, DecisionRecord>();
  paused = false;
  startedAt: string;
  endedAt: string | null = null;
  completedSeq = 0;
  continuedAsNew = 0;
  /** Set when the run must stop and roll back. */
  abortReason: StepError | null = null;
  /** How the run ended, set with abortReason or on cancellation; rollback `when:` reads it as run.outcome. */
  outcome: RunOutcome | null = null;
  /** Set once rollback starts, and when the run ends. */
  finalPhase: RunPhase | null = null;
  /** Size of the outputs kept so far (JSON characters), against RUN_OUTPUT_BUDGET_BYTES. */
  private outputBytes = 0;
  /** Runs with the OUTPUTS_BY_FIELD_PATCH: per-field cap and strict output reads. Fixed at start (determinism). */
  readonly outputsByField: boolean;
  /** Flipped by every change; the scheduler waits on it. */
  changed = false;
  private publishedPhase: RunPhase | null = null;

  constructor(
    readonly plan: Plan,
    readonly params: Record<string, unknown>,
    readonly options: RunOptions,
    readonly cluster: string,
  ) {
    this.startedAt = nowIso();
    // Hazard: decided once, at the start of the workflow code, so replays of older histories keep the old cap.
    this.outputsByField = patched(OUTPUTS_BY_FIELD_PATCH);
    for (const s of plan.steps) {
      this.steps.set(s.id, newRecord(s));
      if (s.kind === 'approval' && s.approval) this.gates.set(s.id, newGate(s, this.options.mode));
    }
    for (const s of plan.rollback) this.rollback.set(s.id, newRecord(s));
    if (options.resume) this.restore(options.resume);
    for (const r of this.steps.values()) this.exprSteps[r.id] = { outputs: this.outputs[r.id] ?? {}, state: r.state };
  }

  private restore(snap: RunSnapshot): void {
    for (const r of snap.steps) if (this.steps.has(r.id)) this.steps.set(r.id, r);
    for (const g of snap.gates) if (this.gates.has(g.id)) this.gates.set(g.id, g);
    Object.assign(this.outputs, snap.outputs);
    this.outputBytes = JSON.stringify(snap.outputs).length;
    this.decisions = snap.decisions;
    this.operatorLog = snap.operatorLog;
    this.paused = snap.paused;
    this.startedAt = snap.startedAt;
    this.completedSeq = snap.completedSeq;
    this.continuedAsNew = snap.continuedAsNew;
  }

  /** The record of a forward step. @throws Error when the id is unknown (a bug, not an input error). */
  step(id: string): StepStatus {
    const r = this.steps.get(id) ?? this.rollback.get(id);
    if (!r) throw new Error(`no step ${id}`);
    return r;
  }

  /** Stores a step's outputs (capped) where later expressions see them. */
  setOutputs(rec: StepStatus, outputs: Record<string, unknown>): void {
    const cap = this.outputBytes > RUN_OUTPUT_BUDGET_BYTES ? OUTPUT_CAP_OVER_BUDGET_BYTES : OUTPUT_CAP_BYTES;
    const capOf = this.outputsByField ? capFields : capOutputs;
    const capped = capOf(outputs, cap);
    this.outputBytes += JSON.stringify(capped).length;
    this.outputs[rec.id] = capped;
    rec.outputs = capOf(capped, STATUS_OUTPUT_CAP_BYTES);
    if (this.exprSteps[rec.id]) this.exprSteps[rec.id].outputs = capped;
  }

  /** Moves a step to `state`, stamping times and completion order. */
  transition(rec: StepStatus, state: StepStatus['state']): void {
    rec.state = state;
    const started = state === 'running' || state === 'waiting-approval';
    if (started && rec.startedAt === null) rec.startedAt = nowIso();
    if (TERMINAL.has(state)) rec.endedAt = nowIso();
    // Completion order drives rollback order; a step that failed after starting may have changed things too.
    if (state === 'succeeded' || (state === 'failed' && rec.startedAt !== null)) rec.completedSeq = ++this.completedSeq;
    if (this.exprSteps[rec.id]) this.exprSteps[rec.id].state = state;
    this.touch();
  }

  /** Marks a change: wakes the scheduler and republishes the phase search attribute when it moved. */
  touch(): void {
    this.changed = true;
    const phase = this.phase();
    if (phase !== this.publishedPhase) {
      this.publishedPhase = phase;
      upsertSearchAttributes([{ key: PHASE_KEY, value: phase }]);
    }
  }

  /** Records an Update refusal for the status query (bounded; not durable across worker restarts). */
  refuse(refusal: Refusal): void {
    this.refusals.push(refusal);
    if (this.refusals.length > MAX_REFUSALS) this.refusals.shift();
  }

  /** The overall phase, derived from step states unless the run has reached a final phase. */
  phase(): RunPhase {
    if (this.finalPhase) return this.finalPhase;
    const states = [...this.steps.values()].map((s) => s.state);
    if (states.includes('failed-awaiting-decision')) return 'waiting-decision';
    if (this.paused) return 'paused';
    if (states.includes('waiting-approval')) return 'waiting-approval';
    return 'running';
  }

  /** The whole state as the status query shows it. */
  status(): RunStatus {
    const gates = [...this.gates.values()];
    return {
      workflowId: workflowInfo().workflowId,
      runbook: {
        name: this.plan.runbook.name,
        title: this.plan.runbook.title ?? null,
        sha256: this.plan.runbook.sha256,
        source: this.plan.runbook.source,
      },
      cluster: this.cluster,
      mode: this.options.mode,
      dryRun: this.options.dryRun,
      initiator: this.options.initiator,
      phase: this.phase(),
      paused: this.paused,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      steps: [...this.steps.values()],
      rollback: [...this.rollback.values()],
      gates,
      pendingGates: gates.filter((g) => g.state === 'waiting'),
      decisions: this.decisions,
      operatorLog: this.operatorLog,
      refusals: this.refusals,
      abortReason: this.abortReason,
      outcome: this.outcome,
      continuedAsNew: this.continuedAsNew,
    };
  }

  /** What continue-as-new carries over. */
  snapshot(): RunSnapshot {
    return {
      steps: [...this.steps.values()],
      gates: [...this.gates.values()],
      outputs: this.outputs,
      decisions: this.decisions,
      operatorLog: this.operatorLog,
      paused: this.paused,
      startedAt: this.startedAt,
      completedSeq: this.completedSeq,
      continuedAsNew: this.continuedAsNew + 1,
    };
  }
}
