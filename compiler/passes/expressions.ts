/**
 * Expressions: every `${{ }}` in `with:`, `when:`, `forEach:` and `inventory:` is parsed, and every
 * path in it is checked — parameters declared, steps that are ancestors and outputs their actions
 * declare, `item` only under forEach, `run.*` fields (`run.outcome` in rollback steps only), inventory paths
 * when an inventory is known, and each expression's size (EXPR_TOO_COMPLEX).
 */
import { outputNames } from '../actions';
import type { DiagnosticCode } from '../diagnostics';
import { formatPath, hint } from '../diagnostics';
import type { PathRef, TemplateExprPart } from '../expr';
import { ExprSyntaxError, hasTemplate, parseExpressionWithPaths, splitTemplate } from '../expr';
import { dependsOn } from '../graph';
import type { Path } from '../source';
import type { PassContext, StepInfo } from './context';
import { isRecord } from './context';

/** Where an expression appears, which decides what it may read. */
interface Scope {
  step?: StepInfo;
  /** `item` is bound (inside a forEach step, but not in its own forEach list). */
  item: boolean;
  /** Only `params` may be read (the runbook's `inventory:` field). */
  paramsOnly?: boolean;
  /** The value is a shell command (always text; passes/shell.ts checks where each value lands). */
  shell?: boolean;
}

const RUN_FIELDS = ['mode', 'dryRun', 'workflowId'];

/** Checks every expression in the runbook. */
export function checkExpressions(ctx: PassContext): void {
  if (typeof ctx.data.inventory === 'string')
    checkString(ctx, ['inventory'], ctx.data.inventory, { item: false, paramsOnly: true });
  for (const step of [...ctx.steps, ...ctx.rollback]) {
    const fanOut = step.raw.forEach !== undefined;
    const w = step.raw.with;
    if (isRecord(w)) {
      for (const [key, value] of Object.entries(w)) {
        const shell = step.action?.shellInputs?.includes(key) ?? false;
        walk(ctx, [...step.path, 'with', key], value, { step, item: fanOut, shell });
      }
    }
    if (typeof step.raw.when === 'string') {
      // `when` decides whether the step runs at all, before any fan-out, so `item` is not bound there.
      const n = checkString(ctx, [...step.path, 'when'], step.raw.when, { step, item: false }, true);
      if (n === 0 && !ctx.diagnostics.some((d) => d.path === formatPath([...step.path, 'when'])))
        ctx.report(
          'WHEN_CONSTANT',
          [...step.path, 'when'],
          "this condition reads nothing, so it never changes; use an expression such as ${{ params.x == 'y' }}, or remove it",
        );
    }
    if (typeof step.raw.forEach === 'string')
      checkString(ctx, [...step.path, 'forEach'], step.raw.forEach, { step, item: false }, true);
    else if (Array.isArray(step.raw.forEach))
      walk(ctx, [...step.path, 'forEach'], step.raw.forEach, { step, item: false });
  }
}

function walk(ctx: PassContext, path: Path, value: unknown, scope: Scope): void {
  if (typeof value === 'string') checkString(ctx, path, value, scope);
  else if (Array.isArray(value)) value.forEach((v, i) => walk(ctx, [...path, i], v, scope));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) walk(ctx, [...path, k], v, scope);
}

/**
 * Checks one string. With `bare`, a string without `${{` is itself an expression (for `when:` and
 * `forEach:`). Returns the number of paths read.
 */
function checkString(ctx: PassContext, path: Path, s: string, scope: Scope, bare = false): number {
  let parts: TemplateExprPart[];
  // Text: the value is a string built around the expressions (a lone `${{ x }}` passes x through as is).
  let text = false;
  if (!hasTemplate(s)) {
    if (!bare) return 0;
    parts = [
      { kind: 'expr', text: s.trim(), offset: s.length - s.trimStart().length, start: 0, end: s.length, raw: false },
    ];
  } else {
    try {
      const all = splitTemplate(s);
      text = !!scope.shell || !(all.length === 1 && all[0].kind === 'expr' && !all[0].raw);
      parts = all.filter((p): p is TemplateExprPart => p.kind === 'expr');
    } catch (err) {
      if (!(err instanceof ExprSyntaxError)) throw err;
      ctx.report('EXPR_UNTERMINATED', path, err.message, 'value', { start: err.offset, end: err.offset + 3 });
      return 0;
    }
  }
  let reads = 0;
  for (const part of parts) {
    let paths: PathRef[];
    try {
      paths = parseExpressionWithPaths(part.text).paths;
    } catch (err) {
      if (!(err instanceof ExprSyntaxError)) throw err;
      const code: DiagnosticCode =
        err.kind === 'unterminated'
          ? 'EXPR_UNTERMINATED'
          : err.kind === 'unknown-root'
            ? 'EXPR_UNKNOWN_NAME'
            : err.kind === 'too-complex'
              ? 'EXPR_TOO_COMPLEX'
              : 'EXPR_SYNTAX';
      const start = part.offset + err.offset;
      const shown = part.text.length > 80 ? `${part.text.slice(0, 77)}...` : part.text;
      ctx.report(code, path, `invalid expression '${shown}': ${err.message}`, 'value', {
        start,
        end: start + Math.max(1, err.length),
      });
      continue;
    }
    for (const ref of paths) {
      reads++;
      const sub = { start: part.offset + ref.offset, end: part.offset + ref.offset + ref.length };
      const problem = checkRef(ctx, ref, scope) ?? (text ? largeInText(ctx, ref) : undefined);
      if (problem) ctx.report(problem[0], path, problem[1], 'value', sub);
    }
  }
  return reads;
}

