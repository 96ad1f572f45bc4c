/**
 * Decodes a workflow history through a data converter (payload codec included) into plain events the
 * report builder reads. Only the event kinds the audit needs are decoded; the others keep their type.
 */
import type { DataConverter } from '@temporalio/common';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  TimeoutFailure,
  TerminatedFailure,
} from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { tsToMs } from '@temporalio/common/lib/time';
import {
  decodeArrayFromPayloads,
  decodeMapFromPayloads,
  decodeOptionalFailureToOptionalError,
  loadDataConverter,
} from '@temporalio/common/lib/internal-non-workflow';
import type { LoadedDataConverter } from '@temporalio/common';
import { CodecError } from '../codec/errors';

/** A failure as the audit shows it: the stable type, the message, and whether Temporal may retry it. */
export interface FailureInfo {
  type: string;
  message: string;
  nonRetryable?: boolean;
  details?: unknown[];
}

interface Base {
  id: number;
  at: string;
}

export type DecodedEvent = Base &
  (
    | {
        kind: 'started';
        identity: string;
        workflowType: string;
        taskQueue: string;
        input: unknown[];
        continuedFromRunId?: string;
      }
    | { kind: 'activity-scheduled'; activityId: string; activityType: string; input: unknown[] }
    | { kind: 'activity-started'; scheduledId: number; attempt: number; identity: string; lastFailure?: FailureInfo }
    | { kind: 'activity-completed'; scheduledId: number; result: unknown }
    | { kind: 'activity-failed'; scheduledId: number; failure: FailureInfo }
    | { kind: 'activity-timed-out'; scheduledId: number; failure: FailureInfo }
    | { kind: 'activity-canceled'; scheduledId: number }
    | { kind: 'update-accepted'; updateId: string; name: string; args: unknown[]; identity: string }
    | { kind: 'update-completed'; updateId: string; result?: unknown; failure?: FailureInfo }
    | { kind: 'timer-started'; timerId: string; timeoutMs: number }
    | { kind: 'timer-fired'; timerId: string }
    | { kind: 'timer-canceled'; timerId: string }
    | { kind: 'search-attributes'; fields: Record<string, unknown> }
    | { kind: 'marker'; name: string }
    | { kind: 'cancel-requested'; identity: string; cause: string }
    | { kind: 'signaled'; name: string; args: unknown[]; identity: string }
    | { kind: 'completed'; result: unknown }
    | { kind: 'failed'; failure: FailureInfo }
    | { kind: 'canceled' }
    | { kind: 'terminated'; reason: string; identity: string }
    | { kind: 'timed-out' }
    | { kind: 'continued-as-new'; newRunId: string }
    | { kind: 'other'; type: string }
  );

/** Turns a decoded SDK error into the audit's failure record (activity failures report their cause). */
export function failureInfo(err: Error | undefined): FailureInfo {
  if (!err) return { type: 'UNKNOWN', message: '' };
  if (err instanceof ActivityFailure && err.cause) return failureInfo(err.cause);
  if (err instanceof ApplicationFailure) {
    return {
      type: err.type ?? 'ApplicationFailure',
      message: err.message,
      nonRetryable: !!err.nonRetryable,
      ...(err.details?.length ? { details: err.details as unknown[] } : {}),
    };
  }
  if (err instanceof TimeoutFailure) return { type: `TIMEOUT_${err.timeoutType ?? 'UNKNOWN'}`, message: err.message };
  if (err instanceof CancelledFailure) return { type: 'CANCELLED', message: err.message };
  if (err instanceof TerminatedFailure) return { type: 'TERMINATED', message: err.message };
  return { type: err.name || 'Error', message: err.message };
}

