/** `rekindle watch RUN`: follows a run in the terminal until it ends. */
import type { Command } from '../command';
import { CliError } from '../command';
import { parse, RUN_FORMS } from '../client/args';
import { isOperatorError } from '../exit-codes';
import { explain } from '../../client/errors';

const usage = 'rekindle watch RUN [--json] [--plain] [--interval MS] [--once]';

export const command: Command = {
  summary: 'Follow a run live: DAG levels, step states, gates waiting, the commands to answer them',
  help: `Usage: ${usage}

RUN is ${RUN_FORMS}. On a terminal the view redraws in place:
the steps by DAG level with state, attempt, elapsed time and last message; gates waiting for approval
are highlighted with the exact 'npx rekindle approve ...' command, steps waiting for a decision with
the 'npx rekindle decide ...' command. When stdout is not a terminal it prints one line per change.
Exits when the run ends: 0 when it succeeded, 1 otherwise.

Options:
  --json          print the stable status shape (as 'rekindle status --json') as one JSON line per change
  --plain         print change lines even on a terminal
  --interval MS   poll interval (default 500)
  --once          print one frame and exit
  --debug         print stack traces`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      {
        json: { type: 'boolean', default: false },
        plain: { type: 'boolean', default: false },
        interval: { type: 'string', default: '500' },
        once: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, usage },
    );
    const run = positionals[0];
    const { withRun } = await import('../../client/with-run');
    const { follow } = await import('../watch/follow');
    return withRun(run, async ({ client, handle, dataConverter }) => {
      try {
        const s = await follow(client, handle, {
          json: !!values.json,
          ...(values.plain ? { tty: false } : {}),
          intervalMs: Math.max(100, Number(values.interval) || 500),
          once: !!values.once,
          ...(dataConverter ? { dataConverter } : {}),
        });
        return s.phase === 'succeeded' || values.once ? 0 : 1;
      } catch (err) {
        const e = explain(err, run);
        if (isOperatorError(e) || !(e instanceof Error)) throw e;
        throw new CliError(
          `run '${run}' did not answer its status query (${e.message}); is a worker polling its task queue? start one with 'rekindle worker'`,
        );
      }
    });
  },
};
