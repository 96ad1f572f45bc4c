/**
 * The engine's public shapes: what a run takes besides the Plan, and what the `status` query returns.
 * Plain JSON only (they cross the Temporal boundary), no imports at run time.
 */
import type { RunOutcome } from '../compiler/plan';

export type RunMode = 'recovery' | 'drill';

/** Options of one run, chosen by whoever starts it (the CLI). */
export interface RunOptions {
  mode: RunMode;
  /** Execute read-only actions and only plan the mutating ones. */
  dryRun: boolean;
  /** Who started the run; gates whose policy forbids it refuse this name. */
  initiator: string;
  /** Drill mode only: every gate approves itself, recorded as a policy decision. Ignored in recovery mode. */
  autoApprove?: boolean;
  /** Test hook: continue as new once the history reaches this many events (besides Temporal's own suggestion). */
  continueAsNewAtHistoryLength?: number;
  /** Set by the engine itself when it continues as new: the state to resume from. */
  resume?: RunSnapshot;
}

export type StepState =
  | 'pending'
  | 'running'
  | 'waiting-approval'
  | 'failed-awaiting-decision'
  | 'succeeded'
  | 'skipped'
  | 'failed'
  | 'rolled-back';

export type RunPhase =
  | 'running'
  | 'paused'
  | 'waiting-approval'
  | 'waiting-decision'
  | 'rolling-back'
  | 'succeeded'
  | 'completed-with-failures'
  | 'aborted'
  | 'cancelled';

/**
 * Why a skipped step was skipped; `blocked` skips propagate to dependents, the others do not. `outcome`:
 * a rollback step that does not run on the way the run ended (its `outcomes`).
 */
export type SkipReason = 'when' | 'operator' | 'blocked' | 'outcome';

/** A failure as the engine records it: the ApplicationFailure `type` and its message. */
export interface StepError {
  type: string;
  message: string;
  at: string;
  /** forEach: the item the failure came from. */
  item?: number;
}

export interface ItemProgress {
  total: number;
  succeeded: number;
  failed: number;
  running: number;
}

/** One step's record, as kept in workflow state and shown by the status query. */
export interface StepStatus {
  id: string;
  title?: string;
  action: string;
  kind: 'action' | 'approval' | 'wait';
  state: StepState;
  /** Engine-level attempt: 1, then +1 for every operator `retry`. Activity retries happen inside one attempt. */
  attempt: number;
  startedAt: string | null;
  endedAt: string | null;
  /** Outputs, capped in size (see workflows/caps.ts). */
  outputs: Record<string, unknown> | null;
  changed: boolean | null;
  summary: string | null;
  error: StepError | null;
  skipReason?: SkipReason;
  /** True when `--dry-run` planned this mutating step instead of calling it. */
  planned?: boolean;
  items?: ItemProgress;
  /** Order in which the step completed (succeeded), used for rollback order. */
  completedSeq?: number;
  source: { file: string; line: number; column: number };
}

export type Verdict = 'approve' | 'reject';

export interface ApprovalRecord {
  by: string;
  decision: Verdict;
  comment: string;
  at: string;
  /** True when a policy decided (drill auto-approval, timeout policy), not a person. */
  policy?: boolean;
  /** Which opening of the gate this belongs to (a `retry` decision re-opens a gate). */
  round: number;
}

export type GateState = 'pending' | 'waiting' | 'approved' | 'rejected' | 'timed-out';

export interface GateStatus {
  id: string;
  state: GateState;
  approvers: string[];
  minApprovals: number;
  requireComment: boolean;
  initiatorMayApprove: boolean;
  onTimeout: 'fail' | 'abort' | 'approve';
  /** The gate's summary rendered with earlier steps' outputs, at the moment it opened. */
  evidence: string | null;
  openedAt: string | null;
  deadline: string | null;
  round: number;
  approvals: ApprovalRecord[];
}

export type Decision = 'retry' | 'skip' | 'abort';

export interface DecisionRecord {
  stepId: string;
  decision: Decision;
  by: string;
  comment: string;
  at: string;
  attempt: number;
}

export interface OperatorEvent {
  action: 'pause' | 'resume' | 'cancel';
  by: string;
  comment: string;
  at: string;
}

/** A refused Update (refusals leave no history event, so they are kept here; best effort, bounded). */
export interface Refusal {
  update: string;
  code: string;
  message: string;
  args: unknown[];
  at: string;
}

/** What the `status` query returns (and what the workflow returns when it completes). */
export interface RunStatus {
  workflowId: string;
  runbook: { name: string; title: string | null; sha256: string; source: string };
  cluster: string;
  mode: RunMode;
  dryRun: boolean;
  initiator: string;
  phase: RunPhase;
  paused: boolean;
  startedAt: string;
  endedAt: string | null;
  steps: StepStatus[];
  rollback: StepStatus[];
  gates: GateStatus[];
  /** Gates waiting for approvers now, with their evidence. */
  pendingGates: GateStatus[];
  decisions: DecisionRecord[];
  operatorLog: OperatorEvent[];
  refusals: Refusal[];
  /** Why the run aborted, when it did. */
  abortReason: StepError | null;
  /** How the run ended when its rollback ran (`run.outcome`): cancelled, rejected, aborted or failed. */
  outcome?: RunOutcome | null;
  /** How many times this run continued as new. */
  continuedAsNew: number;
}

/** What continue-as-new carries over. */
export interface RunSnapshot {
  steps: StepStatus[];
  gates: GateStatus[];
  /** Full (capped) outputs for expressions, by step id. */
  outputs: Record<string, Record<string, unknown>>;
  decisions: DecisionRecord[];
  operatorLog: OperatorEvent[];
  paused: boolean;
  startedAt: string;
  completedSeq: number;
  continuedAsNew: number;
}
