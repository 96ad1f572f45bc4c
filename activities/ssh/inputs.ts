/**
 * Input validation at the door with the action registry's own schemas (compiler/actions), so the
 * compiler and the activity agree on names, defaults and durations. Errors are INVALID_INPUT.
 */
import { registryInputs } from '../inputs';

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

export { registryInputs };
