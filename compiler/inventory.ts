/**
 * The inventory: what a runbook acts on. The lab writes one to lab/state/inventory.yaml; a real
 * cluster's lives in inventories/NAME.yaml. No secrets: key files are paths the worker resolves.
 * No imports, plain JSON, like the Plan.
 */

export interface InventoryHost {
  /** Host name used everywhere else in the inventory (`kafka-1`, `zk-1`). */
  name: string;
  address: string;
  port: number;
  user: string;
  /** Path of the private key the worker uses (a reference, never the key itself). */
  identityFile: string;
  /** Pinned host key, `ssh-ed25519 AAAA...`; or use knownHostsFile. */
  hostKey?: string;
  knownHostsFile?: string;
  /** The control command on that host: `<control> start|stop|status|kill|isolate|unisolate|isolated`. */
  control: string;
  /** The service this host runs. */
  service: 'kafka' | 'zookeeper';
  /**
   * Directory on the host for Rekindle's fence locks (docs/fencing.md); default `~/.rekindle/locks`.
   * Hosts that share a filesystem (the lab's) each need their own.
   */
  lockDir?: string;
}

export interface InventoryZkNode {
  id: number;
  host: string;
  address: string;
  clientPort: number;
  dataDir: string;
  dataLogDir: string;
}

export interface InventoryBroker {
  id: number;
  host: string;
  address: string;
  /** The client listener (what isolation cuts). */
  port: number;
  /** The inter-broker listener (kept open during isolation). */
  internalPort: number;
  /** The operators' listener (kept open during isolation, so a runbook can verify an isolated cluster). */
  adminPort?: number;
  logDirs: string[];
}

export interface Inventory {
  cluster: string;
  /** Where backups are written (a local directory on the worker's machine). */
  backupStore: string;
  temporal?: { address: string; namespace: string; uiPort?: number };
  zookeeper: {
    /** `host:port,host:port` without chroot. */
    connect: string;
    /** Kafka's chroot, e.g. `/kafka`. */
    chroot: string;
    nodes: InventoryZkNode[];
  };
  kafka: {
    /** Client bootstrap list, `host:port`. */
    bootstrap: string[];
    /** The operators' listeners, `host:port`; Rekindle's own Kafka calls use these when given. */
    adminBootstrap?: string[];
    brokers: InventoryBroker[];
  };
  hosts: InventoryHost[];
}
