/** The smallest real workflow: proves the lab's Temporal server runs workflows through a real Worker. */
import { proxyActivities } from '@temporalio/workflow';

const { echo } = proxyActivities<{ echo(s: string): Promise<string> }>({ startToCloseTimeout: '10s' });

export async function trivialWorkflow(name: string): Promise<string> {
  return `hello ${await echo(name)}`;
}
