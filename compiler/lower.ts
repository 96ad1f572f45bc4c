/**
 * Lowering: a checked runbook becomes a Plan. Every default is applied here (the interpreter never
 * applies one): durations in ms, retry and timeouts per step, approval policies, forEach limits,
 * topological order, and a source location on every step.
 */
import type { ActionSpec } from './actions';
import { RETRY_ONCE } from './actions/types';
import { parseDuration } from './duration';
import type { PlanValue, Plan, PlanStep, PlanRetry, PlanParameter, OnFailure, PlanExpr, PlanApproval, PlanTimeouts } from './plan';
import { PLAN_VERSION } from './plan';
import { hasTemplate, parseExpression, splitTemplate } from './expr';
import { topologicalOrder } from './graph';
import type { PassContext, StepInfo } from './passes/context';
import { isRecord } from './passes/context';

/** Defaults the language applies when a runbook is silent. */
export const LANGUAGE_DEFAULTS = {
  maxParallel: 4,
  failFast: true,
  onFailure: 'pause' as OnFailure,
  forEachMaxParallel: 1,
  forEachMaxFailures: 0,
};

/** Lowers one value: `${{ }}` strings become PlanExpr (whole) or PlanTemplate (mixed, or shell). */
export function lowerValue(v: unknown, shell = false): PlanValue {
  if (typeof v === 'string') {
    if (!hasTemplate(v)) return v;
    const parts = splitTemplate(v);
    if (!shell && parts.length === 1 && parts[0].kind === 'expr' && !parts[0].raw) {
      return { $expr: parseExpression(parts[0].text), text: parts[0].text };
    }
    return {
      $template: parts.map((p) =>
        p.kind === 'text'
          ? p.text
          : { expr: parseExpression(p.text), text: p.text, quote: p.raw ? 'raw' : shell ? 'shell' : 'none' },
      ),
    };
  }
  if (Array.isArray(v)) return v.map((e) => lowerValue(e, shell));
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, lowerValue(e, shell)]));
  return (v ?? null) as PlanValue;
}

function lowerBare(s: string): PlanExpr {
  const lowered = lowerValue(hasTemplate(s) ? s : `\${{ ${s} }}`);
  return lowered as PlanExpr;
}

function containsExpr(v: unknown): boolean {
  if (typeof v === 'string') return hasTemplate(v);
  if (Array.isArray(v)) return v.some(containsExpr);
  if (isRecord(v)) return Object.values(v).some(containsExpr);
  return false;
}

/** Inputs with the action's defaults and duration conversion applied; expression-bearing inputs stay expressions. */
function lowerInputs(action: ActionSpec, given: Record<string, unknown>): Record<string, PlanValue> {
  const shape = action.inputs.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
  const out: Record<string, PlanValue> = {};
  for (const key of new Set([...Object.keys(shape), ...Object.keys(given)])) {
    const raw = given[key];
    const shell = action.shellInputs?.includes(key) ?? false;
    if (raw !== undefined && containsExpr(raw)) {
      out[key] = lowerValue(raw, shell);
      continue;
    }
    const parsed = shape[key]?.safeParse(raw);
    const value = parsed?.success ? parsed.data : raw;
    if (value !== undefined) out[key] = value as PlanValue;
  }
  return out;
}

function ms(v: unknown): number | undefined {
  return typeof v === 'string' || typeof v === 'number' ? parseDuration(v) : undefined;
}

function lowerRetry(action: ActionSpec, step: Record<string, unknown>, defaults: Record<string, unknown>): PlanRetry {
  const own = isRecord(step.retry) ? step.retry : {};
  const dflt = isRecord(defaults.retry) ? { ...defaults.retry } : {};
  // A non-idempotent action keeps its single attempt unless the step itself asks for more.
  if (!action.idempotent) delete dflt.maxAttempts;
  const base = action.kind === 'action' ? action.retry : RETRY_ONCE;
  const pick = (k: string) => own[k] ?? (action.kind === 'action' ? dflt[k] : undefined);
  return {
    maxAttempts: (pick('maxAttempts') as number | undefined) ?? base.maxAttempts,
    initialIntervalMs: ms(pick('initialInterval')) ?? base.initialIntervalMs,
    backoffCoefficient: (pick('backoffCoefficient') as number | undefined) ?? base.backoffCoefficient,
    maxIntervalMs: ms(pick('maxInterval')) ?? base.maxIntervalMs,
    // Built-in failures carry their own retryability (activities/errors.ts); the registry never repeats it.
    nonRetryableErrorTypes: [],
  };
}

