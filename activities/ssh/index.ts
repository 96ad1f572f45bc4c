/** The SSH family: `ssh.exec`, `ssh.put`, `ssh.get` over one shared shell (pool per worker). */
import type { ActionImpl } from '../errors';
import { sshExec } from './actions/exec';
import { sshGet, sshPut } from './actions/transfer';
import type { SshShell } from './shell';

export { SshPool, type SshPoolOptions } from './pool';
export { SshShell } from './shell';
export { shellQuote, shellJoin } from './quote';
export { Fence, type FenceTarget, type Takeover } from './fence';

/** The SSH actions by registry name. */
export function createSshActivities(shell: SshShell): Record<string, ActionImpl> {
  return { 'ssh.exec': sshExec(shell), 'ssh.put': sshPut(shell), 'ssh.get': sshGet(shell) };
}
