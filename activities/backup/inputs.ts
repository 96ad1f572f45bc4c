/** Input validation at the door with the action registry's schemas (compiler/actions/backup.ts). */
import { registryInputs } from '../inputs';

export interface CreateInputs {
  label?: string;
  logs: boolean;
  offsets: boolean;
  zookeeper?: string;
  groupOffsets?: string;
  window: 'rolling' | 'cold';
  brokers?: number[];
  waitTimeout: number;
}

export interface SelectInputs {
  backupSet: string;
  before?: string;
  maxSkew: number;
}

export interface RestoreLogsInputs {
  host?: string;
  backup: string;
  wipe: boolean;
  verify: boolean;
}

/** Parses inputs with the registry schema of `action`. Throws INVALID_INPUT naming each bad field. */
export const backupInputs = registryInputs;
