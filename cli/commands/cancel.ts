/** `rekindle cancel RUN`: cancels a run; it rolls back what completed, then ends as cancelled. */
import type { Command } from '../command';
import { parse, RUN_FORMS } from '../client/args';

const usage = 'rekindle cancel RUN [--wait]';

export const command: Command = {
  summary: 'Cancel a run (it rolls back what completed, in reverse order)',
  help: `Usage: ${usage}

RUN is ${RUN_FORMS}.
Requests cancellation. The run cancels its running steps, runs the rollback steps for what completed in
reverse order of completion, and ends as cancelled. --wait waits until it has.`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { wait: { type: 'boolean', default: false } },
      { min: 1, max: 1, usage },
    );
    const run = positionals[0];
    const { withRun } = await import('../../client/with-run');
    return withRun(run, async ({ handle }) => {
      await handle.cancel();
      if (values.wait) await handle.result().catch(() => undefined);
      console.log(`${handle.workflowId}: cancellation requested${values.wait ? ' and done' : ''}`);
      return 0;
    });
  },
};
