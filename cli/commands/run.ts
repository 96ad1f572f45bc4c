/** `rekindle run FILE`: compiles a runbook and starts a run on its cluster; prints the run id. */
import type { Command } from '../command';
import { CliError } from '../command';
import { actor, paramsOf, parse } from '../client/args';

const usage = 'rekindle run FILE [--param k=v]... [--mode recovery|drill] [--dry-run] [--as NAME] [--json] [--watch]';

export const command: Command = {
  summary: 'Start a run of a runbook (prints its run id)',
  help: `Usage: ${usage}

Compiles FILE (a runbook, or a compiled plan .json) and starts a durable run on Temporal. One run per
cluster: a second run on a cluster that has one in progress is refused, naming the running one.

Options:
  --param k=v       runbook parameter (repeatable)
  --mode M          recovery (default) or drill
  --dry-run         run read-only actions, plan the mutating ones without calling them
  --inventory FILE  use this inventory instead of the runbook's
  --as NAME         who starts the run (default $REKINDLE_USER or $USER); gates may refuse the initiator
  --auto-approve    drill mode only: gates approve themselves (recorded as a policy decision)
  --task-queue Q    task queue of the workers (default from config)
  --json            print {"runId", "workflowId"}
  --watch           then follow the run as 'rekindle watch' does; exits 0 when it succeeds, 1 otherwise`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      {
        param: { type: 'string', multiple: true },
        mode: { type: 'string', default: 'recovery' },
        'dry-run': { type: 'boolean', default: false },
        inventory: { type: 'string' },
        as: { type: 'string' },
        'auto-approve': { type: 'boolean', default: false },
        'task-queue': { type: 'string' },
        json: { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, usage },
    );
    const mode = values.mode as string;
    if (mode !== 'recovery' && mode !== 'drill')
      throw new CliError(`--mode must be recovery or drill, not '${mode}'`, 2);
    if (values['auto-approve'] && mode !== 'drill')
      throw new CliError('--auto-approve is only allowed with --mode drill', 2);
    const params = paramsOf(values.param as string[] | undefined);
    const { planFrom } = await import('../client/compile');
    const plan = planFrom(positionals[0], params, mode, values.inventory as string | undefined);
    const { withClient } = await import('../../client/connection');
    const { startRun } = await import('../../client/start');
    return withClient(async ({ client, config, dataConverter }) => {
      const { workflowId, runId, handle } = await startRun(client, {
        plan,
        params,
        taskQueue: (values['task-queue'] as string | undefined) ?? config.taskQueue,
        options: {
          mode,
          dryRun: !!values['dry-run'],
          initiator: actor(values, false),
          ...(values['auto-approve'] ? { autoApprove: true } : {}),
        },
      });
      if (values.json) console.log(JSON.stringify({ runId, workflowId }));
      else console.log(`started ${workflowId} (run ${runId}); follow it with: rekindle status ${workflowId}`);
      if (values.watch) {
        const { follow } = await import('../watch/follow');
        const s = await follow(client, handle, { json: !!values.json, ...(dataConverter ? { dataConverter } : {}) });
        return s.phase === 'succeeded' ? 0 : 1;
      }
      return 0;
    });
  },
};
