/**
 * Lowering: a checked runbook becomes a Plan. Every default is applied here (the interpreter never
 * applies one): durations in ms, retry and timeouts per step, approval policies, forEach limits,
 * topological order, and a source location on every step.
 */
import { actionSpec, type ActionSpec } from './actions';
import { RETRY_ONCE } from './actions/types';
import type {
  PlanValue,
  Plan,
  PlanStep,
  PlanRetry,
  PlanParameter,
  OnFailure,
  PlanExpr,
  PlanApproval,
  PlanTimeouts,
} from './plan';
import { PLAN_VERSION } from './plan';
import { hasTemplate, parseExpression, rollbackOutcomes, shellSlots, splitTemplate } from './expr';
import { topologicalOrder } from './graph';
import type { PassContext, StepInfo } from './passes/context';
import type { Defaults, Retry, RollbackStep, Runbook, Step } from './schema';
import { isRecord } from './passes/context';

/** Defaults the language applies when a runbook is silent. */
export const LANGUAGE_DEFAULTS: {
  maxParallel: number;
  failFast: boolean;
  onFailure: OnFailure;
  forEachMaxParallel: number;
  forEachMaxFailures: number;
} = {
  maxParallel: 4,
  failFast: true,
  onFailure: 'pause',
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
    // Shell commands: each value is quoted for where the template put it (validate refused the rest).
    const slots = shell ? shellSlots(parts) : [];
    let n = 0;
    return {
      $template: parts.map((p) => {
        if (p.kind === 'text') return p.text;
        const slot = slots[n++];
        const quote = p.raw ? 'raw' : !shell ? 'none' : slot && 'quote' in slot ? slot.quote : 'shell';
        return { expr: parseExpression(p.text), text: p.text, quote };
      }),
    };
  }
  if (Array.isArray(v)) return v.map((e) => lowerValue(e, shell));
  if (isRecord(v)) return definedEntries(v, (e) => lowerValue(e, shell));
  return plainValue(v);
}

/**
 * Plain data (an inventory, a schema's output) as a PlanValue, strings kept as written. Undefined becomes
 * null in a list and is left out of a map, as JSON does. @throws Error on a value JSON cannot hold.
 */
function plainValue(v: unknown): PlanValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(plainValue);
  if (isRecord(v)) return definedEntries(v, plainValue);
  throw new Error(`a ${typeof v} cannot be part of a plan`);
}

function definedEntries(v: Record<string, unknown>, f: (e: unknown) => PlanValue): { [key: string]: PlanValue } {
  return Object.fromEntries(Object.entries(v).flatMap(([k, e]) => (e === undefined ? [] : [[k, f(e)]])));
}

/** `forEach` items: a bare string is an expression. */
function lowerItems(s: string): PlanValue {
  return lowerValue(hasTemplate(s) ? s : `\${{ ${s} }}`);
}

/**
 * A `when:` condition: one expression, bare or in `${{ }}`.
 * @throws Error when it is text around an expression (passes/literals.ts reports that first).
 */
function lowerCondition(s: string): PlanExpr {
  const parts = splitTemplate(hasTemplate(s) ? s : `\${{ ${s} }}`);
  const [part] = parts;
  if (parts.length !== 1 || part.kind !== 'expr' || part.raw) throw new Error(`'${s}' is not one expression`);
  return { $expr: parseExpression(part.text), text: part.text };
}

function containsExpr(v: unknown): boolean {
  if (typeof v === 'string') return hasTemplate(v);
  if (Array.isArray(v)) return v.some(containsExpr);
  if (isRecord(v)) return Object.values(v).some(containsExpr);
  return false;
}

/** Inputs with the action's defaults and duration conversion applied; expression-bearing inputs stay expressions. */
function lowerInputs(action: ActionSpec, given: Record<string, unknown>): Record<string, PlanValue> {
  const shape = action.inputs.shape;
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
    if (value !== undefined) out[key] = plainValue(value);
  }
  return out;
}

function lowerRetry(action: ActionSpec, own: Retry | undefined, defaults: Defaults): PlanRetry {
  const dflt: Retry = { ...defaults.retry };
  // A non-idempotent action keeps its single attempt unless the step itself asks for more.
  if (!action.idempotent) delete dflt.maxAttempts;
  const base = action.kind === 'action' ? action.retry : RETRY_ONCE;
  const pick = <K extends keyof Retry>(k: K): Retry[K] => own?.[k] ?? (action.kind === 'action' ? dflt[k] : undefined);
  return {
    maxAttempts: pick('maxAttempts') ?? base.maxAttempts,
    initialIntervalMs: pick('initialInterval') ?? base.initialIntervalMs,
    backoffCoefficient: pick('backoffCoefficient') ?? base.backoffCoefficient,
    maxIntervalMs: pick('maxInterval') ?? base.maxIntervalMs,
    // Built-in failures carry their own retryability (activities/errors.ts); the registry never repeats it.
    nonRetryableErrorTypes: [],
  };
}

/**
 * The gate policy: the approval schema's parse of the gate's inputs (defaults applied, timeout in ms). Only
 * `summary` may hold expressions (passes/literals.ts); it is lowered like any input.
 * @throws ZodError when the inputs do not parse (passes/actions.ts reports that first).
 */
function lowerApproval(given: Record<string, unknown>): PlanApproval {
  const a = actionSpec('approval').inputs.parse(given);
  return {
    approvers: a.approvers,
    drillApprovers: a.drillApprovers,
    minApprovals: a.minApprovals,
    timeoutMs: a.timeout,
    onTimeout: a.onTimeout,
    initiatorMayApprove: a.initiatorMayApprove,
    requireComment: a.requireComment,
    summary: lowerValue(a.summary),
  };
}

