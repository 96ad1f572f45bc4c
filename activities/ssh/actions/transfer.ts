/**
 * `ssh.put` and `ssh.get`: move one file between the worker and an inventory host. Both compare SHA-256
 * first and report `changed: false` when the destination already holds the same bytes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { actionSpec, type ResultOf } from '../../../compiler/actions';
import type { ActionImpl } from '../../errors';
import { actionImpl } from '../../inputs';
import { SshLocalFileNotFoundError, SshRemoteFileNotFoundError, SshTransferError } from '../errors';
import { shellQuote } from '../quote';
import type { SshShell } from '../shell';
import { fileSha256 } from '../../file-sha256';
import { targetHostName } from '../target';

/** Builds `ssh.put`. Throws SshLocalFileNotFoundError, SshTransferError and the SSH transport errors. */
export function sshPut(shell: SshShell): ActionImpl {
  return actionImpl(actionSpec('ssh.put'), async (inp, req): Promise<ResultOf<'ssh.put'>> => {
    const host = targetHostName(inp, req.item);
    if (!existsSync(inp.localPath)) throw new SshLocalFileNotFoundError(inp.localPath);
    const bytes = statSync(inp.localPath).size;
    const sha256 = await fileSha256(inp.localPath);
    const same = (await shell.remoteSha256(req.inventory, host, inp.remotePath)) === sha256;
    const write = !same && !req.dryRun;
    if (write) {
      await shell.run(req.inventory, host, `mkdir -p -- ${shellQuote(dirname(inp.remotePath))}`);
      await shell.upload(req.inventory, host, inp.localPath, inp.remotePath);
      const after = await shell.remoteSha256(req.inventory, host, inp.remotePath);
      if (after !== sha256)
        throw new SshTransferError(host, `checksum mismatch after upload of ${inp.remotePath}`, true);
    }
    if (inp.mode && !req.dryRun)
      await shell.run(req.inventory, host, `chmod ${inp.mode} -- ${shellQuote(inp.remotePath)}`);
    return {
      changed: write,
      outputs: { bytes, sha256, remotePath: inp.remotePath, dryRun: req.dryRun },
      summary: same ? `${host}:${inp.remotePath} already up to date` : `${host}:${inp.remotePath} written`,
    };
  });
}

/** Builds `ssh.get`. Throws SshRemoteFileNotFoundError, SshTransferError and the SSH transport errors. */
export function sshGet(shell: SshShell): ActionImpl {
  return actionImpl(actionSpec('ssh.get'), async (inp, req): Promise<ResultOf<'ssh.get'>> => {
    const host = targetHostName(inp, req.item);
    const remote = await shell.remoteSha256(req.inventory, host, inp.remotePath);
    if (!remote) throw new SshRemoteFileNotFoundError(host, inp.remotePath);
    const outputs = () => ({ sha256: remote, localPath: inp.localPath, bytes: statSync(inp.localPath).size });
    if (existsSync(inp.localPath) && (await fileSha256(inp.localPath)) === remote) {
      return { changed: false, outputs: outputs(), summary: `${inp.localPath} up to date` };
    }
    mkdirSync(dirname(inp.localPath), { recursive: true });
    const tmp = `${inp.localPath}.rekindle-${randomBytes(4).toString('hex')}`;
    try {
      await shell.download(req.inventory, host, inp.remotePath, tmp);
      const got = await fileSha256(tmp);
      if (got !== remote)
        throw new SshTransferError(host, `checksum mismatch after download of ${inp.remotePath}`, true);
      renameSync(tmp, inp.localPath);
    } finally {
      rmSync(tmp, { force: true });
    }
    return { changed: true, outputs: outputs(), summary: `fetched ${host}:${inp.remotePath}` };
  });
}
