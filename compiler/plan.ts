/**
 * The Plan: the only contract between the runbook language and the engine.
 *
 * Rules: this file has no imports, every type is plain JSON (no Date, no Map, no undefined-only
 * semantics the workflow depends on), and any incompatible change bumps PLAN_VERSION. The compiler
 * has applied every default, so the interpreter never does.
 */

export const PLAN_VERSION = 1 as const;

/** Where a step (or value) came from, 1-based, so runtime failures can point at the runbook line. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A parsed expression. Evaluated by the pure evaluator in compiler/expr/, which the workflow imports. */
export type ExprNode =
  | { kind: 'lit'; value: string | number | boolean | null }
  /** `params.x`, `inventory.kafka.brokers`, `steps.assess.outputs.summary`, `item.host`, `run.mode`. */
  | { kind: 'path'; root: 'params' | 'inventory' | 'steps' | 'item' | 'run'; segments: Array<string | number> }
  | { kind: 'not'; operand: ExprNode }
  | {
      kind: 'binary';
      op: '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';
      left: ExprNode;
      right: ExprNode;
    };

/** A value that is one whole `${{ expr }}`: it evaluates to the expression's value, of any JSON type. */
export interface PlanExpr {
  $expr: ExprNode;
  /** The expression text as written, for messages and the audit. */
  text: string;
}

/**
 * A string with embedded expressions: `"Restore ${{ params.backupSet }}"`. Each part is rendered to
 * text; `quote: 'shell'` parts are quoted for POSIX sh as bare words (used in `ssh.exec` commands),
 * `shell-single`/`shell-double` parts for the template's own '...'/"..." they sit in, `raw` parts are
 * inserted as is (the step acknowledged it), `none` parts are plain text interpolation.
 */
export interface PlanTemplate {
  $template: Array<
    string | { expr: ExprNode; text: string; quote: 'shell' | 'shell-single' | 'shell-double' | 'raw' | 'none' }
  >;
}

export type PlanValue =
  null | boolean | number | string | PlanValue[] | { [key: string]: PlanValue } | PlanExpr | PlanTemplate;

export interface PlanRetry {
  maxAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maxIntervalMs: number;
  /**
   * Extra error types (ApplicationFailure `type`) never to retry. Empty for built-in actions: each of
   * their failures says itself whether a retry can help (its class's `retryable` → `nonRetryable`), so
   * retryability is decided in one place. For activities that throw untyped errors (tests, custom workers).
   */
  nonRetryableErrorTypes: string[];
}

export interface PlanTimeouts {
  /** Per attempt. */
  startToCloseMs: number;
  /** Set for long-running actions that heartbeat. */
  heartbeatMs?: number;
}

export type OnFailure = 'pause' | 'abort' | 'continue';

/**
 * How a run ended when its rollback runs (`run.outcome` in a rollback step's `when:`):
 * - `cancelled`: an operator cancelled the run;
 * - `rejected`: an approver rejected a gate;
 * - `aborted`: an operator decided `abort` on a failed step, or a gate timed out with `onTimeout: abort`;
 * - `failed`: a step failed and its `onFailure: abort` stopped the run.
 */
export type RunOutcome = 'cancelled' | 'rejected' | 'aborted' | 'failed';

export interface PlanApproval {
  approvers: string[];
  /** Who may also approve when the run is in drill mode (a scheduled or `npm run drill` approver); ignored in recovery. */
  drillApprovers?: string[];
  minApprovals: number;
  timeoutMs: number;
  /** `approve` is only accepted by the compiler in drill mode, and the engine only honours it in drill mode. */
  onTimeout: 'fail' | 'abort' | 'approve';
  /** When false, the person who started the run cannot approve its gates. */
  initiatorMayApprove: boolean;
  requireComment: boolean;
  /** Evidence shown to the approver, rendered with earlier steps' outputs. */
  summary: PlanValue;
}

export interface PlanForEach {
  /** Evaluates to a list (usually `inventory.kafka.brokers`). Each element is bound to `item`. */
  items: PlanValue;
  maxParallel: number;
  /** How many items may fail before the step fails; 0 means the first failure fails the step. */
  maxFailures: number;
}

