/**
 * What the service and host actions need from outside, as small interfaces: commands on inventory
 * hosts (the ssh family's shell satisfies it) and a read of ZooKeeper's `/brokers/ids`. Injected by
 * activities/index.ts, so this family imports neither the ssh nor the zookeeper folder.
 */
import type { InventoryHost } from '../../compiler/inventory';

export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Commands on inventory hosts by name. */
export interface HostCommands {
  /** The inventory entry of a host. Throws SSH_HOST_UNKNOWN when absent. */
  host(inventory: Record<string, unknown>, host: string): InventoryHost;
  /** Runs a command; throws SSH_COMMAND_FAILED unless the exit code is in okExitCodes (default [0]). */
  run(
    inventory: Record<string, unknown>,
    host: string,
    command: string,
    opts?: { timeoutMs?: number; okExitCodes?: number[]; signal?: AbortSignal },
  ): Promise<CommandResult>;
}

/** Which broker ids are registered (the children of `<chroot>/brokers/ids`). */
export interface BrokerRegistry {
  brokerIds(inventory: Record<string, unknown>): Promise<number[]>;
}

export interface ServiceDeps {
  hosts: HostCommands;
  registry: BrokerRegistry;
  /** How often to poll for the effect (default 500 ms). */
  pollMs?: number;
}
