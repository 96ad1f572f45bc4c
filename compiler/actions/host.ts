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

/** Both directions report the same fields; only what they mean differs. */
function isolationOutputs(isolated: string, ports: string) {
  return z.strictObject({
    isolated: z.boolean().describe(isolated),
    ports: z.array(z.number()).describe(ports),
    dryRun: z.boolean().optional().describe('True under --dry-run: nothing was changed'),
  });
}

/** What isolate and unisolate share: each is the other's reverse. */
const isolation = {
  family: 'host',
  kind: 'action',
  inputs,
  idempotent: true,
  readOnly: false,
  reversible: true,
  target: 'host',
  retry: RETRY_STANDARD,
  timeoutMs: 60_000,
  heartbeatMs: 15_000,
} as const;

export const hostActions = [
  defineAction({
    ...isolation,
    name: 'host.isolate',
    summary: "Block client traffic to the host's service port; SSH and the inter-broker listener stay open",
    outputs: isolationOutputs('True once isolated', 'The ports that are cut'),
    reverse: 'host.unisolate',
  }),
  defineAction({
    ...isolation,
    name: 'host.unisolate',
    summary: 'Restore client traffic to the host (undoes host.isolate)',
    outputs: isolationOutputs('False once traffic flows again', 'The ports that were reopened'),
    reverse: 'host.isolate',
  }),
];
