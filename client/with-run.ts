/** Runs a command's body against the run RUN names, with a connected client, mapping Temporal's errors. */
import type { Connected } from './connection';
import { withClient } from './connection';
import { explain } from './errors';
import type { RunHandle, RunHandleOptions } from './handle';
import { runHandle } from './handle';

/**
 * Connects, resolves RUN (cluster name, workflow id, WORKFLOW_ID/RUN_ID or run id: see client/handle.ts),
 * runs `fn` and closes the connection.
 * @throws RunNotFoundError when RUN names no run; TemporalUnavailableError; `fn`'s errors through `explain`.
 */
export async function withRun<T>(
  run: string,
  fn: (c: Connected & { handle: RunHandle }) => Promise<T>,
  opts: RunHandleOptions = {},
): Promise<T> {
  return withClient(async (c) => {
    try {
      return await fn({ ...c, handle: await runHandle(c.client, run, opts) });
    } catch (err) {
      throw explain(err, run);
    }
  });
}
