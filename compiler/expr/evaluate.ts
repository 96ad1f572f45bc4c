/**
 * The pure evaluator. Deterministic: no clock, no randomness, no I/O, so the workflow can run it.
 *
 * Semantics: a path that does not exist evaluates to null, except (with `strictOutputs`) a step output
 * that was stored as evidence, dropped by the cap, or not returned by a succeeded step: that throws
 * ExprOutputError. `==`/`!=` compare JSON values deeply with
 * no type coercion. `<`, `<=`, `>`, `>=` compare two numbers or two strings and are false otherwise.
 * `&&`/`||` short-circuit and return the deciding operand, as in JavaScript; `!` returns a boolean.
 * Falsy values are false, null, 0, '' (and missing); everything else, including [] and {}, is truthy.
 */
import type { ExprNode } from '../plan';
import type { ExprContext } from './context';
import { ExprEvalError, ExprOutputError } from './errors';
import { describeOutputMarker, isDroppedOutput, isEvidenceRef } from './outputs';

/** True when `value` counts as true in a condition. */
export function isTruthy(value: unknown): boolean {
  return !(value === false || value === null || value === undefined || value === 0 || value === '');
}

/** Deep JSON equality without coercion. */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEquals(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return (
    ak.length === bk.length && ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEquals(ao[k], bo[k]))
  );
}

function lookup(base: unknown, segment: string | number): unknown {
  if (base === null || base === undefined) return undefined;
  if (Array.isArray(base)) {
    if (typeof segment === 'number') return base[segment < 0 ? base.length + segment : segment];
    if (segment === 'length') return base.length;
    return undefined;
  }
  if (typeof base === 'object') {
    const key = String(segment);
    // Own properties only: an expression must never reach the prototype chain (`constructor`, `__proto__`).
    return Object.prototype.hasOwnProperty.call(base, key) ? (base as Record<string, unknown>)[key] : undefined;
  }
  if (typeof base === 'string' && segment === 'length') return base.length;
  return undefined;
}

function rootValue(ctx: ExprContext, root: string): unknown {
  switch (root) {
    case 'params':
      return ctx.params;
    case 'inventory':
      return ctx.inventory;
    case 'steps':
      return ctx.steps;
    case 'item':
      return ctx.item;
    case 'run':
      return ctx.run;
    default:
      throw new ExprEvalError(`unknown expression root '${root}'`);
  }
}

/**
 * Strict output reads: `steps.<id>.outputs.<name>...` must not pass through a stored or dropped value,
 * and a succeeded step (outside dry-run) must have returned `<name>`.
 */
function checkOutput(ctx: ExprContext, segments: Array<string | number>, i: number, v: unknown): void {
  if (i < 2 || segments[1] !== 'outputs') return;
  const path = ['steps', ...segments.slice(0, i + 1)].join('.');
  if (isEvidenceRef(v)) {
    throw new ExprOutputError(
      'OUTPUT_STORED',
      `${path} is too large to pass between steps: it was ${describeOutputMarker(v)}; read a small output (a path, a count, a summary) instead`,
    );
  }
  if (isDroppedOutput(v)) {
    throw new ExprOutputError(
      'OUTPUT_DROPPED',
      `${path} is not available: it was ${describeOutputMarker(v)}; the action should store it as evidence, or read a smaller output`,
    );
  }
  if (i === 2 && v === undefined && !ctx.run.dryRun) {
    const step = ctx.steps[String(segments[0])];
    if (step?.state === 'succeeded') {
      const has = Object.keys(step.outputs ?? {});
      throw new ExprOutputError(
        'OUTPUT_MISSING',
        `${path}: step '${segments[0]}' succeeded without returning '${segments[2]}' (it returned: ${has.join(', ') || 'nothing'})`,
      );
    }
  }
}

/** `<`, `<=`, `>`, `>=` as expressions evaluate them: two numbers or two strings, else false. */
export function compare(op: string, l: unknown, r: unknown): boolean {
  const comparable =
    (typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string');
  if (!comparable) return false;
  const a = l as number | string;
  const b = r as number | string;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/**
 * Evaluates a parsed expression against a context. Missing paths yield null (never undefined).
 * @throws ExprOutputError for an unreadable step output under `strictOutputs`.
 * @throws ExprEvalError only for a malformed node (one parseExpression never produces).
 */
export function evaluateExpr(node: ExprNode, ctx: ExprContext): unknown {
  const v = evaluate(node, ctx);
  return v === undefined ? null : v;
}

function evaluate(node: ExprNode, ctx: ExprContext): unknown {
  switch (node.kind) {
    case 'lit':
      return node.value;
    case 'path': {
      let v: unknown = rootValue(ctx, node.root);
      node.segments.forEach((s, i) => {
        v = lookup(v, s);
        if (ctx.strictOutputs && node.root === 'steps') checkOutput(ctx, node.segments, i, v);
      });
      return v;
    }
    case 'not':
      return !isTruthy(evaluate(node.operand, ctx));
    case 'binary': {
      if (node.op === '&&') {
        const l = evaluate(node.left, ctx);
        return isTruthy(l) ? evaluate(node.right, ctx) : l;
      }
      if (node.op === '||') {
        const l = evaluate(node.left, ctx);
        return isTruthy(l) ? l : evaluate(node.right, ctx);
      }
      const l = evaluate(node.left, ctx);
      const r = evaluate(node.right, ctx);
      if (node.op === '==') return jsonEquals(l, r);
      if (node.op === '!=') return !jsonEquals(l, r);
      return compare(node.op, l, r);
    }
    default:
      throw new ExprEvalError(`malformed expression node ${JSON.stringify(node)}`);
  }
}
