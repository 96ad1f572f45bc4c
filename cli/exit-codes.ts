/**
 * The CLI's exit codes. The client (client/) throws its own typed errors and knows nothing of exit
 * codes; this is the one place that maps them, so scripts can rely on the numbers (docs/operator.md).
 */
import { RekindleClientError, UpdateRefusedError } from '../client/errors';
import { safeText } from '../compiler/code-frame';
import { CliError } from './command';

/** Exit code per client error code; an Update refusal (any engine code) is 5, anything else 1. */
const CLIENT_EXIT_CODES: Record<string, number> = {
  RUN_ALREADY_RUNNING: 3,
  RUN_NOT_FOUND: 4,
  TEMPORAL_UNAVAILABLE: 6,
};

/**
 * Errors of other folders whose messages are written for the operator (a bad config file, a lab that will not
 * start, an unknown scenario, an unreadable history file or codec key), recognised by name so that this file
 * loads none of them.
 */
const OPERATOR_ERROR_NAMES = new Set([
  'ConfigError',
  'LabError',
  'ScenarioError',
  'HistoryFileError',
  'NotARunError',
  'CodecError',
]);

/** True when `err` is meant for the operator as one sentence, without a stack trace. */
export function isOperatorError(err: unknown): err is Error {
  return (
    err instanceof CliError ||
    err instanceof RekindleClientError ||
    (err instanceof Error && OPERATOR_ERROR_NAMES.has(err.name))
  );
}

/** The exit code for an error a command threw. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof UpdateRefusedError) return 5;
  if (err instanceof RekindleClientError) return CLIENT_EXIT_CODES[err.code] ?? 1;
  return 1;
}

/** What an unexpected failure shows without --debug: its kind, never its text (which may be a library's internals). */
export function internalError(command: string, err: unknown): string {
  const kind = err instanceof Error ? safeText(err.name) : typeof err;
  return `rekindle ${command}: the command failed on an internal error (${kind}); run it again with --debug to see the details`;
}