const num = (v: unknown): number => Number(v ?? 0);
const durationMs = (d: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  d ? num(d.seconds) * 1000 + Math.round((d.nanos ?? 0) / 1e6) : 0;

type Ev = NonNullable<History['events']>[number];
type Payloads = { payloads?: unknown[] | null } | null | undefined;

/**
 * Decodes every event of `history` with `dataConverter` (default converter when undefined).
 * @throws CodecError when a payload cannot be decrypted (wrong or missing key: CODEC_KEY_UNKNOWN, CODEC_DECRYPT_FAILED).
 */
export async function decodeHistory(history: History, dataConverter?: DataConverter): Promise<DecodedEvent[]> {
  const dc = loadDataConverter(dataConverter);
  const out: DecodedEvent[] = [];
  try {
    for (const ev of history.events ?? []) out.push(await decodeEvent(ev, dc));
  } catch (err) {
    if (err instanceof CodecError || !/binary\/encrypted/.test((err as Error).message ?? '')) throw err;
    throw new CodecError('CODEC_KEY_UNKNOWN', 'the history is encrypted and no payload codec key is configured');
  }
  return out;
}

async function decodeEvent(ev: Ev, dc: LoadedDataConverter): Promise<DecodedEvent> {
  const base: Base = { id: num(ev.eventId), at: new Date(tsToMs(ev.eventTime)).toISOString() };
  const arr = (p: Payloads) => decodeArrayFromPayloads(dc, (p?.payloads ?? []) as never);
  const fail = async (f: unknown) => failureInfo(await decodeOptionalFailureToOptionalError(dc, f as never));
  if (ev.workflowExecutionStartedEventAttributes) {
    const a = ev.workflowExecutionStartedEventAttributes;
    return {
      ...base,
      kind: 'started',
      identity: a.identity ?? '',
      workflowType: a.workflowType?.name ?? '',
      taskQueue: a.taskQueue?.name ?? '',
      input: await arr(a.input),
      ...(a.continuedExecutionRunId ? { continuedFromRunId: a.continuedExecutionRunId } : {}),
    };
  }
  if (ev.activityTaskScheduledEventAttributes) {
    const a = ev.activityTaskScheduledEventAttributes;
    return {
      ...base,
      kind: 'activity-scheduled',
      activityId: a.activityId ?? '',
      activityType: a.activityType?.name ?? '',
      input: await arr(a.input),
    };
  }
  if (ev.activityTaskStartedEventAttributes) {
    const a = ev.activityTaskStartedEventAttributes;
    return {
      ...base,
      kind: 'activity-started',
      scheduledId: num(a.scheduledEventId),
      attempt: a.attempt ?? 1,
      identity: a.identity ?? '',
      ...(a.lastFailure ? { lastFailure: await fail(a.lastFailure) } : {}),
    };
  }
  if (ev.activityTaskCompletedEventAttributes) {
    const a = ev.activityTaskCompletedEventAttributes;
    return {
      ...base,
      kind: 'activity-completed',
      scheduledId: num(a.scheduledEventId),
      result: (await arr(a.result))[0],
    };
  }
  if (ev.activityTaskFailedEventAttributes) {
    const a = ev.activityTaskFailedEventAttributes;
    return { ...base, kind: 'activity-failed', scheduledId: num(a.scheduledEventId), failure: await fail(a.failure) };
  }
  if (ev.activityTaskTimedOutEventAttributes) {
    const a = ev.activityTaskTimedOutEventAttributes;
    return {
      ...base,
      kind: 'activity-timed-out',
      scheduledId: num(a.scheduledEventId),
      failure: await fail(a.failure),
    };
  }
  if (ev.activityTaskCanceledEventAttributes) {
    return {
      ...base,
      kind: 'activity-canceled',
      scheduledId: num(ev.activityTaskCanceledEventAttributes.scheduledEventId),
    };
  }
  if (ev.workflowExecutionUpdateAcceptedEventAttributes) {
    const r = ev.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
    return {
      ...base,
      kind: 'update-accepted',
      updateId: r?.meta?.updateId ?? '',
      name: r?.input?.name ?? '',
      args: await arr(r?.input?.args),
      identity: r?.meta?.identity ?? '',
    };
  }
  if (ev.workflowExecutionUpdateCompletedEventAttributes) {
    const a = ev.workflowExecutionUpdateCompletedEventAttributes;
    const o = a.outcome;
    return {
      ...base,
      kind: 'update-completed',
      updateId: a.meta?.updateId ?? '',
      ...(o?.success ? { result: (await arr(o.success))[0] } : {}),
      ...(o?.failure ? { failure: await fail(o.failure) } : {}),
    };
  }
  if (ev.timerStartedEventAttributes) {
    const a = ev.timerStartedEventAttributes;
    return {
      ...base,
      kind: 'timer-started',
      timerId: a.timerId ?? '',
      timeoutMs: durationMs(a.startToFireTimeout as never),
    };
  }
  if (ev.timerFiredEventAttributes)
    return { ...base, kind: 'timer-fired', timerId: ev.timerFiredEventAttributes.timerId ?? '' };
  if (ev.timerCanceledEventAttributes)
    return { ...base, kind: 'timer-canceled', timerId: ev.timerCanceledEventAttributes.timerId ?? '' };
  if (ev.upsertWorkflowSearchAttributesEventAttributes) {
    const fields = ev.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {};
    // Search attributes are never payload-coded: decode them with the payload converter alone.
    const plain = { ...dc, payloadCodecs: [] };
    return { ...base, kind: 'search-attributes', fields: (await decodeMapFromPayloads(plain, fields as never)) ?? {} };
  }
  if (ev.markerRecordedEventAttributes)
    return { ...base, kind: 'marker', name: ev.markerRecordedEventAttributes.markerName ?? '' };
  if (ev.workflowExecutionCancelRequestedEventAttributes) {
    const a = ev.workflowExecutionCancelRequestedEventAttributes;
    return { ...base, kind: 'cancel-requested', identity: a.identity ?? '', cause: a.cause ?? '' };
  }
  if (ev.workflowExecutionSignaledEventAttributes) {
    const a = ev.workflowExecutionSignaledEventAttributes;
    return {
      ...base,
      kind: 'signaled',
      name: a.signalName ?? '',
      args: await arr(a.input),
      identity: a.identity ?? '',
    };
  }
  if (ev.workflowExecutionCompletedEventAttributes) {
    return { ...base, kind: 'completed', result: (await arr(ev.workflowExecutionCompletedEventAttributes.result))[0] };
  }
  if (ev.workflowExecutionFailedEventAttributes) {
    return { ...base, kind: 'failed', failure: await fail(ev.workflowExecutionFailedEventAttributes.failure) };
  }
  if (ev.workflowExecutionCanceledEventAttributes) return { ...base, kind: 'canceled' };
  if (ev.workflowExecutionTerminatedEventAttributes) {
    const a = ev.workflowExecutionTerminatedEventAttributes;
    return { ...base, kind: 'terminated', reason: a.reason ?? '', identity: a.identity ?? '' };
  }
  if (ev.workflowExecutionTimedOutEventAttributes) return { ...base, kind: 'timed-out' };
  if (ev.workflowExecutionContinuedAsNewEventAttributes) {
    return {
      ...base,
      kind: 'continued-as-new',
      newRunId: ev.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId ?? '',
    };
  }
  return { ...base, kind: 'other', type: String(ev.eventType ?? '') };
}
