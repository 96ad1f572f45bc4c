/** `rekindle cancel RUN`: cancels a run; it rolls back what completed, then ends as cancelled. */
import type { Command } from '../command';
import { parse } from '../client/args';
import { withClient } from '../../client/connection';
import { explain } from '../../client/errors';
import { runHandle } from '../../client/handle';

const usage = 'rekindle cancel RUN [--wait]';

export const command: Command = {
  summary: 'Cancel a run (it rolls back what completed, in reverse order)',
  help: `Usage: ${usage}

Requests cancellation. The run cancels its running steps, runs the rollback steps for what completed in
reverse order of completion, and ends as cancelled. --wait waits until it has.`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { wait: { type: 'boolean', default: false } },
      { min: 1, max: 1, usage },
    );
    const run = positionals[0];
    return withClient(async ({ client }) => {
      try {
        const handle = await runHandle(client, run);
        await handle.cancel();
        if (values.wait) await handle.result().catch(() => undefined);
        console.log(`${handle.workflowId}: cancellation requested${values.wait ? ' and done' : ''}`);
        return 0;
      } catch (err) {
        throw explain(err, run);
      }
    });
  },
};
