/** `rekindle worker`: runs a worker with the engine's workflow and every activity family. */
import type { Command } from '../command';
import { parse } from '../client/args';
import { loadConfig } from '../../worker/config';
import { createRekindleWorker } from '../../worker/create';

const usage = 'rekindle worker [--task-queue Q]';

export const command: Command = {
  summary: 'Start a worker (config from REKINDLE_* variables and rekindle.yaml; see docs/worker.md)',
  help: `Usage: ${usage}

Environment (wins over the config file):
  REKINDLE_TEMPORAL_ADDRESS  host:port of Temporal (default: the lab's, else 127.0.0.1:7233)
  REKINDLE_NAMESPACE         namespace (default: default)
  REKINDLE_TASK_QUEUE        task queue (default: rekindle)
  REKINDLE_BACKUP_STORE      backup directory
  REKINDLE_MAX_ACTIVITIES    concurrent activities (default: 20)
  REKINDLE_CONFIG            config file (default: ./rekindle.yaml when present)
Stops cleanly on SIGINT/SIGTERM (running activities are given time to finish).`,
  async run(argv) {
    const { values } = parse(argv, { 'task-queue': { type: 'string' } }, { min: 0, max: 0, usage });
    const config = loadConfig();
    if (values['task-queue']) config.taskQueue = values['task-queue'] as string;
    const { worker, connection } = await createRekindleWorker({ config });
    console.log(
      `rekindle worker ready: polling task queue '${config.taskQueue}' on ${config.temporalAddress} (namespace ${config.namespace}; config from ${config.sources.join(', ') || 'defaults'})`,
    );
    try {
      await worker.run();
    } finally {
      await connection.close();
    }
    return 0;
  },
};
