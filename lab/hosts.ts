/**
 * The lab's hosts: one sshd (Debian's openssh-server) per broker and per ZooKeeper node, each on its
 * own loopback port with its own host key, a generated client key, and a known_hosts pinning them all.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabConfig } from './config';
import { brokerHost, paths, zkHost } from './config';
import { livePid, portOpen, removeFile, startDetached, stopPid, waitFor } from './procs';

export interface LabHost {
  name: string;
  service: 'kafka' | 'zookeeper';
  sshPort: number;
  /** The port `isolate` cuts: the broker's client listener, or ZooKeeper's client port. */
  servicePort: number;
}

export function labHosts(c: LabConfig): LabHost[] {
  const hosts: LabHost[] = [];
  for (let i = 1; i <= c.brokers; i++) {
    hosts.push({ name: brokerHost(i), service: 'kafka', sshPort: 0, servicePort: c.ports.kafkaClient + i - 1 });
  }
  for (let i = 1; i <= c.zkNodes; i++) {
    hosts.push({ name: zkHost(i), service: 'zookeeper', sshPort: 0, servicePort: c.ports.zkClient + i - 1 });
  }
  return hosts.map((h, j) => ({ ...h, sshPort: c.ports.ssh + j }));
}

const sshDir = (c: LabConfig, host: string) => join(paths.hostDir(c, host), 'ssh');
const sshdConfig = (c: LabConfig, host: string) => join(sshDir(c, host), 'sshd_config');
const sshdPidFile = (c: LabConfig, host: string) => join(sshDir(c, host), 'sshd.pid');
export const clientKey = (c: LabConfig) => join(paths.keys(c), 'id_ed25519');
export const knownHostsFile = (c: LabConfig) => join(paths.keys(c), 'known_hosts');
export const hostKeyFile = (c: LabConfig, host: string) => join(sshDir(c, host), 'ssh_host_ed25519_key');

function keygen(file: string, comment: string): void {
  if (!existsSync(file)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

/** `ssh-ed25519 AAAA...` of a host, as pinned in the inventory. */
export function hostPublicKey(c: LabConfig, host: string): string {
  return readFileSync(`${hostKeyFile(c, host)}.pub`, 'utf8')
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .join(' ');
}

/** Generates keys and configs that are missing; existing keys are kept so pins stay valid. */
export function prepareHosts(c: LabConfig): void {
  mkdirSync(paths.keys(c), { recursive: true, mode: 0o700 });
  keygen(clientKey(c), 'rekindle-lab-client');
  writeFileSync(join(paths.keys(c), 'authorized_keys'), readFileSync(`${clientKey(c)}.pub`), { mode: 0o600 });
  const known: string[] = [];
  for (const h of labHosts(c)) {
    mkdirSync(sshDir(c, h.name), { recursive: true, mode: 0o700 });
    keygen(hostKeyFile(c, h.name), h.name);
    writeFileSync(sshdConfig(c, h.name), sshdConfigText(c, h));
    known.push(`[127.0.0.1]:${h.sshPort} ${hostPublicKey(c, h.name)}`);
  }
  writeFileSync(knownHostsFile(c), `${known.join('\n')}\n`);
  // sshd's privilege-separation directory; Debian creates it only when the system sshd runs.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
}

function sshdConfigText(c: LabConfig, h: LabHost): string {
  return [
    `# sshd for lab host ${h.name}`,
    `Port ${h.sshPort}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKeyFile(c, h.name)}`,
    'PidFile none',
    `AuthorizedKeysFile ${join(paths.keys(c), 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    'StrictModes no',
    'MaxSessions 10',
    'MaxStartups 30:50:60',
    'ClientAliveInterval 15',
    `SetEnv REKINDLE_LAB_HOST=${h.name}`,
    'Subsystem sftp internal-sftp',
    'LogLevel INFO',
    '',
  ].join('\n');
}

export function sshdPid(c: LabConfig, host: string): number | undefined {
  return livePid(sshdPidFile(c, host), sshdConfig(c, host));
}

export async function startHosts(c: LabConfig): Promise<void> {
  for (const h of labHosts(c)) {
    if (sshdPid(c, h.name) !== undefined) continue;
    const log = join(paths.logs(c), `sshd-${h.name}.log`);
    startDetached('/usr/sbin/sshd', ['-D', '-e', '-f', sshdConfig(c, h.name)], log, sshdPidFile(c, h.name));
  }
  for (const h of labHosts(c)) {
    await waitFor(`sshd of ${h.name} on port ${h.sshPort}`, () => portOpen(h.sshPort), 15_000);
  }
}

export async function stopHosts(c: LabConfig): Promise<void> {
  for (const h of labHosts(c)) {
    const pid = sshdPid(c, h.name);
    if (pid !== undefined) await stopPid(pid, 5000);
    removeFile(sshdPidFile(c, h.name));
  }
}
