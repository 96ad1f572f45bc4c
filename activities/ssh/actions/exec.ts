/**
 * `ssh.exec`: run a command on an inventory host. `args` are shell-quoted, so values never become code.
 * Changed unless `readOnly`, or `creates` names a path that already exists (Ansible's `creates`).
 */
import { z } from 'zod';
import type { ActionResult } from '../../../compiler/plan';
import { parseInputs, type ActionImpl } from '../../errors';
import { shellJoin, shellQuote } from '../quote';
import { checkOutcome, type SshShell } from '../shell';
import { targetHostName } from '../target';

export const execInputs = z.object({
  host: z.string().min(1).optional(),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  timeoutMs: z.number().int().positive().default(60_000),
  killAfterMs: z.number().int().positive().default(5_000),
  maxOutputBytes: z.number().int().positive().default(65_536),
  okExitCodes: z.array(z.number().int()).default([0]),
  creates: z.string().min(1).optional(),
  readOnly: z.boolean().default(false),
});

/** Throttles heartbeats to one per interval. */
export function throttled(fn: (d: unknown) => void, everyMs = 1_000): (d: unknown) => void {
  let last = 0;
  return (d) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    fn(d);
  };
}

/** Builds the `ssh.exec` implementation over a shell. Throws the SSH family errors. */
export function sshExec(shell: SshShell): ActionImpl {
  return async (req, ctx): Promise<ActionResult> => {
    const inp = parseInputs('ssh.exec', execInputs, req.inputs);
    const host = targetHostName(req.inputs, req.item);
    const command = shellJoin(inp.command, inp.args);
    if (inp.creates) {
      const probe = await shell.run(req.inventory, host, `test -e ${shellQuote(inp.creates)}`, { okExitCodes: [0, 1] });
      if (probe.exitCode === 0) {
        return { changed: false, outputs: { skipped: true, creates: inp.creates }, summary: `${host}: ${inp.creates} exists` };
      }
    }
    if (req.dryRun && !inp.readOnly) {
      return { changed: false, outputs: { dryRun: true, command }, summary: `${host}: would run ${command}` };
    }
    const heartbeat = throttled((d) => ctx.heartbeat(d));
    const r = await shell.exec(req.inventory, host, command, {
      timeoutMs: inp.timeoutMs,
      killAfterMs: inp.killAfterMs,
      maxOutputBytes: inp.maxOutputBytes,
      signal: ctx.signal,
      onProgress: (p) => heartbeat(p),
    });
    checkOutcome(host, r, inp.timeoutMs, inp.okExitCodes);
    return {
      changed: !inp.readOnly,
      outputs: {
        exitCode: r.exitCode,
        stdout: r.stdout,
        stderr: r.stderr,
        durationMs: r.durationMs,
        stdoutTruncated: r.stdoutTruncated,
        stderrTruncated: r.stderrTruncated,
      },
      summary: `${host}: exit ${r.exitCode} in ${r.durationMs} ms`,
    };
  };
}
