/** The `service.*` actions: a broker or ZooKeeper node, through its host's control command. */
import { z } from 'zod';
import { defineAction, RETRY_STANDARD, zDuration, zHost } from './types';

export const serviceActions = [
  defineAction({
    name: 'service.stop',
    family: 'service',
    summary: 'Stop the service on a host (SIGTERM: controlled shutdown) and wait until a broker leaves /brokers/ids',
    kind: 'action',
    inputs: z
      .object({
        host: zHost,
        waitTimeout: zDuration('How long to wait for the effect').prefault('2m'),
        force: z.boolean().default(false).describe('Kill (SIGKILL) when the service has not stopped by waitTimeout'),
      })
      .strict(),
    outputs: z.strictObject({
      wasRunning: z.boolean().describe('True when the service was running before'),
      pid: z.number().nullable().describe('The stopped process id, if any'),
      dryRun: z.boolean().optional().describe('True under --dry-run: nothing was stopped'),
    }),
    idempotent: true,
    readOnly: false,
    reversible: true,
    reverse: 'service.start',
    target: 'host',
    retry: RETRY_STANDARD,
    timeoutMs: 300_000,
    heartbeatMs: 15_000,
  }),
  defineAction({
    name: 'service.start',
    family: 'service',
    summary: 'Start the service on a host and wait until a broker registers in /brokers/ids (ZooKeeper: answers ruok)',
    kind: 'action',
    inputs: z
      .object({
        host: zHost,
        waitTimeout: zDuration('How long to wait for the effect').prefault('3m'),
      })
      .strict(),
    outputs: z.strictObject({
      wasRunning: z.boolean().describe('True when the service was already running'),
      pid: z.number().nullable().optional().describe('Process id'),
      registered: z.boolean().optional().describe('Seen in ZooKeeper'),
      dryRun: z.boolean().optional().describe('True under --dry-run: nothing was started'),
    }),
    idempotent: true,
    readOnly: false,
    reversible: true,
    reverse: 'service.stop',
    target: 'host',
    retry: RETRY_STANDARD,
    timeoutMs: 300_000,
    heartbeatMs: 15_000,
  }),
  defineAction({
    name: 'service.status',
    family: 'service',
    summary: 'Report whether the service on a host is running and, for a broker, registered',
    kind: 'action',
    inputs: z.object({ host: zHost }).strict(),
    outputs: z.strictObject({
      running: z.boolean().describe('Process is running'),
      pid: z.number().nullable().describe('Process id, or null'),
      registered: z.boolean().describe('Broker id present in /brokers/ids'),
    }),
    idempotent: true,
    readOnly: true,
    reversible: false,
    target: 'host',
    retry: RETRY_STANDARD,
    timeoutMs: 60_000,
    heartbeatMs: 15_000,
  }),
];