function lowerStep(ctx: PassContext, step: StepInfo, defaults: Record<string, unknown>): PlanStep {
  const action = step.action as ActionSpec;
  const raw = step.raw;
  const given = isRecord(raw.with) ? raw.with : {};
  const inputs = lowerInputs(action, given);
  const timeouts: PlanTimeouts = { startToCloseMs: ms(raw.timeout) ?? ms(defaults.timeout) ?? action.timeoutMs };
  const heartbeat = ms(raw.heartbeat) ?? action.heartbeatMs;
  if (heartbeat !== undefined) timeouts.heartbeatMs = heartbeat;
  const offset = ctx.source.offsets(step.path, 'value')[0];
  const pos = ctx.source.position(offset);
  const plan: PlanStep = {
    id: step.id as string,
    action: action.name,
    kind: action.kind,
    needs: step.needs.map((n) => n.id),
    proceedIfNeedsSkipped: raw.proceedIfNeedsSkipped !== false,
    with: action.kind === 'approval' ? {} : inputs,
    retry: lowerRetry(action, raw, defaults),
    timeouts,
    onFailure: (raw.onFailure ?? defaults.onFailure ?? LANGUAGE_DEFAULTS.onFailure) as OnFailure,
    idempotent: action.idempotent,
    readOnly: action.readOnly,
    source: { file: ctx.source.file, line: pos.line, column: pos.column },
  };
  if (typeof raw.title === 'string') plan.title = raw.title;
  if (raw.forEach !== undefined) {
    plan.forEach = {
      items: typeof raw.forEach === 'string' ? lowerBare(raw.forEach) : lowerValue(raw.forEach),
      maxParallel: (raw.maxParallel as number | undefined) ?? LANGUAGE_DEFAULTS.forEachMaxParallel,
      maxFailures: (raw.maxFailures as number | undefined) ?? LANGUAGE_DEFAULTS.forEachMaxFailures,
    };
  }
  if (typeof raw.when === 'string') plan.when = lowerBare(raw.when);
  if (action.kind === 'approval') {
    plan.approval = inputs as unknown as PlanApproval;
    // A gate is no activity: its only time limit is approval.timeoutMs, which the gate reads.
    delete plan.timeouts;
  }
  if (action.kind === 'wait') plan.timeouts = { startToCloseMs: ms(raw.timeout) ?? (inputs.timeout as number) };
  return plan;
}

function lowerApprovalShape(a: Record<string, PlanValue>): PlanApproval {
  return {
    approvers: a.approvers as string[],
    drillApprovers: a.drillApprovers as string[],
    minApprovals: a.minApprovals as number,
    timeoutMs: a.timeout as number,
    onTimeout: a.onTimeout as PlanApproval['onTimeout'],
    initiatorMayApprove: a.initiatorMayApprove as boolean,
    requireComment: a.requireComment as boolean,
    summary: a.summary ?? '',
  };
}

function ordered(ctx: PassContext, steps: StepInfo[]): StepInfo[] {
  const graph = new Map(steps.map((s) => [s.id as string, s.needs.map((n) => n.id)]));
  return topologicalOrder([...graph.keys()], graph).map((id) => ctx.byId.get(id) as StepInfo);
}

function lowerParams(ctx: PassContext): Record<string, PlanParameter> {
  const out: Record<string, PlanParameter> = {};
  for (const [name, d] of Object.entries(ctx.params)) {
    const p: PlanParameter = {
      type: (d.type as PlanParameter['type']) ?? 'string',
      required: d.required !== undefined ? d.required === true : d.default === undefined,
    };
    if (typeof d.description === 'string') p.description = d.description;
    if (d.default !== undefined) p.default = d.default as string | number | boolean;
    if (Array.isArray(d.enum)) p.enum = d.enum as Array<string | number>;
    out[name] = p;
  }
  return out;
}

/** Builds the Plan from a runbook that passed every check. `sha256` is of the file's bytes. */
export function lower(ctx: PassContext, sha256: string): Plan {
  const defaults = isRecord(ctx.data.defaults) ? ctx.data.defaults : {};
  const meta = isRecord(ctx.data.metadata) ? ctx.data.metadata : {};
  const lowerAll = (steps: StepInfo[]) =>
    ordered(ctx, steps).map((s) => {
      const p = lowerStep(ctx, s, defaults);
      if (p.kind === 'approval') p.approval = lowerApprovalShape(p.approval as unknown as Record<string, PlanValue>);
      return p;
    });
  const plan: Plan = {
    planVersion: PLAN_VERSION,
    runbook: { name: meta.name as string, sha256, source: ctx.source.file },
    parameters: lowerParams(ctx),
    inventory: (ctx.inventory ?? {}) as Record<string, PlanValue>,
    maxParallel: (ctx.data.maxParallel as number | undefined) ?? LANGUAGE_DEFAULTS.maxParallel,
    failFast: (ctx.data.failFast as boolean | undefined) ?? LANGUAGE_DEFAULTS.failFast,
    steps: lowerAll(ctx.steps),
    rollback: lowerAll(ctx.rollback),
  };
  if (typeof meta.title === 'string') plan.runbook.title = meta.title;
  if (meta.rto !== undefined) plan.runbook.rtoMs = ms(meta.rto);
  if (Array.isArray(meta.modes)) plan.runbook.modes = [...new Set(meta.modes as Array<'recovery' | 'drill'>)];
  return plan;
}
