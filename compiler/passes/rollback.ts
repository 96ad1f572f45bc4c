/**
 * Rollback coverage: when the main steps run a reversible action whose reverse is not in
 * `rollback:`, an aborted run would leave that change in place; warn at the step that makes it.
 */
import type { PassContext } from './context';

/** Actions whose effect must not outlive an aborted run. */
const MUST_UNDO = new Set(['host.isolate']);

/** Warns for reversible actions (e.g. host.isolate) without their reverse in the rollback section. */
export function checkRollback(ctx: PassContext): void {
  const inRollback = new Set(ctx.rollback.flatMap((s) => (s.uses ? [s.uses] : [])));
  const warned = new Set<string>();
  for (const step of ctx.steps) {
    const a = step.action;
    if (!a?.reversible || !a.reverse || a.readOnly || warned.has(a.name)) continue;
    // Stopping or starting services is undone by later steps of a recovery; only isolation must be undone.
    if (!MUST_UNDO.has(a.name)) continue;
    if (!inRollback.has(a.reverse)) {
      warned.add(a.name);
      ctx.report(
        'ROLLBACK_MISSING_REVERSE',
        [...step.path, 'uses'],
        `${a.name} is reversible but 'rollback:' has no ${a.reverse} step; an aborted run would leave it in place`,
      );
    }
  }
}
