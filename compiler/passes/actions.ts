/**
 * Actions and their inputs: `uses:` must name a registry action (with a "did you mean" hint), and
 * `with:` must match that action's own input schema. Approval gates get their policy checks here.
 */
import { actionNames } from '../actions';
import { hint } from '../diagnostics';
import type { CodeSet } from '../structure';
import { issuesToDiagnostics } from '../structure';
import type { PassContext, StepInfo } from './context';
import { isRecord } from './context';

const INPUT_CODES: CodeSet = {
  required: 'INPUT_MISSING',
  unknownKey: 'INPUT_UNKNOWN',
  type: 'INPUT_TYPE',
  value: 'INPUT_VALUE',
};

/** Reports unknown actions, input errors, missing targets and approval-policy errors. */
export function checkActions(ctx: PassContext): void {
  for (const step of [...ctx.steps, ...ctx.rollback]) {
    if (step.uses === undefined) continue;
    if (!step.action) {
      ctx.report(
        'ACTION_UNKNOWN',
        [...step.path, 'uses'],
        `unknown action '${step.uses}'${hint(step.uses, actionNames())} (see docs/actions.md for the list)`,
      );
      continue;
    }
    checkInputs(ctx, step);
    if (step.action.kind === 'approval') checkApproval(ctx, step);
  }
}

function checkInputs(ctx: PassContext, step: StepInfo): void {
  const action = step.action;
  if (!action) return;
  const given = step.raw.with;
  if (given !== undefined && !isRecord(given)) return; // structure already reported it
  const data = given ?? {};
  const result = action.inputs.safeParse(data);
  if (!result.success) {
    const ds = issuesToDiagnostics(result.error.issues, {
      source: ctx.source,
      schema: action.inputs,
      data,
      base: given === undefined ? [...step.path, 'uses'] : [...step.path, 'with'],
      codes: INPUT_CODES,
      what: (p) => (p.length ? `'${p.join('.')}'` : `the inputs of ${action.name}`),
    });
    // Without a `with:` map, missing inputs are reported at `uses`, naming the path they need.
    for (const d of ds) {
      if (given === undefined) d.path = d.path.replace(/\.uses(\.|$)/, '.with$1');
      ctx.diagnostics.push(d);
    }
  }
  if (action.target === 'host' && step.raw.forEach === undefined && data.host === undefined) {
    ctx.report(
      'INPUT_TARGET_MISSING',
      [...step.path, 'uses'],
      `${action.name} acts on one host: add 'forEach' over inventory hosts, brokers or ZooKeeper nodes, or a 'host' input`,
    );
  }
}

function checkApproval(ctx: PassContext, step: StepInfo): void {
  const w = isRecord(step.raw.with) ? step.raw.with : {};
  const base = [...step.path, 'with'];
  if (Array.isArray(w.approvers) && typeof w.minApprovals === 'number' && w.minApprovals > w.approvers.length) {
    ctx.report(
      'APPROVAL_MIN_EXCEEDS_APPROVERS',
      [...base, 'minApprovals'],
      `minApprovals is ${w.minApprovals} but only ${w.approvers.length} approver(s) are listed; lower minApprovals or add approvers`,
    );
  }
  const modes = ctx.data.metadata && isRecord(ctx.data.metadata) ? ctx.data.metadata.modes : undefined;
  const drillOnly = Array.isArray(modes) && modes.length > 0 && modes.every((m) => m === 'drill');
  checkSatisfiable(ctx, step, Array.isArray(modes) && modes.length > 0 ? modes : ['recovery', 'drill']);
  if (w.onTimeout === 'approve' && !drillOnly && ctx.options.mode !== 'drill') {
    ctx.report(
      'APPROVAL_AUTO_APPROVE',
      [...base, 'onTimeout'],
      "onTimeout: approve would approve a real recovery by silence; use 'fail' or 'abort', or declare metadata.modes: [drill]",
    );
  }
  for (const key of ['forEach', 'retry'] as const) {
    if (step.raw[key] !== undefined) {
      ctx.report(
        'APPROVAL_OPTION_MISPLACED',
        [...step.path, key],
        `an approval gate takes no '${key}'; remove it`,
        'key',
      );
    }
  }
}

/** Distinct names, as the engine counts votes: one per name per round (workflows/gate.ts). */
function distinct(list: unknown): string[] {
  return Array.isArray(list) ? [...new Set(list.filter((x): x is string => typeof x === 'string'))] : [];
}

/**
 * A gate needs `minApprovals` distinct approvers; in a recovery only `approvers` may vote, in a drill
 * `drillApprovers` too. A gate that no mode the runbook runs in can satisfy is an error (it could only time out).
 */
function checkSatisfiable(ctx: PassContext, step: StepInfo, modes: unknown[]): void {
  const w = isRecord(step.raw.with) ? step.raw.with : {};
  const min = w.minApprovals;
  if (typeof min !== 'number' || !Array.isArray(w.approvers)) return;
  // More approvals than listed names is already APPROVAL_MIN_EXCEEDS_APPROVERS.
  if (min > w.approvers.length) return;
  for (const mode of modes) {
    const drill = Array.isArray(w.drillApprovers) ? w.drillApprovers : [];
    const names = distinct(mode === 'drill' ? [...w.approvers, ...drill] : w.approvers);
    if (min <= names.length) continue;
    ctx.report(
      'APPROVAL_UNSATISFIABLE',
      [...step.path, 'with', 'minApprovals'],
      `minApprovals is ${min} but a ${String(mode)} run has only ${names.length} distinct approver(s) (${names.join(', ')}); the gate could never open. Lower minApprovals or list more distinct approvers`,
    );
    return;
  }
}
