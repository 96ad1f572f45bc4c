/**
 * End-to-end: the drill survives its worker being SIGKILLed during the restore phase. The supervisor
 * starts a new worker; Temporal hands it the run; the drill completes with verified data.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDrill } from '../../drill/run';

jest.setTimeout(20 * 60_000);

it('completes with verified data after the worker is killed mid-restore', async () => {
  let killedPid: number | undefined;
  let starts = 0;
  const report = await runDrill({
    outDir: mkdtempSync(join(tmpdir(), 'rekindle-drill-crash-')),
    log: () => {},
    onRecoveryStep: (step, worker) => {
      starts = worker.starts;
      if (killedPid === undefined && step.id === 'restore-kafka-logs' && step.state === 'running' && worker.pid) {
        killedPid = worker.pid;
        process.kill(killedPid, 'SIGKILL');
      }
    },
  });
  expect(killedPid).toBeDefined();
  expect(starts).toBeGreaterThanOrEqual(2);
  expect(report.failures).toEqual([]);
  expect(report.dataVerified).toBe(true);
  expect(report.messagesRestored).toBe(report.messagesInBackup);
});