export interface PlanStep {
  id: string;
  title?: string;
  /** Registry name: `ssh.exec`, `service.stop`, `approval`, `wait`, ... */
  action: string;
  /** `action` steps call an activity; `approval` steps are gates; `wait` is a durable timer/condition. */
  kind: 'action' | 'approval' | 'wait';
  /** Main steps: the steps that must finish first. Rollback steps: the main steps they undo (`undoes:`). */
  needs: string[];
  /**
   * Rollback steps only: the run outcomes on which the step may run (its `when:` can still say no).
   * Absent in plans compiled before outcomes existed; the engine then uses DEFAULT_ROLLBACK_OUTCOMES (compiler/expr/outcomes.ts).
   */
  outcomes?: RunOutcome[];
  /** When true, a need that was skipped counts as satisfied (default true). */
  proceedIfNeedsSkipped: boolean;
  with: { [key: string]: PlanValue };
  forEach?: PlanForEach;
  when?: PlanExpr;
  retry: PlanRetry;
  /** Activity and wait time limits. Absent on approval gates: their deadline is `approval.timeoutMs`. */
  timeouts?: PlanTimeouts;
  onFailure: OnFailure;
  approval?: PlanApproval;
  /** From the registry: safe to run again. Non-idempotent actions default to one attempt. */
  idempotent: boolean;
  /** From the registry: true when the action changes nothing (run for real under `--dry-run`). */
  readOnly: boolean;
  source: SourceLocation;
}

export interface PlanParameter {
  type: 'string' | 'number' | 'boolean';
  description?: string;
  default?: string | number | boolean;
  enum?: Array<string | number>;
  required: boolean;
}

export interface Plan {
  planVersion: typeof PLAN_VERSION;
  runbook: {
    name: string;
    title?: string;
    /** SHA-256 (hex) of the runbook file's bytes. */
    sha256: string;
    /** Path of the runbook as given to the compiler. */
    source: string;
    /** Recovery-time objective, if the runbook states one. */
    rtoMs?: number;
    /** Modes the runbook may run in (`metadata.modes`); absent means both. The engine refuses any other mode. */
    modes?: Array<'recovery' | 'drill'>;
  };
  parameters: { [name: string]: PlanParameter };
  /** The resolved inventory (plain data, no secrets: key files are references). */
  inventory: { [key: string]: PlanValue };
  /** Global limits. */
  maxParallel: number;
  failFast: boolean;
  /** Every step in a topological order that respects `needs`. */
  steps: PlanStep[];
  /**
   * Run when a run ends cancelled, rejected, aborted or failed: each step whose outcomes include the ending
   * and that undoes a main step that started, in reverse order of completion of what it undoes.
   */
  rollback: PlanStep[];
}

/** What the engine passes to every activity (one call per forEach item). */
export interface ActionRequest {
  workflowId: string;
  /**
   * The run's first execution run id: with stepId, the key of what an action made (the workflow id alone
   * is reused by every run on a cluster).
   */
  runId?: string;
  stepId: string;
  /** Inputs with every expression already evaluated. */
  inputs: { [key: string]: unknown };
  /** The forEach element, when the step fans out. */
  item?: unknown;
  inventory: { [key: string]: unknown };
  mode: 'recovery' | 'drill';
  dryRun: boolean;
}

/** What every activity returns; `O` is the action's outputs (its registry output schema's type). */
export interface ActionResult<O extends { [key: string]: unknown } = { [key: string]: unknown }> {
  /** Ansible-style: false when the desired state already held. */
  changed: boolean;
  outputs: O;
  /** One line for the status view and the audit. */
  summary?: string;
}

/**
 * An output value the activity stored in the run's evidence store instead of returning it (it was large).
 * The output field holds this reference; expressions that read the field fail with OUTPUT_STORED.
 */
export interface EvidenceRef {
  $evidence: { path: string; bytes: number; sha256: string };
}

/** An output value the engine's size cap dropped from workflow state; reading it fails with OUTPUT_DROPPED. */
export interface DroppedOutput {
  $dropped: { bytes: number; cap: number; preview: string };
}
