/**
 * The door every action goes through, and the few checks every family shares. `actionImpl(spec, impl)`
 * parses a request's inputs with the registry's own schema (compiler/actions), so the implementation
 * receives exactly what the compiler checked: defaults applied, durations in milliseconds. There is no
 * second description of an action's inputs on this side. Every failure is INVALID_INPUT (non-retryable)
 * and names the field.
 */
import {
  actionSpec,
  type ActionInputs,
  type ActionName,
  type ActionSpec,
  type InputsOf,
  type OutputsOf,
  type ResultOf,
} from '../compiler/actions';
import type { Inventory } from '../compiler/inventory';
import type { ActionRequest, ActionResult } from '../compiler/plan';
import { checkOutputs, InvalidInputError, parseInputs, type ActionContext, type ActionImpl } from './errors';

/**
 * An implementation over typed inputs and outputs: `inputs` is the registry schema's parse of
 * `request.inputs`, and the outputs it returns are the registry output schema's type.
 */
export type TypedImpl<S extends ActionSpec> = (
  inputs: InputsOf<S>,
  request: ActionRequest,
  ctx: ActionContext,
) => Promise<ActionResult<OutputsOf<S>>>;

/**
 * The typed door of an action (issue #10 calls it `runAction(spec, impl)`; `runAction` in activities/errors.ts is
 * the Temporal boundary around it). Binds an implementation to its registry spec: the returned ActionImpl
 * parses `request.inputs` with `spec.inputs`, calls `impl` with the result, and checks what `impl`
 * returned against `spec.outputs`.
 * @throws InvalidInputError (from the returned function) naming every bad field, e.g. `inputs.args[2]`;
 * InvalidOutputError when the implementation broke its output schema (a bug, not retried).
 */
export function actionImpl<S extends ActionSpec<ActionSpec['inputs'], ActionName>>(
  spec: S,
  impl: TypedImpl<S>,
): ActionImpl {
  return async (request, ctx) => {
    // parseInputs is typed by a structural schema view; the parse of `spec.inputs` is exactly InputsOf<S>.
    const result = await impl(parseInputs(spec.name, spec.inputs, request.inputs) as InputsOf<S>, request, ctx);
    return { ...result, outputs: checkOutputs(spec.name, spec.outputs, result.outputs) };
  };
}

/** A family's implementation of action `N` over its dependencies `D`. */
export type FamilyImpl<D, N extends ActionName> = (
  deps: D,
  inputs: ActionInputs<N>,
  request: ActionRequest,
  ctx: ActionContext,
) => Promise<ResultOf<N>>;

/** `impl` bound to `deps`, behind the registry door of action `name` (see actionImpl). */
export function familyImpl<D, N extends ActionName>(deps: D, name: N, impl: FamilyImpl<D, N>): ActionImpl {
  return actionImpl(actionSpec(name), (inputs, request, ctx) => impl(deps, inputs, request, ctx));
}

/**
 * The host a `target: 'host'` action acts on: the `host` input, else the forEach item's `host` (a broker
 * or ZooKeeper node), else its `name` (an inventory host), else the item itself when it is a host name.
 */
export function targetHost(host: unknown, item: unknown): string | undefined {
  if (typeof host === 'string' && host) return host;
  if (typeof item === 'string' && item) return item;
  const it = item as { host?: unknown; name?: unknown } | undefined;
  if (it && typeof it.host === 'string') return it.host;
  if (it && typeof it.name === 'string') return it.name;
  return undefined;
}

/** targetHost, required. @throws InvalidInputError when neither the input nor the item names a host. */
export function requireTargetHost(host: unknown, item: unknown): string {
  const name = targetHost(host, item);
  if (name) return name;
  throw new InvalidInputError('no target host: give inputs.host or run the step forEach over hosts/brokers', {
    field: 'host',
  });
}

/**
 * A family's implementations by action name, each bound to `deps` behind its registry door. The mapped
 * type checks that every implementation takes the inputs of the action it is registered under.
 */
export function familyImpls<D>(deps: D, impls: { [N in ActionName]?: FamilyImpl<D, N> }): Record<string, ActionImpl> {
  // Object.entries forgets which key goes with which implementation; the parameter's type already checked it.
  const entries = Object.entries(impls) as Array<[ActionName, FamilyImpl<D, ActionName>]>;
  return Object.fromEntries(entries.map(([name, impl]) => [name, familyImpl(deps, name, impl)]));
}

/** The backup store directory: the inventory's, else the worker's default. Throws INVALID_INPUT when neither is set. */
export function storeDir(request: ActionRequest, fallback: string | undefined): string {
  const dir = (request.inventory as Partial<Inventory>).backupStore ?? fallback;
  if (!dir) throw new InvalidInputError('no backup store configured (inventory.backupStore)', { field: 'backupStore' });
  return dir;
}

/**
 * A stable file-name-safe name for what one step of one run makes (`<workflow>-<run>-<step>`): a retry
 * of the step finds it again, a later run on the same cluster does not.
 */
export function stepArtifactName(request: ActionRequest): string {
  return [request.workflowId, request.runId, request.stepId]
    .filter(Boolean)
    .join('-')
    .replace(/[^A-Za-z0-9._-]/g, '_');
}