type Problem = [DiagnosticCode, string] | undefined;

function checkRef(ctx: PassContext, ref: PathRef, scope: Scope): Problem {
  const { root, segments } = ref.node;
  const text = [root, ...segments].join('.');
  if (scope.paramsOnly && root !== 'params') {
    return ['EXPR_UNKNOWN_NAME', `'${text}': only parameters are known when the inventory is chosen; use params.*`];
  }
  switch (root) {
    case 'params':
      return checkParam(ctx, segments);
    case 'steps':
      return checkStepRef(ctx, segments, scope, text);
    case 'item':
      return scope.item
        ? undefined
        : [
            'REF_ITEM_OUTSIDE_FOREACH',
            `'${text}' is only bound in the with: inputs of a step with forEach (not in its when: or forEach:)`,
          ];
    case 'run': {
      const f = segments[0];
      const fields = scope.step?.section === 'rollback' ? [...RUN_FIELDS, 'outcome'] : RUN_FIELDS;
      if (f === undefined || fields.includes(String(f))) return undefined;
      if (f === 'outcome')
        return [
          'REF_RUN_UNKNOWN',
          "run.outcome is only known while the rollback runs: read it in a rollback step's when:",
        ];
      return ['REF_RUN_UNKNOWN', `run has no field '${f}' (it has ${fields.join(', ')})${hint(String(f), fields)}`];
    }
    case 'inventory':
      return checkInventory(ctx, segments, text);
    default:
      return undefined;
  }
}

function checkParam(ctx: PassContext, segments: Array<string | number>): Problem {
  const name = segments[0];
  if (name === undefined || Object.prototype.hasOwnProperty.call(ctx.params, String(name))) return undefined;
  const declared = Object.keys(ctx.params);
  return [
    'REF_PARAM_UNKNOWN',
    `unknown parameter '${name}': declare it under parameters:${declared.length ? ` (declared: ${declared.join(', ')})` : ''}${hint(String(name), declared)}`,
  ];
}

function checkStepRef(ctx: PassContext, segments: Array<string | number>, scope: Scope, text: string): Problem {
  const id = segments[0];
  if (id === undefined) return ['REF_STEP_FIELD', `'${text}': name a step, as in steps.<id>.outputs.<name>`];
  const target = ctx.byId.get(String(id));
  if (!target)
    return [
      'REF_STEP_UNKNOWN',
      `'${text}' reads step '${id}', which does not exist${hint(String(id), ctx.byId.keys())}`,
    ];
  const self = scope.step;
  if (self) {
    const ancestor = self.id !== undefined && dependsOn(ctx.needsGraph, self.id, target.id as string);
    const mainFromRollback = self.section === 'rollback' && target.section === 'steps';
    if (!ancestor && !mainFromRollback) {
      return [
        'REF_STEP_NOT_ANCESTOR',
        `'${text}' reads step '${id}', which is not an ancestor of '${self.id}', so it may not have run; add '${id}' to the needs of '${self.id}' (directly or through another step)`,
      ];
    }
  }
  const field = segments[1];
  if (field === 'state') return undefined;
  if (field !== 'outputs') {
    return [
      'REF_STEP_FIELD',
      `'${text}': a step exposes 'outputs' and 'state'${field === undefined ? '' : `, not '${field}'`}${hint(String(field ?? ''), ['outputs', 'state'])}`,
    ];
  }
  const output = segments[2];
  const declared = target.action ? outputNames(target.action) : undefined;
  if (output === undefined || !declared || declared.includes(String(output))) return undefined;
  return [
    'REF_OUTPUT_UNKNOWN',
    `${target.action?.name} has no output '${output}' (its outputs: ${declared.join(', ')})${hint(String(output), declared)}`,
  ];
}

/** A declared-large output interpolated into text: it may be stored as evidence on a big cluster, and then fail. */
function largeInText(ctx: PassContext, ref: PathRef): Problem {
  const { root, segments } = ref.node;
  if (root !== 'steps' || segments[1] !== 'outputs' || segments[2] === undefined) return undefined;
  const action = ctx.byId.get(String(segments[0]))?.action;
  const output = String(segments[2]);
  if (!action?.largeOutputs?.includes(output)) return undefined;
  const small = outputNames(action).filter((o) => !action.largeOutputs!.includes(o));
  return [
    'LARGE_OUTPUT_IN_TEXT',
    `${action.name} output '${output}' grows with the cluster; over 8 KB it is stored as evidence and reading it fails the step (OUTPUT_STORED). Interpolate a small output instead (${small.join(', ')})`,
  ];
}

function checkInventory(ctx: PassContext, segments: Array<string | number>, text: string): Problem {
  if (!ctx.inventory) return undefined;
  let v: unknown = ctx.inventory;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (Array.isArray(v)) {
      if (seg === 'length' || typeof seg === 'number') return undefined; // indexes are checked at run time
      return ['REF_INVENTORY_UNKNOWN', `'${text}': '${segments.slice(0, i).join('.')}' is a list; index it with [n]`];
    }
    if (!isRecord(v) || !(String(seg) in v)) {
      const keys = isRecord(v) ? Object.keys(v) : [];
      const at = ['inventory', ...segments.slice(0, i)].join('.');
      return [
        'REF_INVENTORY_UNKNOWN',
        `the inventory has no '${seg}' under ${at}${keys.length ? ` (it has ${keys.join(', ')})` : ''}${hint(String(seg), keys)}`,
      ];
    }
    v = v[String(seg)];
  }
  return undefined;
}