/** The step's time limits: none for a gate; the wait's own `timeout` for a wait; else step, defaults, action. */
function lowerTimeouts(
  action: ActionSpec,
  step: Step,
  defaults: Defaults,
  inputs: Record<string, PlanValue>,
): { timeouts?: PlanTimeouts } {
  if (action.kind === 'approval') return {};
  if (action.kind === 'wait') {
    const limit = step.timeout ?? inputs.timeout;
    // passes/literals.ts keeps expressions out of a wait's timeout; the schema gave it a default.
    if (typeof limit !== 'number') throw new Error(`wait '${step.id}' has no timeout in ms`);
    return { timeouts: { startToCloseMs: limit } };
  }
  const timeouts: PlanTimeouts = { startToCloseMs: step.timeout ?? defaults.timeout ?? action.timeoutMs };
  const heartbeat = step.heartbeat ?? action.heartbeatMs;
  if (heartbeat !== undefined) timeouts.heartbeatMs = heartbeat;
  return { timeouts };
}

/**
 * Lowers one step from its parsed form (`step`, durations already in ms); `info` says where it stands in
 * the file, for the step's source location, and which action it names.
 */
function lowerStep(ctx: PassContext, info: StepInfo, step: Step | RollbackStep, defaults: Defaults): PlanStep {
  const action = info.action;
  if (!action) throw new Error(`step '${step.id}' names no known action`); // passes/actions.ts reports that first
  const inputs = lowerInputs(action, step.with ?? {});
  const pos = ctx.source.position(ctx.source.offsets(info.path, 'value')[0]);
  const plan: PlanStep = {
    id: step.id,
    action: action.name,
    kind: action.kind,
    needs: info.needs.map((n) => n.id),
    proceedIfNeedsSkipped: !('proceedIfNeedsSkipped' in step) || step.proceedIfNeedsSkipped !== false,
    with: action.kind === 'approval' ? {} : inputs,
    retry: lowerRetry(action, step.retry, defaults),
    ...lowerTimeouts(action, step, defaults, inputs),
    onFailure: step.onFailure ?? defaults.onFailure ?? LANGUAGE_DEFAULTS.onFailure,
    idempotent: action.idempotent,
    readOnly: action.readOnly,
    source: { file: ctx.source.file, line: pos.line, column: pos.column },
  };
  if (step.title !== undefined) plan.title = step.title;
  if (step.forEach !== undefined) {
    plan.forEach = {
      items: typeof step.forEach === 'string' ? lowerItems(step.forEach) : lowerValue(step.forEach),
      maxParallel: step.maxParallel ?? LANGUAGE_DEFAULTS.forEachMaxParallel,
      maxFailures: step.maxFailures ?? LANGUAGE_DEFAULTS.forEachMaxFailures,
    };
  }
  if (step.when !== undefined) plan.when = lowerCondition(step.when);
  // A rollback step's needs are the main steps it undoes; its outcomes say on which endings it may run.
  if (info.section === 'rollback') plan.outcomes = rollbackOutcomes(plan.when?.$expr);
  // A gate is no activity: its only time limit is approval.timeoutMs, which the gate reads.
  if (action.kind === 'approval') plan.approval = lowerApproval(step.with ?? {});
  return plan;
}

function ordered(steps: StepInfo[]): StepInfo[] {
  const byId = new Map(steps.flatMap((s) => (s.id === undefined ? [] : [[s.id, s] as const])));
  const graph = new Map([...byId].map(([id, s]) => [id, s.needs.map((n) => n.id)]));
  return topologicalOrder([...byId.keys()], graph).flatMap((id) => byId.get(id) ?? []);
}

function lowerParams(doc: Runbook): Record<string, PlanParameter> {
  const out: Record<string, PlanParameter> = {};
  for (const [name, d] of Object.entries(doc.parameters ?? {})) {
    const p: PlanParameter = { type: d.type, required: d.required ?? d.default === undefined };
    if (d.description !== undefined) p.description = d.description;
    if (d.default !== undefined) p.default = d.default;
    if (d.enum !== undefined) p.enum = d.enum;
    out[name] = p;
  }
  return out;
}

/**
 * Builds the Plan from a runbook that passed every check: `doc` is the schema's parse of the file (typed,
 * durations in ms), `ctx` keeps the positions and what the passes resolved. `sha256` is of the file's bytes.
 */
export function lower(ctx: PassContext, doc: Runbook, sha256: string): Plan {
  const defaults = doc.defaults ?? {};
  const lowerAll = (infos: StepInfo[], parsed: Array<Step | RollbackStep>) =>
    ordered(infos).map((info) => lowerStep(ctx, info, parsed[info.index], defaults));
  const plan: Plan = {
    planVersion: PLAN_VERSION,
    runbook: { name: doc.metadata.name, sha256, source: ctx.source.file },
    parameters: lowerParams(doc),
    inventory: definedEntries(ctx.inventory ?? {}, plainValue),
    maxParallel: doc.maxParallel ?? LANGUAGE_DEFAULTS.maxParallel,
    failFast: doc.failFast ?? LANGUAGE_DEFAULTS.failFast,
    steps: lowerAll(ctx.steps, doc.steps),
    rollback: lowerAll(ctx.rollback, doc.rollback ?? []),
  };
  if (doc.metadata.title !== undefined) plan.runbook.title = doc.metadata.title;
  if (doc.metadata.rto !== undefined) plan.runbook.rtoMs = doc.metadata.rto;
  if (doc.metadata.modes !== undefined) plan.runbook.modes = [...new Set(doc.metadata.modes)];
  return plan;
}
