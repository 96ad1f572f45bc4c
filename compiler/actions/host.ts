/** The `host.*` actions: cut and restore client traffic to a service while operators keep access. */
import { z } from 'zod';
import { defineAction, RETRY_STANDARD, zHost } from './types';


const inputs = z
  .object({
    host: zHost,
    ports: z
      .array(z.number().int().min(1).max(65535))
      .optional()
      .describe(
        "Ports to cut; defaults to the service's client port (a broker's `port`, a ZooKeeper node's `clientPort`)",
      ),
  })
  .strict();

export const hostActions = [
  defineAction({
    name: 'host.isolate',
    family: 'host',
    summary: "Block client traffic to the host's service port; SSH and the inter-broker listener stay open",
    kind: 'action',
    inputs,
    outputs: z
      .object({
        isolated: z.boolean().describe('True once isolated'),
        ports: z.array(z.number()).describe('The ports that are cut'),
        dryRun: z.boolean().optional().describe('True under --dry-run: nothing was changed'),
      })
      .strict(),
    idempotent: true,
    readOnly: false,
    reversible: true,
    reverse: 'host.unisolate',
    target: 'host',
    retry: RETRY_STANDARD,
    timeoutMs: 60_000,
  }),
  defineAction({
    name: 'host.unisolate',
    family: 'host',
    summary: 'Restore client traffic to the host (undoes host.isolate)',
    kind: 'action',
    inputs,
    outputs: z
      .object({
        isolated: z.boolean().describe('False once traffic flows again'),
        ports: z.array(z.number()).describe('The ports that were reopened'),
        dryRun: z.boolean().optional().describe('True under --dry-run: nothing was changed'),
      })
      .strict(),
    idempotent: true,
    readOnly: false,
    reversible: true,
    reverse: 'host.isolate',
    target: 'host',
    retry: RETRY_STANDARD,
    timeoutMs: 60_000,
  }),
];
