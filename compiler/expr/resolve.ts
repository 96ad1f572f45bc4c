/**
 * Turning a PlanValue (with embedded expressions and templates) into plain JSON at run time.
 * Pure and deterministic; the workflow calls this before every activity.
 */
import type { ExprNode, PlanExpr, PlanTemplate, PlanValue } from '../plan';
import type { ExprContext } from './context';
import { evaluateExpr } from './evaluate';
import { renderShellIn, renderText } from './template';

/** True when `v` is a `{ $expr, text }` value. */
export function isPlanExpr(v: unknown): v is PlanExpr {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && '$expr' in v;
}

/** True when `v` is a `{ $template: [...] }` value. */
export function isPlanTemplate(v: unknown): v is PlanTemplate {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && '$template' in v;
}

function renderTemplate(t: PlanTemplate, ctx: ExprContext): string {
  let out = '';
  for (const part of t.$template) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const v = evaluateExpr(part.expr, ctx);
    out += part.quote === 'raw' || part.quote === 'none' ? renderText(v) : renderShellIn(v, part.quote);
  }
  return out;
}

/**
 * Resolves every expression and template in `value` against `ctx` and returns plain JSON
 * (missing paths become null).
 * @throws ExprEvalError only for a malformed expression tree.
 */
export function resolveValue(value: PlanValue, ctx: ExprContext): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, ctx));
  if (isPlanExpr(value)) return evaluateExpr(value.$expr, ctx);
  if (isPlanTemplate(value)) return renderTemplate(value, ctx);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as { [key: string]: PlanValue })) out[k] = resolveValue(v, ctx);
  return out;
}

/** Every path node in an expression tree (for dependency analysis). */
export function collectPaths(node: ExprNode): Array<Extract<ExprNode, { kind: 'path' }>> {
  switch (node.kind) {
    case 'path':
      return [node];
    case 'not':
      return collectPaths(node.operand);
    case 'binary':
      return [...collectPaths(node.left), ...collectPaths(node.right)];
    default:
      return [];
  }
}
