/**
 * The interpreter's internal step failure: carries the recorded error, any partial outputs, and
 * whether the failure aborts the run whatever the step's `onFailure` says (a rejected gate).
 */
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { capText } from './caps';
import type { StepError } from './types';

export class StepFailed extends Error {
  constructor(
    readonly error: StepError,
    readonly options: { outputs?: Record<string, unknown>; forceAbort?: boolean } = {},
  ) {
    super(error.message);
    this.name = 'StepFailed';
  }
}

/** Turns whatever a step threw into the engine's error record (branching on failure types, never text). */
export function toStepError(err: unknown, item?: number): StepError {
  const at = new Date().toISOString();
  const withItem = item === undefined ? {} : { item };
  if (err instanceof StepFailed) return { ...err.error, ...withItem };
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    return { type: cause.type ?? 'ApplicationFailure', message: capText(cause.message), at, ...withItem };
  }
  if (cause instanceof TimeoutFailure) {
    return { type: `TIMEOUT_${cause.timeoutType ?? 'UNKNOWN'}`, message: capText(cause.message), at, ...withItem };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { type: 'ENGINE_ERROR', message: capText(message), at, ...withItem };
}
