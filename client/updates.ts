/** Sends one of the run's Updates from the CLI and turns refusals into one-sentence errors. */
import type { UpdateDefinition } from '@temporalio/client';
import { withRun } from './with-run';

/**
 * Executes `update` with `args` on RUN (any form client/handle.ts accepts) and returns its result.
 * @throws UpdateRefusedError (with the engine's refusal code) or RunNotFoundError.
 */
export async function sendUpdate<Ret, Args extends [unknown, ...unknown[]]>(
  run: string,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
): Promise<Ret> {
  return withRun(run, ({ handle }) => handle.executeUpdate(update, { args }));
}
