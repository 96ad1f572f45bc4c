/**
 * Execution statuses a listing can filter by, as `--status` spells them, with visibility's names. Kept apart
 * from list-runs.ts so that `rekindle list --help` loads no Temporal module.
 */
export const RUN_STATES: Record<string, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  'timed-out': 'TimedOut',
  'continued-as-new': 'ContinuedAsNew',
};
