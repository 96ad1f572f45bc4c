/**
 * Builders for hand-written Plans in rehearsal tests: every field the compiler would resolve is
 * filled with a fast, explicit default, so a test states only what it is about.
 */
import { createHash } from 'node:crypto';
import { parseExpression } from '../../compiler/expr';
import type { Plan, PlanApproval, PlanExpr, PlanStep, PlanTemplate } from '../../compiler/plan';

/** `${{ text }}` as a PlanExpr. */
export function expr(text: string): PlanExpr {
  return { $expr: parseExpression(text), text };
}

/** A template from literal text and expression texts: tpl('Restore ', ['params.set'], ' now'). */
export function tpl(...parts: Array<string | [string]>): PlanTemplate {
  return {
    $template: parts.map((p) =>
      typeof p === 'string' ? p : { expr: parseExpression(p[0]), text: p[0], quote: 'none' as const },
    ),
  };
}

/** An action step calling `action` (a `test.*` rehearsal action by default). */
export function step(id: string, action = 'test.ok', over: Partial<PlanStep> = {}): PlanStep {
  return {
    id,
    action,
    kind: 'action',
    needs: [],
    proceedIfNeedsSkipped: true,
    with: {},
    retry: {
      maxAttempts: 1,
      initialIntervalMs: 100,
      backoffCoefficient: 1,
      maxIntervalMs: 100,
      nonRetryableErrorTypes: [],
    },
    timeouts: { startToCloseMs: 30_000 },
    onFailure: 'pause',
    idempotent: true,
    readOnly: false,
    source: { file: 'rehearsal.yaml', line: 1, column: 1 },
    ...over,
  };
}

/** An approval gate. */
export function gate(id: string, approval: Partial<PlanApproval> = {}, over: Partial<PlanStep> = {}): PlanStep {
  return step(id, 'approval', {
    kind: 'approval',
    approval: {
      approvers: ['alice', 'bob', 'carol'],
      minApprovals: 1,
      timeoutMs: 60_000,
      onTimeout: 'fail',
      initiatorMayApprove: false,
      requireComment: false,
      summary: 'approve?',
      ...approval,
    },
    ...over,
  });
}

/** A plan around `steps`. */
export function plan(steps: PlanStep[], over: Partial<Plan> = {}): Plan {
  const name = over.runbook?.name ?? 'rehearsal';
  return {
    planVersion: 1,
    runbook: {
      name,
      title: 'Rehearsal',
      sha256: createHash('sha256').update(name).digest('hex'),
      source: 'rehearsal.yaml',
    },
    parameters: {},
    inventory: { cluster: `rehearsal-${Math.random().toString(36).slice(2, 10)}` },
    maxParallel: 4,
    failFast: false,
    steps,
    rollback: [],
    ...over,
  };
}
