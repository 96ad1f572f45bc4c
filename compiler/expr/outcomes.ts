/**
 * Run outcomes as rollback `when:` conditions read them (`run.outcome`). Sandbox-safe: the workflow
 * reads the defaults here when a plan predates outcomes.
 */
import type { ExprNode, RunOutcome } from '../plan';
import { possibleValues, verdict } from './possible';

/** Every run outcome, in the order plans and docs list them. */
export const RUN_OUTCOMES: readonly RunOutcome[] = ['cancelled', 'rejected', 'aborted', 'failed'];

/**
 * The outcomes a rollback step runs on when its `when:` does not read `run.outcome`. Never `rejected`:
 * a human said no, so nothing runs that the runbook did not allow for that answer by name.
 */
export const DEFAULT_ROLLBACK_OUTCOMES: readonly RunOutcome[] = ['cancelled', 'aborted', 'failed'];

/** True when `value` names a run outcome. */
export function isRunOutcome(value: unknown): value is RunOutcome {
  return typeof value === 'string' && (RUN_OUTCOMES as readonly string[]).includes(value);
}

/** True when the expression reads `run.outcome`. */
export function readsOutcome(node: ExprNode): boolean {
  switch (node.kind) {
    case 'path':
      return node.root === 'run' && node.segments[0] === 'outcome';
    case 'not':
      return readsOutcome(node.operand);
    case 'binary':
      return readsOutcome(node.left) || readsOutcome(node.right);
    default:
      return false;
  }
}

/**
 * The outcomes on which a rollback step with this `when:` may run: DEFAULT_ROLLBACK_OUTCOMES when the
 * condition does not read `run.outcome` (or there is none); otherwise every outcome for which it can hold.
 */
export function rollbackOutcomes(when: ExprNode | undefined): RunOutcome[] {
  if (!when || !readsOutcome(when)) return [...DEFAULT_ROLLBACK_OUTCOMES];
  return RUN_OUTCOMES.filter((o) => {
    const isOutcome = (p: { root: string; segments: Array<string | number> }) =>
      p.root === 'run' && p.segments.length === 1 && p.segments[0] === 'outcome';
    return verdict(possibleValues(when, (p) => (isOutcome(p) ? [o] : 'any'))) !== 'never';
  });
}

/** Literals compared with `run.outcome` that are not outcomes (a typo would silently never match). */
export function unknownOutcomeLiterals(node: ExprNode): string[] {
  if (node.kind === 'not') return unknownOutcomeLiterals(node.operand);
  if (node.kind !== 'binary') return [];
  const inner = [...unknownOutcomeLiterals(node.left), ...unknownOutcomeLiterals(node.right)];
  if (node.op !== '==' && node.op !== '!=') return inner;
  const pair = [node.left, node.right];
  if (!pair.some(readsOutcome)) return inner;
  const lits = pair.flatMap((n) => (n.kind === 'lit' && !isRunOutcome(n.value) ? [String(n.value)] : []));
  return [...inner, ...lits];
}
