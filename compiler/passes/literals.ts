/**
 * Values the compiler itself reads must be written out, not computed at run time: an approval gate's
 * policy (everything but its `summary`) becomes the Plan's approval, a wait's `timeout` its time limit,
 * and a `when:` is one expression.
 * Without this pass an expression there compiled into a plan the engine cannot run (a gate timeout that
 * is an expression object, a `when:` that is text around an expression).
 */
import { hasTemplate, splitTemplate } from '../expr';
import type { PassContext } from './context';
import { isRecord } from './context';

/** Reports expressions in gate policy inputs and `when:` conditions that are not one whole expression. */
export function checkLiterals(ctx: PassContext): void {
  for (const step of [...ctx.steps, ...ctx.rollback]) {
    const when = step.raw.when;
    if (typeof when === 'string' && hasTemplate(when) && !wholeExpression(when)) {
      ctx.report(
        'EXPR_SYNTAX',
        [...step.path, 'when'],
        "'when' is one condition: write it as a single ${{ ... }} (or bare), with no text around it",
      );
    }
    const literal = LITERAL_INPUTS[step.action?.kind ?? 'action'];
    if (!literal || !isRecord(step.raw.with)) continue;
    for (const [key, value] of Object.entries(step.raw.with)) {
      if (!literal(key) || !containsTemplate(value)) continue;
      ctx.report(
        'INPUT_TYPE',
        [...step.path, 'with', key],
        `'${key}' of ${step.action?.name} is fixed when the plan is compiled (it becomes the step's policy or ` +
          'time limit); write a value, not an expression',
      );
    }
  }
}

/** Per kind of step, the inputs the compiler lowers into the plan's own fields. */
const LITERAL_INPUTS: Partial<Record<'action' | 'approval' | 'wait', (key: string) => boolean>> = {
  approval: (key) => key !== 'summary',
  wait: (key) => key === 'timeout',
};

function wholeExpression(text: string): boolean {
  try {
    const parts = splitTemplate(text);
    return parts.length === 1 && parts[0].kind === 'expr' && !parts[0].raw;
  } catch {
    return true; // an unclosed template: the expressions pass reports it
  }
}

function containsTemplate(v: unknown): boolean {
  if (typeof v === 'string') return hasTemplate(v);
  if (Array.isArray(v)) return v.some(containsTemplate);
  if (isRecord(v)) return Object.values(v).some(containsTemplate);
  return false;
}
