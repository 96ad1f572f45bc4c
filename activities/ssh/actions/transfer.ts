/**
 * `ssh.put` and `ssh.get`: move one file between the worker and an inventory host. Both compare SHA-256
 * first and report `changed: false` when the destination already holds the same bytes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { ActionResult } from '../../../compiler/plan';
import { InvalidInputError, parseInputs, type ActionImpl } from '../../errors';
import { SshTransferError } from '../errors';
import { shellQuote } from '../quote';
import { localSha256, type SshShell } from '../shell';
import { targetHostName } from '../target';

export const putInputs = z
  .object({
    host: z.string().min(1).optional(),
    remotePath: z.string().min(1),
    /** Exactly one source: inline text, inline base64, or a file on the worker. */
    content: z.string().optional(),
    contentBase64: z.string().optional(),
    localPath: z.string().min(1).optional(),
    mode: z.string().regex(/^[0-7]{3,4}$/).optional(),
  })
  .refine((v) => [v.content, v.contentBase64, v.localPath].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of content, contentBase64, localPath',
  });

export const getInputs = z.object({
  host: z.string().min(1).optional(),
  remotePath: z.string().min(1),
  localPath: z.string().min(1),
});

/** Builds `ssh.put`. Throws InvalidInputError, SshTransferError and the SSH transport errors. */
export function sshPut(shell: SshShell): ActionImpl {
  return async (req): Promise<ActionResult> => {
    const inp = parseInputs('ssh.put', putInputs, req.inputs);
    const host = targetHostName(req.inputs, req.item);
    let source = inp.localPath;
    let scratch: string | undefined;
    if (!source) {
      scratch = join(tmpdir(), `rekindle-put-${randomBytes(6).toString('hex')}`);
      writeFileSync(scratch, inp.content !== undefined ? Buffer.from(inp.content) : Buffer.from(inp.contentBase64!, 'base64'));
      source = scratch;
    } else if (!existsSync(source)) {
      throw new InvalidInputError(`ssh.put: local file ${source} does not exist`, { field: 'localPath' });
    }
    try {
      const sha256 = await localSha256(source);
      const before = await shell.remoteSha256(req.inventory, host, inp.remotePath);
      const same = before === sha256;
      if (!same && !req.dryRun) {
        await shell.run(req.inventory, host, `mkdir -p -- ${shellQuote(dirname(inp.remotePath))}`);
        await shell.upload(req.inventory, host, source, inp.remotePath);
        const after = await shell.remoteSha256(req.inventory, host, inp.remotePath);
        if (after !== sha256) throw new SshTransferError(host, `checksum mismatch after upload of ${inp.remotePath}`, true);
      }
      if (inp.mode && !req.dryRun) await shell.run(req.inventory, host, `chmod ${inp.mode} -- ${shellQuote(inp.remotePath)}`);
      return {
        changed: !same && !req.dryRun,
        outputs: { sha256, remotePath: inp.remotePath, dryRun: req.dryRun },
        summary: same ? `${host}:${inp.remotePath} already up to date` : `${host}:${inp.remotePath} written`,
      };
    } finally {
      if (scratch) rmSync(scratch, { force: true });
    }
  };
}

/** Builds `ssh.get`. Throws SshTransferError (non-retryable when the remote file is missing). */
export function sshGet(shell: SshShell): ActionImpl {
  return async (req): Promise<ActionResult> => {
    const inp = parseInputs('ssh.get', getInputs, req.inputs);
    const host = targetHostName(req.inputs, req.item);
    const remote = await shell.remoteSha256(req.inventory, host, inp.remotePath);
    if (!remote) throw new SshTransferError(host, `${inp.remotePath} does not exist`, false, { path: inp.remotePath });
    if (existsSync(inp.localPath) && (await localSha256(inp.localPath)) === remote) {
      return { changed: false, outputs: { sha256: remote, localPath: inp.localPath }, summary: `${inp.localPath} up to date` };
    }
    if (req.dryRun) return { changed: false, outputs: { dryRun: true, sha256: remote }, summary: `would fetch ${inp.remotePath}` };
    mkdirSync(dirname(inp.localPath), { recursive: true });
    const tmp = `${inp.localPath}.rekindle-${randomBytes(4).toString('hex')}`;
    try {
      await shell.download(req.inventory, host, inp.remotePath, tmp);
      const got = await localSha256(tmp);
      if (got !== remote) throw new SshTransferError(host, `checksum mismatch after download of ${inp.remotePath}`, true);
      renameSync(tmp, inp.localPath);
    } finally {
      rmSync(tmp, { force: true });
    }
    return { changed: true, outputs: { sha256: remote, localPath: inp.localPath }, summary: `fetched ${host}:${inp.remotePath}` };
  };
}
