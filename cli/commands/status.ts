/** `rekindle status RUN`: a run's phase, steps, open gates and decisions needed. */
import type { Command } from '../command';
import { parse, RUN_FORMS } from '../client/args';
import { RekindleClientError } from '../../client/errors';

const usage = 'rekindle status RUN [--json]';

function reason(err: unknown): string {
  const e = err as Error & { cause?: Error };
  return e.cause ? `${e.message}: ${e.cause.message}` : e.message;
}

/** A run that just started may not have run its first workflow task yet: retry briefly. */
async function queryWithRetry<T>(q: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await q();
    } catch (err) {
      if (i >= attempts || (err as Error).name === 'WorkflowNotFoundError') {
        throw new RekindleClientError(
          'STATUS_UNAVAILABLE',
          `the run did not answer its status query (${reason(err)}); is a worker polling its task queue?`,
          true,
        );
      }
      await new Promise((r) => setTimeout(r, 300 * i));
    }
  }
}

export const command: Command = {
  summary: "Show a run's progress: phase, steps, gates",
  help: `Usage: ${usage}

RUN is ${RUN_FORMS}. A running run answers through a worker;
a finished one (completed, aborted, cancelled, terminated) is read from its history, with no worker. --json prints the stable shape
{"phase", "steps": [{"id","state","attempt","startedAt","endedAt","error"}], "gates": [{"id","state","approvals":[{"by","decision","comment","at"}]}]}.`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { json: { type: 'boolean', default: false } },
      { min: 1, max: 1, usage },
    );
    const run = positionals[0];
    const { withRun } = await import('../../client/with-run');
    const { readRunStatus } = await import('../run-status');
    const { statusJson, statusText } = await import('../client/format');
    return withRun(run, async ({ client, handle, dataConverter }) => {
      // A closed run's status comes from its result or history (no worker needed); a running one answers a query.
      const { status: s, source } = await queryWithRetry(() => readRunStatus(client, handle, dataConverter));
      const note = source === 'history' ? `\n(the run is closed: read from its history)` : '';
      console.log(values.json ? JSON.stringify(statusJson(s)) : `${statusText(s)}${note}`);
      return 0;
    });
  },
};
