/**
 * Input validation at the door with the action registry's own schemas (compiler/actions), so the
 * compiler and the activity agree on names, defaults and durations. Errors are INVALID_INPUT.
 */
import { getAction } from '../../compiler/actions';
import { parseInputs } from '../errors';

export interface ExecInputs {
  host?: string;
  command: string;
  args: string[];
  timeout?: number;
  killAfter?: number;
  creates?: string;
  okExitCodes: number[];
  maxOutputBytes: number;
  changed: boolean;
}

export interface PutInputs {
  host?: string;
  localPath: string;
  remotePath: string;
  mode?: string;
}

export interface GetInputs {
  host?: string;
  remotePath: string;
  localPath: string;
}

/** Parses `inputs` with the registry schema of `action`. Throws InvalidInputError naming each bad field. */
export function registryInputs<T>(action: string, inputs: unknown): T {
  const spec = getAction(action);
  if (!spec) throw new Error(`no registry entry for ${action}`);
  return parseInputs(action, spec.inputs, inputs) as T;
}
