/**
 * The action registry: every built-in action by name. The compiler validates `uses:`/`with:` against
 * it, activities validate their inputs with the same schemas, and the docs are generated from it.
 */
import { backupActions } from './backup';
import { controlActions } from './control';
import { hostActions } from './host';
import { kafkaActions } from './kafka';
import { serviceActions } from './service';
import { sshActions } from './ssh';
import type { ActionSpec } from './types';
import { zookeeperActions } from './zookeeper';

export type { ActionFamily, ActionSpec, RetryDefaults } from './types';
export { OFFSET_RESET_MODES } from './kafka';

/** Every built-in action, in reference order. */
export const ACTIONS: readonly ActionSpec[] = [
  ...sshActions,
  ...serviceActions,
  ...hostActions,
  ...zookeeperActions,
  ...kafkaActions,
  ...backupActions,
  ...controlActions,
];

const BY_NAME = new Map(ACTIONS.map((a) => [a.name, a]));

/** The action named `name`, or undefined when the registry has none. */
export function getAction(name: string): ActionSpec | undefined {
  return BY_NAME.get(name);
}

/** Every action name, in reference order. */
export function actionNames(): string[] {
  return ACTIONS.map((a) => a.name);
}
