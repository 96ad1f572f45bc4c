/** Sends one of the run's Updates from the CLI and turns refusals into one-sentence errors. */
import type { UpdateDefinition } from '@temporalio/client';
import { withClient } from './connection';
import { explain } from './errors';
import { runHandle } from './handle';

/**
 * Executes `update` with `args` on RUN and returns its result.
 * @throws UpdateRefusedError (with the engine's refusal code) or RunNotFoundError.
 */
export async function sendUpdate<Ret, Args extends [unknown, ...unknown[]]>(
  run: string,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
): Promise<Ret> {
  return withClient(async ({ client }) => {
    try {
      const handle = await runHandle(client, run);
      return await handle.executeUpdate(update, { args });
    } catch (err) {
      throw explain(err, run);
    }
  });
}
