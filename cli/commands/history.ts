/** `rekindle history RUN --out FILE.json`: exports a run's raw Temporal history for archiving. */
import { writeFileSync } from 'node:fs';
import type { Command } from '../command';
import { parse, RUN_FORMS } from '../client/args';

const usage = 'rekindle history RUN [--run-id ID] [--out FILE.json] [--json]';

export const command: Command = {
  summary: "Export a run's raw workflow history (JSON) for archiving",
  help: `Usage: ${usage}

RUN is ${RUN_FORMS}; any run, open or closed.
Writes the full history of that run as Temporal's JSON, payloads as
stored (still encrypted when the payload codec is on). Prints the SHA-256 of what it wrote, which
'rekindle audit --verify' reports too, so a stored copy can be checked later. Audit an exported
file with 'rekindle audit RUN --history FILE'.

Options:
  --out FILE   write to FILE (default: stdout)
  --run-id ID  export this run of the workflow (an earlier run of a continue-as-new chain; the
               audit's history.runs lists them) instead of the latest
  --json       print {"workflowId","runId","events","sha256","out"} instead of a sentence
  --debug      print stack traces`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { out: { type: 'string' }, 'run-id': { type: 'string' }, json: { type: 'boolean', default: false } },
      { min: 1, max: 1, usage },
    );
    const run = positionals[0];
    const { withRun } = await import('../../client/with-run');
    const { fetchRunHistory, historyJson, historySha256 } = await import('../../audit/history');
    const runId = values['run-id'] as string | undefined;
    return withRun(
      run,
      async ({ client, handle }) => {
        const fetched = await fetchRunHistory(client, handle.workflowId, runId ?? handle.runId);
        const text = historyJson(fetched.history);
        const sha256 = historySha256(fetched.history);
        const events = fetched.history.events?.length ?? 0;
        if (!values.out) {
          process.stdout.write(`${text}\n`);
          return 0;
        }
        writeFileSync(String(values.out), text);
        const summary = {
          workflowId: fetched.workflowId,
          runId: fetched.runId,
          events,
          sha256,
          out: String(values.out),
        };
        if (values.json) console.log(JSON.stringify(summary));
        else
          console.log(
            `wrote ${events} events of ${fetched.workflowId} (run ${fetched.runId}) to ${String(values.out)}; SHA-256 ${sha256}`,
          );
        return 0;
      },
      // The named run itself, not the run it continued into.
      { followContinueAsNew: false },
    );
  },
};
