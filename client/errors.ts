/**
 * Client-side failures as one-sentence operator messages. Each kind has a stable `code` and a
 * `retryable` flag. The client never knows about the CLI: the CLI maps `code` to its exit codes.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

/** Base class of every error the client throws on purpose. */
export class RekindleClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'RekindleClientError';
  }
}

/** A second run on a cluster that already has one. */
export class RunAlreadyRunningError extends RekindleClientError {
  constructor(
    message: string,
    readonly workflowId: string,
    readonly runningRunId?: string,
  ) {
    super('RUN_ALREADY_RUNNING', message, false);
  }
}

/** The run (workflow id) does not exist. */
export class RunNotFoundError extends RekindleClientError {
  constructor(run: string) {
    super('RUN_NOT_FOUND', `no run '${run}' was found; list runs with 'rekindle list'`, false);
  }
}

/** The workflow refused an Update (validator) or the Update failed; carries the engine's refusal code. */
export class UpdateRefusedError extends RekindleClientError {
  constructor(code: string, message: string) {
    super(code, message, false);
  }
}

/** Temporal is unreachable. */
export class TemporalUnavailableError extends RekindleClientError {
  constructor(address: string, cause: string) {
    super(
      'TEMPORAL_UNAVAILABLE',
      `cannot reach Temporal at ${address} (${cause}); start it (npm run lab -- up) or set REKINDLE_TEMPORAL_ADDRESS`,
      true,
    );
  }
}

/** Maps what Temporal threw for `run` into one of the errors above (or returns it unchanged). */
export function explain(err: unknown, run: string): unknown {
  if (err instanceof RekindleClientError) return err;
  if (err instanceof WorkflowNotFoundError) return new RunNotFoundError(run);
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure)
      return new UpdateRefusedError(cause.type ?? 'REFUSED', `${cause.message} (${cause.type})`);
    return new UpdateRefusedError('REFUSED', err.message);
  }
  const e = err as { name?: string; message?: string };
  if (e?.name === 'WorkflowNotFoundError' || /not found/i.test(e?.message ?? '')) return new RunNotFoundError(run);
  return err;
}
