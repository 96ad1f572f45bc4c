/** `rekindle status RUN`: a run's phase, steps, open gates and decisions needed. */
import type { Command } from '../command';
import { parse } from '../client/args';
import { withClient } from '../../client/connection';
import { explain, RekindleClientError } from '../../client/errors';
import { statusJson, statusText } from '../client/format';
import { runHandle } from '../../client/handle';
import { readRunStatus } from '../run-status';

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

RUN is a workflow id (rekindle-<cluster>) or a cluster name. A running run answers through a worker;
a finished one (completed, aborted, cancelled, terminated) is read from its history, with no worker. --json prints the stable shape
{"phase", "steps": [{"id","state","attempt","startedAt","endedAt","error"}], "gates": [{"id","state","approvals":[{"by","decision","comment","at"}]}]}.`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { json: { type: 'boolean', default: false } },
      { min: 1, max: 1, usage },
    );
    const run = positionals[0];
    return withClient(async ({ client, dataConverter }) => {
      try {
        const handle = await runHandle(client, run);
        // A closed run's status comes from its result or history (no worker needed); a running one answers a query.
        const { status: s, source } = await queryWithRetry(() => readRunStatus(client, handle, dataConverter));
        const note = source === 'history' ? `\n(the run is closed: read from its history)` : '';
        console.log(values.json ? JSON.stringify(statusJson(s)) : `${statusText(s)}${note}`);
        return 0;
      } catch (err) {
        throw explain(err, run);
      }
    });
  },
};
