/**
 * The workflow id that holds a cluster: every run on a cluster, started by hand or by a schedule,
 * uses it, so Temporal's id uniqueness is the one-run-per-cluster lock. Pure; used by the client
 * and by the scheduled-drill workflow.
 */
export function workflowIdFor(cluster: string): string {
  return `rekindle-${cluster.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}
