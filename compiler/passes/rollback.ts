/**
 * The rollback section: each rollback step names the main steps it undoes (`undoes:`), which become its
 * edges; `run.outcome` comparisons name real outcomes; and a reversible action whose reverse is missing
 * from `rollback:` is warned about at the step that makes the change.
 */
import { hint } from '../diagnostics';
import {
  ExprSyntaxError,
  hasTemplate,
  parseExpression,
  RUN_OUTCOMES,
  splitTemplate,
  unknownOutcomeLiterals,
} from '../expr';
import type { Path } from '../source';
import type { PassContext, StepInfo } from './context';

/** Actions whose effect must not outlive an aborted run. */
const MUST_UNDO = new Set(['host.isolate']);

function undoesOf(step: StepInfo): Array<{ name: string; path: Path }> {
  const u = step.raw.undoes;
  if (typeof u === 'string') return [{ name: u, path: [...step.path, 'undoes'] }];
  if (!Array.isArray(u)) return [];
  return u.flatMap((name, i) => (typeof name === 'string' ? [{ name, path: [...step.path, 'undoes', i] }] : []));
}

/** Resolves each rollback step's `undoes:` into its edges (step.needs); reports unknown, gate and repeated names. */
export function resolveUndoes(ctx: PassContext): void {
  const mainIds = ctx.steps.flatMap((s) => (s.id ? [s.id] : []));
  for (const step of ctx.rollback) {
    if (step.raw.undoes === undefined) {
      ctx.report(
        'ROLLBACK_UNDOES_MISSING',
        [...step.path, 'id'],
        `rollback step '${step.id ?? step.index}' does not say what it undoes; add 'undoes: [step-id]' naming the main steps it reverses (it runs only if one of them started)`,
      );
      continue;
    }
    const seen = new Set<string>();
    for (const { name, path } of undoesOf(step)) {
      const target = ctx.byId.get(name);
      if (!target || target.section !== 'steps') {
        const what = target ? `'${name}' is a rollback step` : `no main step has the id '${name}'`;
        const msg = `undoes '${name}', but ${what}; name main steps${hint(name, mainIds)}`;
        ctx.report('ROLLBACK_UNDOES_UNKNOWN', path, msg);
      } else if (target.action?.kind === 'approval') {
        ctx.report(
          'ROLLBACK_UNDOES_GATE',
          path,
          `undoes gate '${name}', which changes nothing; name the main steps whose changes this step reverses`,
        );
      } else if (seen.has(name)) {
        ctx.report('NEEDS_DUPLICATE', path, `'${name}' is listed twice in undoes; remove the repeat`);
      } else {
        seen.add(name);
        step.needs.push({ id: name, path });
      }
    }
  }
}

/** Checks `run.outcome` comparisons in rollback `when:` and warns about reversible actions left unreversed. */
export function checkRollback(ctx: PassContext): void {
  for (const step of ctx.rollback) checkOutcomeLiterals(ctx, step);
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

function checkOutcomeLiterals(ctx: PassContext, step: StepInfo): void {
  const when = step.raw.when;
  if (typeof when !== 'string') return;
  let text = when;
  if (hasTemplate(when)) {
    try {
      const parts = splitTemplate(when);
      if (parts.length !== 1 || parts[0].kind !== 'expr') return;
      text = parts[0].text;
    } catch {
      return; // the expression pass reports it
    }
  }
  let bad: string[];
  try {
    bad = unknownOutcomeLiterals(parseExpression(text));
  } catch (err) {
    if (err instanceof ExprSyntaxError) return; // the expression pass reports it
    throw err;
  }
  for (const b of bad) {
    ctx.report(
      'ROLLBACK_OUTCOME_UNKNOWN',
      [...step.path, 'when'],
      `run.outcome is never '${b}'; it is one of ${RUN_OUTCOMES.join(', ')}${hint(b, RUN_OUTCOMES)}`,
    );
  }
}
