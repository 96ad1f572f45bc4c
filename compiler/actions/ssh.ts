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
            'POSIX sh command; each interpolated value is quoted for where it lands (bare, inside the template\'s quotes, in $( )) or refused at validate (command name, sh -c, backticks, heredoc, ...)',
          ),
        args: z.array(z.string()).default([]).describe('Arguments appended to command, each shell-quoted as one word'),
        rawAcknowledged: z
          .string()
          .min(1)
          .optional()
          .describe('Why `| raw` (unquoted) values in command are safe here; `| raw` is an error without it'),
        timeout: zDuration("Remote time limit (enforced with `timeout --kill-after`); defaults to the step's timeout").optional(),
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
    outputs: {
      exitCode: 'Exit status of the command',
      stdout: 'Captured standard output (capped)',
      stderr: 'Captured standard error (capped)',
      truncated: 'True when output was cut at maxOutputBytes',
      durationMs: 'Wall time of the command',
    },
    largeOutputs: ['stdout', 'stderr'],
    idempotent: false,
    readOnly: false,
    reversible: false,
    target: 'host',
    retry: RETRY_ONCE,
    timeoutMs: 600_000,
    heartbeatMs: 30_000,
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
    outputs: { bytes: 'Bytes written', sha256: 'SHA-256 of the file' },
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
    outputs: { bytes: 'Bytes read', sha256: 'SHA-256 of the file', localPath: 'Where the file was written' },
    idempotent: true,
    readOnly: true,
    reversible: false,
    target: 'host',
    retry: RETRY_STANDARD,
    timeoutMs: 600_000,
    heartbeatMs: 30_000,
  }),
];
