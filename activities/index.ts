/**
 * The only composition point of the activity families. The worker calls createActivities(deps)
 * and registers the result; activity names are the registry's action names (`ssh.exec`, ...).
 */
import type { ActionRequest, ActionResult } from '../compiler/plan';

export interface ActivityDeps {
  /** Directory where backups live when an action does not say otherwise. */
  backupStore?: string;
}

export type ActionActivity = (request: ActionRequest) => Promise<ActionResult>;

export function createActivities(_deps: ActivityDeps): Record<string, ActionActivity> {
  return {};
}
