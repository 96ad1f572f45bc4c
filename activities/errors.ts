/**
 * The error contract of every activity family. Each failure kind is a subclass of ActionError with a
 * stable `code` (becomes the ApplicationFailure `type`) and a `retryable` flag. Activities throw these;
 * `runAction` converts once, at the boundary, so the workflow branches on `type`, never on text.
 *
 * Two wrappers, two jobs: `actionImpl(spec, impl)` (activities/inputs.ts) is the typed door, the one the
 * issue that introduced it called `runAction(spec, impl)`: it parses inputs and checks outputs against the
 * registry. `runAction(impl)` here is the Temporal boundary around the result: context in, ApplicationFailure out.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActionRequest, ActionResult } from '../compiler/plan';

/** Base of every typed activity failure. */
export class ActionError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, retryable: boolean, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
    this.details = details;
  }
}

/** Inputs rejected at the door: retrying the same inputs cannot succeed. */
export class InvalidInputError extends ActionError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVALID_INPUT', message, false, details);
  }
}

/** An implementation returned outputs its registry output schema does not allow: a bug, so never retried. */
export class InvalidOutputError extends ActionError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('OUTPUT_INVALID', message, false, details);
  }
}

/** The operator or the engine cancelled the activity while it ran. */
export class ActionCancelledError extends ActionError {
  constructor(message = 'activity cancelled', details: Record<string, unknown> = {}) {
    super('ACTION_CANCELLED', message, false, details);
  }
}

/** An error nobody mapped: retryable, so a transient surprise does not fail a run for good. */
export class UnexpectedError extends ActionError {
  constructor(cause: unknown) {
    super('UNEXPECTED', cause instanceof Error ? cause.message : String(cause), true, {
      cause: cause instanceof Error ? cause.name : typeof cause,
    });
  }
}

/** Converts any thrown value into an ActionError, keeping typed errors as they are. */
export function asActionError(err: unknown): ActionError {
  return err instanceof ActionError ? err : new UnexpectedError(err);
}

/** Converts an error into the ApplicationFailure Temporal records; already-converted failures pass through. */
export function toApplicationFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const e = asActionError(err);
  return ApplicationFailure.create({
    type: e.code,
    message: e.message,
    nonRetryable: !e.retryable,
    details: [e.details],
    cause: err instanceof Error && !(err instanceof ActionError) ? err : undefined,
  });
}

/**
 * Heartbeat and cancellation, injected so actions run inside Temporal (default) and in plain tests.
 * `signal` aborts when the activity is cancelled; `heartbeat` records progress.
 */
export interface ActionContext {
  heartbeat(details?: unknown): void;
  signal: AbortSignal;
  /** The activity's start-to-close timeout (the step's `timeout`), when running inside Temporal. */
  timeoutMs?: number;
  /** The heartbeat timeout the activity was scheduled with (the step's `heartbeat`), when it has one. */
  heartbeatTimeoutMs?: number;
  /** Who is running: `workflowId/runId/activityId#attempt`, when running inside Temporal (fence tokens). */
  attemptId?: string;
}

/** A context that never cancels and drops heartbeats: for calls outside an activity. */
export function detachedContext(signal: AbortSignal = new AbortController().signal): ActionContext {
  return { heartbeat: () => undefined, signal };
}

/** The current Temporal activity context, or a detached one when not inside an activity (Context.current() throws there). */
export function currentContext(): ActionContext {
  try {
    const ctx = Context.current();
    const {
      startToCloseTimeoutMs: timeoutMs,
      heartbeatTimeoutMs,
      workflowExecution: wf,
      activityId,
      attempt,
    } = ctx.info;
    return {
      heartbeat: (d?: unknown) => ctx.heartbeat(d),
      signal: ctx.cancellationSignal,
      ...(timeoutMs > 0 ? { timeoutMs } : {}),
      ...(heartbeatTimeoutMs && heartbeatTimeoutMs > 0 ? { heartbeatTimeoutMs } : {}),
      attemptId: `${wf?.workflowId ?? '-'}/${wf?.runId ?? '-'}/${activityId}#${attempt}`,
    };
  } catch {
    return detachedContext();
  }
}

/** An action's implementation: the request plus a context it uses for heartbeats and cancellation. */
export type ActionImpl = (request: ActionRequest, ctx: ActionContext) => Promise<ActionResult>;

/**
 * Wraps an implementation as an activity: supplies the context (Temporal's by default) and converts
 * every failure into an ApplicationFailure exactly once. Throws only ApplicationFailure.
 */
export function runAction(
  impl: ActionImpl,
  ctxFactory: () => ActionContext = currentContext,
): (request: ActionRequest) => Promise<ActionResult> {
  return async (request) => {
    try {
      return await impl(request, ctxFactory());
    } catch (err) {
      throw toApplicationFailure(err);
    }
  };
}

/** Minimal structural view of a zod schema (inputs or outputs), so this file stays free of a zod import. */
interface InputSchema<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ZodLikeIssue[] } };
}
interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
}

/** Each issue as `<root><path>: <message>`, e.g. `inputs.args[2]: expected string`. */
function problemsOf(root: string, issues: ZodLikeIssue[]): string[] {
  return issues.map((i) => {
    const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `${root}${path}: ${i.message}`;
  });
}

/**
 * Validates an action's inputs at the door. Throws InvalidInputError (non-retryable) naming the field
 * path of every problem, e.g. `inputs.args[2]: expected string`.
 */
export function parseInputs<T>(action: string, schema: InputSchema<T>, inputs: unknown): T {
  const r = schema.safeParse(inputs ?? {});
  if (r.success) return r.data;
  const problems = problemsOf('inputs', r.error.issues);
  throw new InvalidInputError(`${action}: ${problems.join('; ')}`, { action, problems });
}

/**
 * Checks what an implementation returned against its output schema, on the way out of the door. Throws
 * InvalidOutputError (non-retryable) naming every problem, e.g. `outputs.ports[0]: expected number`.
 */
export function checkOutputs<T>(action: string, schema: InputSchema<T>, outputs: unknown): T {
  const r = schema.safeParse(outputs);
  if (r.success) return r.data;
  const problems = problemsOf('outputs', r.error.issues);
  const message = `${action} returned outputs its registry schema does not allow: ${problems.join('; ')}`;
  throw new InvalidOutputError(message, { action, problems });
}
