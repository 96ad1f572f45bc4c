/** `rekindle worker`: runs a worker with the engine's workflow and every activity family, as a service. */
import type { Command } from '../command';
import { parse } from '../client/args';

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
  REKINDLE_SHUTDOWN_GRACE    time running activities get after SIGTERM (default: 30s)
  REKINDLE_HTTP_ADDRESS      [host:]port of /healthz and /metrics (default: off; host 127.0.0.1)
  REKINDLE_LOG_FORMAT        json | text | auto (default: auto: text on a terminal, JSON otherwise)
  REKINDLE_LOG_LEVEL         trace | debug | info | warn | error (default: info)
  REKINDLE_CONFIG            config file (default: ./rekindle.yaml when present)
SIGTERM/SIGINT: stop polling, let running activities finish within the grace period, close every
connection and exit 0. A second signal exits at once.`,
  async run(argv) {
    const { values } = parse(argv, { 'task-queue': { type: 'string' } }, { min: 0, max: 0, usage });
    const { loadConfig } = await import('../../worker/config');
    const { runWorkerService } = await import('../../worker/service');
    const config = loadConfig();
    if (values['task-queue']) config.taskQueue = values['task-queue'] as string;
    return runWorkerService(config);
  },
};
