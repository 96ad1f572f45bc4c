/**
 * The CLI's exit codes. The client (client/) throws its own typed errors and knows nothing of exit
 * codes; this is the one place that maps them, so scripts can rely on the numbers (docs/operator.md).
 */
import { RekindleClientError, UpdateRefusedError } from '../client/errors';
import { CliError } from './command';

/** Exit code per client error code; an Update refusal (any engine code) is 5, anything else 1. */
const CLIENT_EXIT_CODES: Record<string, number> = {
  RUN_ALREADY_RUNNING: 3,
  RUN_NOT_FOUND: 4,
  TEMPORAL_UNAVAILABLE: 6,
};

/** True when `err` is meant for the operator as one sentence, without a stack trace. */
export function isOperatorError(err: unknown): err is CliError | RekindleClientError {
  return err instanceof CliError || err instanceof RekindleClientError;
}

/** The exit code for an error a command threw. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof UpdateRefusedError) return 5;
  if (err instanceof RekindleClientError) return CLIENT_EXIT_CODES[err.code] ?? 1;
  return 1;
}
