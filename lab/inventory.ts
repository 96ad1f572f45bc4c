/** Builds the lab's inventory (the form the runbooks use) and writes it as state/inventory.yaml. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Inventory } from '../compiler/inventory';
import type { LabConfig } from './config';
import { brokerHost, paths, savedConfig, zkHost } from './config';
import { clientKey, hostPublicKey, knownHostsFile, labHosts } from './hosts';
import { ZK_CHROOT, brokerLogDir, opsPort, svcCommand, zkConnect, zkDataDir, zkLogDir } from './services';

export function labInventory(c: LabConfig): Inventory {
  return {
    cluster: 'lab',
    backupStore: join(c.stateDir, 'backups'),
    temporal: { address: `127.0.0.1:${c.ports.temporal}`, namespace: 'default', uiPort: c.ports.temporalUi },
    zookeeper: {
      connect: zkConnect(c),
      chroot: ZK_CHROOT,
      nodes: Array.from({ length: c.zkNodes }, (_, k) => ({
        id: k + 1,
        host: zkHost(k + 1),
        address: '127.0.0.1',
        clientPort: c.ports.zkClient + k,
        dataDir: zkDataDir(c, k + 1),
        dataLogDir: zkLogDir(c, k + 1),
      })),
    },
    kafka: {
      bootstrap: Array.from({ length: c.brokers }, (_, k) => `127.0.0.1:${c.ports.kafkaClient + k}`),
      adminBootstrap: Array.from({ length: c.brokers }, (_, k) => `127.0.0.1:${opsPort(c, k + 1)}`),
      brokers: Array.from({ length: c.brokers }, (_, k) => ({
        id: k + 1,
        host: brokerHost(k + 1),
        address: '127.0.0.1',
        port: c.ports.kafkaClient + k,
        internalPort: c.ports.kafkaInternal + k,
        adminPort: opsPort(c, k + 1),
        logDirs: [brokerLogDir(c, k + 1)],
      })),
    },
    hosts: labHosts(c).map((h) => ({
      name: h.name,
      address: '127.0.0.1',
      port: h.sshPort,
      user: 'root',
      identityFile: clientKey(c),
      hostKey: hostPublicKey(c, h.name),
      knownHostsFile: knownHostsFile(c),
      control: svcCommand(c, h.name),
      service: h.service,
      // Each lab host shares this machine's filesystem: its fence locks need a directory of their own.
      lockDir: join(paths.hostDir(c, h.name), 'locks'),
    })),
  };
}

export function writeInventory(c: LabConfig): string {
  const file = paths.inventory(c);
  mkdirSync(join(c.stateDir, 'backups'), { recursive: true });
  const header = '# Written by `npm run lab -- up`. The lab cluster, in the inventory form runbooks use.\n';
  writeFileSync(file, header + stringify(labInventory(c)));
  return file;
}

/** The saved lab configuration. @throws Error when the lab was never brought up. */
export function labConfigOrThrow(): LabConfig {
  const c = savedConfig();
  if (!c) throw new Error('the lab is not set up: run `npm run lab -- up` (Jest global setup does this)');
  return c;
}

/** The lab's inventory as written by `lab up`. @throws Error when the lab was never brought up. */
export function readLabInventory(): Inventory {
  return parse(readFileSync(paths.inventory(labConfigOrThrow()), 'utf8')) as Inventory;
}
