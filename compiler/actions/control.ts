/** Control actions the workflow handles itself: approval gates and durable waits. */
import { z } from 'zod';
import { defineAction, RETRY_ONCE, zDuration } from './types';

/** Steps the engine runs itself: no target, one attempt, nothing to undo; their own inputs bound their time. */
const ENGINE_STEP = {
  idempotent: true,
  readOnly: true,
  reversible: false,
  target: 'none',
  retry: RETRY_ONCE,
  timeoutMs: 3_600_000,
} as const;

export const controlActions = [
  defineAction({
    name: 'approval',
    family: 'control',
    summary: 'A gate: named approvers decide, with a timeout policy; the approver sees the evidence in `summary`',
    kind: 'approval',
    inputs: z
      .object({
        approvers: z.array(z.string().min(1)).min(1).describe('Who may approve'),
        drillApprovers: z
          .array(z.string().min(1))
          .default([])
          .describe('Who may also approve in drill mode only (never in a recovery)'),
        minApprovals: z.number().int().min(1).default(1).describe('Approvals needed'),
        timeout: zDuration('How long to wait for a decision').prefault('1h'),
        onTimeout: z
          .enum(['fail', 'abort', 'approve'])
          .default('fail')
          .describe('`approve` only in drill-only runbooks'),
        initiatorMayApprove: z.boolean().default(true).describe('Whether whoever started the run may approve'),
        requireComment: z.boolean().default(false).describe('Approvers must give a comment'),
        summary: z.string().default('').describe("Evidence for the approver; may reference earlier steps' outputs"),
      })
      .strict(),
    outputs: z.strictObject({
      approvedBy: z.array(z.string()).describe('Names of the approvers'),
      evidence: z.unknown().describe('What the approvers were shown'),
      policy: z.boolean().describe('True when the timeout policy approved (drill mode)'),
    }),
    ...ENGINE_STEP,
  }),
  defineAction({
    name: 'wait',
    family: 'control',
    summary: 'A durable timer, or a wait until an expression holds (re-evaluated whenever the run changes)',
    kind: 'wait',
    inputs: z
      .object({
        duration: zDuration('Sleep this long').optional(),
        until: z.string().optional().describe('An expression `${{ ... }}`; the wait ends when it is true'),
        timeout: zDuration('Give up waiting for `until` after this long (fails with WAIT_TIMEOUT)').prefault('1h'),
      })
      .strict()
      .superRefine((v, ctx) => {
        if ((v.duration === undefined) === (v.until === undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: ['duration'],
            message: 'give exactly one of `duration` or `until`',
            params: { code: 'INPUT_MISSING' },
          });
        }
      }),
    outputs: z.strictObject({ waitedMs: z.number().optional().describe('How long a `duration` wait slept') }),
    ...ENGINE_STEP,
  }),
];
