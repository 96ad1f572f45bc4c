/**
 * `ssh.exec`: run a command on an inventory host. `args` are shell-quoted, so values never become code.
 * Reports `changed` as the runbook says (default true), or false when `creates` already exists.
 */
import { actionSpec, type ResultOf } from '../../../compiler/actions';
import type { ActionImpl } from '../../errors';
import { actionImpl } from '../../inputs';
import { shellJoin, shellQuote } from '../quote';
import { checkOutcome, type SshShell } from '../shell';
import { targetHostName } from '../target';

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

const spec = actionSpec('ssh.exec');

/**
 * Builds the `ssh.exec` implementation over a shell. The remote time limit is `timeout`, else the step's
 * own timeout (the activity's start-to-close), else the action's default step timeout: one fact, no
 * separate default. Throws the SSH family errors.
 */
export function sshExec(shell: SshShell): ActionImpl {
  return actionImpl(spec, async (inp, req, ctx): Promise<ResultOf<'ssh.exec'>> => {
    const host = targetHostName(inp, req.item);
    const command = shellJoin(inp.command, inp.args);
    const timeoutMs = inp.timeout ?? ctx.timeoutMs ?? spec.timeoutMs;
    if (inp.creates) {
      const probe = await shell.run(req.inventory, host, `test -e ${shellQuote(inp.creates)}`, { okExitCodes: [0, 1] });
      if (probe.exitCode === 0) {
        return {
          changed: false,
          outputs: { skipped: true, creates: inp.creates },
          summary: `${host}: ${inp.creates} exists`,
        };
      }
    }
    // `changed: false` declares the command read-only, so it runs for real under --dry-run.
    if (req.dryRun && inp.changed) {
      return { changed: false, outputs: { dryRun: true, command }, summary: `${host}: would run ${command}` };
    }
    const heartbeat = throttled((d) => ctx.heartbeat(d));
    const r = await shell.exec(req.inventory, host, command, {
      timeoutMs,
      killAfterMs: inp.killAfter,
      maxOutputBytes: inp.maxOutputBytes,
      signal: ctx.signal,
      onProgress: (p) => heartbeat(p),
    });
    checkOutcome(host, r, timeoutMs, inp.okExitCodes);
    return {
      changed: inp.changed,
      outputs: {
        exitCode: r.exitCode,
        stdout: r.stdout,
        stderr: r.stderr,
        durationMs: r.durationMs,
        truncated: r.stdoutTruncated || r.stderrTruncated,
      },
      summary: `${host}: exit ${r.exitCode} in ${r.durationMs} ms`,
    };
  });
}
