/**
 * The runbook language's structure as zod schemas: the single source of truth for the document
 * shape. Types and runbooks/schema/runbook.schema.json are generated from these; each action's
 * `with:` is checked against its own schema in compiler/actions/.
 */
import { z } from 'zod';
import { zDuration } from './actions/types';
import { reportAs } from './structure';

export const API_VERSION = 'rekindle/v1';
export const KIND = 'Runbook';

/** Step ids and runbook names: lower-case words joined by hyphens (`stop-brokers`). */
export const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const id = (what: string) =>
  z.string().regex(ID_PATTERN, { message: `${what} must be lower-case words joined by hyphens, like stop-brokers` });

/** A retry policy; its range problems are RETRY_INVALID (unknown keys stay SCHEMA_UNKNOWN_KEY). */
export const RetrySchema = reportAs(
  z
    .object({
      maxAttempts: z.number().int().min(1).describe('Attempts in total, including the first (>= 1)'),
      initialInterval: zDuration('Wait before the first retry'),
      backoffCoefficient: z.number().min(1).describe('Each wait is the previous one times this (>= 1)'),
      maxInterval: zDuration('Longest wait between attempts'),
    })
    .partial()
    .strict()
    .describe('Retry policy; unset fields come from `defaults.retry`, then from the action'),
  { required: 'RETRY_INVALID', type: 'RETRY_INVALID', value: 'RETRY_INVALID' },
);

export const OnFailureSchema = z
  .enum(['pause', 'abort', 'continue'])
  .describe('pause: wait for an operator decision; abort: stop and roll back; continue: carry on');

export const ParameterSchema = z
  .object({
    type: z.enum(['string', 'number', 'boolean']).default('string'),
    description: z.string().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    enum: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .optional(),
    required: z.boolean().optional().describe('Defaults to true when there is no default'),
  })
  .strict();

export const StepSchema = z
  .object({
    id: id('a step id'),
    title: z.string().optional(),
    description: z.string().optional(),
    uses: z.string().min(1).describe('The action, e.g. service.stop'),
    with: z.record(z.string(), z.unknown()).optional().describe("The action's inputs"),
    needs: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe('Steps that must finish first'),
    forEach: z
      .union([z.string(), z.array(z.unknown())])
      .optional()
      .describe('Fan out over a list; each element is `item`'),
    maxParallel: z.number().int().min(1).optional().describe('forEach: items at a time (default 1)'),
    maxFailures: z.number().int().min(0).optional().describe('forEach: failed items tolerated (default 0)'),
    when: z.string().optional().describe('Run only when this `${{ }}` expression is true'),
    timeout: zDuration('Per attempt').optional(),
    heartbeat: zDuration('Heartbeat timeout for long actions').optional(),
    retry: RetrySchema.optional(),
    onFailure: OnFailureSchema.optional(),
    proceedIfNeedsSkipped: z.boolean().optional().describe('Run when a need was skipped (default true)'),
  })
  .strict();

/**
 * A rollback step names the main steps it undoes and runs only if one of them started; it has no `needs`
 * (rollback runs in reverse order of completion of what it undoes).
 */
export const RollbackStepSchema = StepSchema.omit({ needs: true, proceedIfNeedsSkipped: true })
  .extend({
    undoes: z
      .union([z.string(), z.array(z.string()).min(1)])
      // Required, but checked in passes/rollback.ts so a missing one gets a message that says what to write.
      .optional()
      .describe('Required: the main steps this step undoes; it runs only if one of them started'),
  })
  .strict();

export const MetadataSchema = z
  .object({
    name: id('metadata.name'),
    title: z.string().optional(),
    description: z.string().optional(),
    rto: zDuration('Recovery-time objective').optional(),
    modes: z
      .array(z.enum(['recovery', 'drill']))
      .min(1)
      .optional()
      .describe('Modes the runbook may run in (default both); `[drill]` allows `onTimeout: approve`'),
  })
  .strict();

export const DefaultsSchema = z
  .object({
    timeout: zDuration('Per attempt, for every step').optional(),
    retry: RetrySchema.optional(),
    onFailure: OnFailureSchema.optional(),
  })
  .strict();

export const RunbookSchema = z
  .object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(KIND),
    metadata: MetadataSchema,
    parameters: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), ParameterSchema).optional(),
    inventory: z
      .union([z.string(), z.record(z.string(), z.unknown())])
      .optional()
      .describe('A named inventory (inventories/NAME.yaml; `lab` is the lab), an expression, or an inline map'),
    defaults: DefaultsSchema.optional(),
    maxParallel: z.number().int().min(1).optional().describe('Steps running at once (default 4)'),
    failFast: z.boolean().optional().describe('Stop starting new steps once one has failed for good (default true)'),
    steps: z.array(StepSchema).min(1),
    rollback: z
      .array(RollbackStepSchema)
      .optional()
      .describe('Steps that undo main steps when the run ends cancelled, rejected, aborted or failed'),
  })
  .strict();

export type RunbookDoc = z.input<typeof RunbookSchema>;
export type StepDoc = z.input<typeof StepSchema>;
export type ParameterDoc = z.input<typeof ParameterSchema>;

/** A runbook as the schema parsed it: durations in ms, defaults applied. The compiler lowers from this. */
export type Runbook = z.output<typeof RunbookSchema>;
/** One parsed step. */
export type Step = z.output<typeof StepSchema>;
/** One parsed rollback step (its `undoes` become the plan step's needs). */
export type RollbackStep = z.output<typeof RollbackStepSchema>;
/** The parsed `defaults:` section. */
export type Defaults = z.output<typeof DefaultsSchema>;
/** A parsed retry policy (intervals in ms). */
export type Retry = z.output<typeof RetrySchema>;
