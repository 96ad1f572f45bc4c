/**
 * The audit report: what ran, with which parameters and runbook version, what every command returned,
 * who approved or decided what and when, and how the run ended. Built from the workflow history alone.
 * `audit --format json` prints this shape; keys are stable (add, never rename; bump reportVersion otherwise).
 */
import type { Plan } from '../compiler/plan';
import type { FailureInfo } from './decode';

export const REPORT_VERSION = 1 as const;

/** One call of a step's activity (one engine attempt, or one forEach item of it). */
export interface AuditAttempt {
  /** Engine attempt (1, then +1 per operator `retry`), counted per step and item. */
  attempt: number;
  /** forEach element, when the step fans out. */
  item?: unknown;
  activityId: string;
  scheduledAt: string;
  /** When the last Temporal attempt started (null when it never started). */
  startedAt: string | null;
  endedAt: string | null;
  /** Temporal-level attempts inside this call (activity retries). */
  activityAttempts: number;
  /** The failure of the attempt before the last, when Temporal retried. */
  retriedAfter?: FailureInfo;
  /** The worker that ran it (its identity). */
  worker?: string;
  /** Inputs with every expression evaluated, as the activity received them (secret-looking keys redacted). */
  inputs: Record<string, unknown>;
  result: { changed: boolean; summary: string | null; outputs: Record<string, unknown> } | null;
  error: FailureInfo | null;
  /** Last lines of stdout/stderr when the outputs carry them. */
  outputTail?: string;
  /** For gates: the evidence shown to approvers. */
  evidence?: string;
}

export interface AuditStep {
  id: string;
  title: string | null;
  action: string;
  kind: 'action' | 'approval' | 'wait';
  needs: string[];
  /** DAG level (0 = no needs). */
  level: number;
  state: string;
  source: { file: string; line: number; column: number };
  attempts: AuditAttempt[];
}

export interface AuditApproval {
  gate: string;
  by: string;
  decision: 'approve' | 'reject';
  comment: string;
  at: string;
  round: number | null;
  /** The evidence the gate showed when it was decided. */
  evidence: string | null;
  /** The Temporal client identity that sent the update. */
  identity: string;
  policy: boolean;
}

export interface AuditDecision {
  step: string;
  decision: 'retry' | 'skip' | 'abort';
  by: string;
  comment: string;
  at: string;
  identity: string;
}

export interface AuditOperatorEvent {
  action: string;
  by: string;
  comment: string;
  at: string;
  identity: string;
}

export interface AuditRefusedUpdate {
  update: string;
  args: unknown[];
  at: string;
  error: FailureInfo;
}

export interface TimelineEntry {
  at: string;
  kind: 'run' | 'step' | 'approval' | 'decision' | 'operator' | 'rollback' | 'phase' | 'timer';
  step?: string;
  text: string;
}

export interface AuditOutcome {
  /** succeeded | completed-with-failures | aborted | cancelled | terminated | timed-out | continued-as-new | failed | running */
  status: string;
  at: string | null;
  error: FailureInfo | null;
}

export interface AuditReport {
  reportVersion: typeof REPORT_VERSION;
  workflowId: string;
  runId: string;
  workflowType: string;
  taskQueue: string;
  runbook: { name: string; title: string | null; sha256: string; source: string };
  params: Record<string, unknown>;
  options: { mode: string; dryRun: boolean; initiator: string; autoApprove: boolean };
  /** The Temporal client identity that started the run. */
  startedBy: string;
  startedAt: string;
  endedAt: string | null;
  outcome: AuditOutcome;
  plan: Plan;
  steps: AuditStep[];
  approvals: AuditApproval[];
  decisions: AuditDecision[];
  operator: AuditOperatorEvent[];
  refused: AuditRefusedUpdate[];
  rollback: AuditStep[];
  phases: Array<{ phase: string; at: string }>;
  timeline: TimelineEntry[];
  /** Event count (all runs) and SHA-256 (one run: of its exported JSON; a continue-as-new chain: of the per-run hashes joined by newlines). */
  history: { events: number; sha256: string | null; runs?: Array<{ runId: string; events: number; sha256: string }> };
  verify?: { replayed: boolean; historySha256: string; error?: { type: string; message: string } };
}
