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
import type { ActionResult } from '../plan';
import type { ActionSpec, InputsOf, OutputsOf } from './types';
import { zookeeperActions } from './zookeeper';

export type { ActionFamily, ActionSpec, InputsOf, OutputsOf, RetryDefaults } from './types';
export { outputDescription, outputNames } from './types';
export { OFFSET_RESET_MODES, zOffsetsPlanDoc } from './kafka';

/** Every built-in action's exact type: literal name and input schema. */
type Registry =
  | (typeof sshActions)[number]
  | (typeof serviceActions)[number]
  | (typeof hostActions)[number]
  | (typeof zookeeperActions)[number]
  | (typeof kafkaActions)[number]
  | (typeof backupActions)[number]
  | (typeof controlActions)[number];

/** The name of a built-in action. */
export type ActionName = Registry['name'];

/** The spec of the built-in action `N`, with its exact input schema. */
export type SpecOf<N extends ActionName> = Extract<Registry, { name: N }>;

/** The inputs the implementation of `N` receives (defaults applied, durations in ms). */
export type ActionInputs<N extends ActionName> = InputsOf<SpecOf<N>>;

/** The outputs the implementation of `N` returns (its registry output schema's type). */
export type ActionOutputs<N extends ActionName> = OutputsOf<SpecOf<N>>;

/** What the implementation of `N` resolves to: the result with its typed outputs. */
export type ResultOf<N extends ActionName> = ActionResult<ActionOutputs<N>>;

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

/**
 * The spec of a built-in action, typed by its name.
 * @throws Error when the registry has no such action (a programming error: names are checked by the type).
 */
export function actionSpec<N extends ActionName>(name: N): SpecOf<N> {
  const spec = BY_NAME.get(name);
  if (!spec) throw new Error(`no registry entry for ${name}`);
  return spec as SpecOf<N>;
}

/** Every action name, in reference order. */
export function actionNames(): string[] {
  return ACTIONS.map((a) => a.name);
}
