/**
 * Client-side failures as one-sentence operator messages. Each kind has a stable `code` and a
 * `retryable` flag. The client never knows about the CLI: the CLI maps `code` to its exit codes.
 */
// Temporal's errors are recognised by name, not instanceof: importing @temporalio/client here would load it
// (~200 ms) in every CLI command, including --help and validate, which never talk to Temporal.

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
  const e = err as {
    name?: string;
    message?: string;
    cause?: { name?: string; type?: string | null; message?: string };
  };
  if (e?.name === 'WorkflowUpdateFailedError') {
    const cause = e.cause;
    if (cause?.name === 'ApplicationFailure')
      return new UpdateRefusedError(cause.type ?? 'REFUSED', `${cause.message} (${cause.type})`);
    return new UpdateRefusedError('REFUSED', e.message ?? 'the update failed');
  }
  if (e?.name === 'WorkflowNotFoundError' || /not found/i.test(e?.message ?? '')) return new RunNotFoundError(run);
  return err;
}
