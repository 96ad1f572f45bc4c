/** The `ssh.*` actions: commands and files on inventory hosts, host key always verified. */
import { z } from 'zod';
import { defineAction, RETRY_ONCE, RETRY_STANDARD, zDuration, zHost } from './types';

export const sshActions = [
  defineAction({
    name: 'ssh.exec',
    family: 'ssh',
    summary: 'Run a POSIX shell command on an inventory host, with a remote and a local timeout and capped output',
    kind: 'action',
    inputs: z
      .object({
        host: zHost,
        command: z
          .string()
          .min(1)
          .describe(
            "POSIX sh command; each interpolated value is quoted for where it lands (bare, inside the template's quotes, in $( )) or refused at validate (command name, sh -c, backticks, heredoc, ...)",
          ),
        args: z.array(z.string()).default([]).describe('Arguments appended to command, each shell-quoted as one word'),
        rawAcknowledged: z
          .string()
          .min(1)
          .optional()
          .describe('Why `| raw` (unquoted) values in command are safe here; `| raw` is an error without it'),
        timeout: zDuration(
          "Remote time limit (enforced with `timeout --kill-after`); defaults to the step's timeout",
        ).optional(),
        killAfter: zDuration('Grace between the remote SIGTERM and SIGKILL at timeout').prefault('5s'),
        creates: z.string().min(1).optional().describe('Skip (changed: false) when this remote path already exists'),
        okExitCodes: z.array(z.number().int()).default([0]).describe('Exit codes that count as success'),
        maxOutputBytes: z.number().int().min(1).default(1_048_576).describe('Cap on captured stdout and stderr each'),
        changed: z
          .boolean()
          .default(true)
          .describe(
            'What to report as `changed` (commands cannot tell); false also marks the command read-only for --dry-run',
          ),
      })
      .strict(),
    outputs: z.strictObject({
      exitCode: z.number().nullable().optional().describe('Exit status of the command (absent when it did not run)'),
      stdout: z.string().optional().describe('Captured standard output (capped)'),
      stderr: z.string().optional().describe('Captured standard error (capped)'),
      truncated: z.boolean().optional().describe('True when output was cut at maxOutputBytes'),
      durationMs: z.number().optional().describe('Wall time of the command'),
      skipped: z.boolean().optional().describe('True when the `creates` path existed, so the command did not run'),
      creates: z.string().optional().describe('The `creates` path that already existed'),
      dryRun: z.boolean().optional().describe('True under --dry-run: the command did not run'),
      command: z.string().optional().describe('The command that would have run (under --dry-run)'),
    }),
    largeOutputs: ['stdout', 'stderr'],
    idempotent: false,
    readOnly: false,
    reversible: false,
    target: 'host',
    retry: RETRY_ONCE,
    timeoutMs: 600_000,
    heartbeatMs: 30_000,
    fence: { lock: 'step', hosts: 'target' },
    shellInputs: ['command'],
  }),
  defineAction({
    name: 'ssh.put',
    family: 'ssh',
    summary: 'Copy a file from the worker to an inventory host (SFTP), atomically via a temporary name',
    kind: 'action',
    inputs: z
      .object({
        host: zHost,
        localPath: z.string().min(1).describe('File on the worker'),
        remotePath: z.string().min(1).describe('Destination on the host'),
        mode: z
          .string()
          .regex(/^[0-7]{3,4}$/)
          .optional()
          .describe('Octal permissions, e.g. 0644'),
      })
      .strict(),
    outputs: z.strictObject({
      bytes: z.number().describe('Bytes written'),
      sha256: z.string().describe('SHA-256 of the file'),
      remotePath: z.string().describe('Where the file is on the host'),
      dryRun: z.boolean().describe('True under --dry-run: nothing was written'),
    }),
    idempotent: true,
    readOnly: false,
    reversible: false,
    target: 'host',
    retry: RETRY_STANDARD,
    timeoutMs: 600_000,
    heartbeatMs: 30_000,
  }),
  defineAction({
    name: 'ssh.get',
    family: 'ssh',
    summary: 'Copy a file from an inventory host to the worker (SFTP)',
    kind: 'action',
    inputs: z
      .object({
        host: zHost,
        remotePath: z.string().min(1).describe('File on the host'),
        localPath: z.string().min(1).describe('Destination on the worker'),
      })
      .strict(),
    outputs: z.strictObject({
      bytes: z.number().describe('Bytes read'),
      sha256: z.string().optional().describe('SHA-256 of the file'),
      localPath: z.string().describe('Where the file was written'),
    }),
    idempotent: true,
    readOnly: true,
    reversible: false,
    target: 'host',
    retry: RETRY_STANDARD,
    timeoutMs: 600_000,
    heartbeatMs: 30_000,
  }),
];
