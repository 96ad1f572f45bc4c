/**
 * The test-only action family `test.*`: scripted activities for rehearsal tests of the engine's
 * decisions (orquesta-style). Real activities run by a real Worker; only their effects are scripted.
 *
 *   test.ok          succeeds; outputs = inputs.outputs (or {}), plus `item` when fanned out
 *   test.sleep       heartbeats for inputs.ms, honours cancellation (records `cancel`)
 *   test.fail-times  fails its first inputs.times calls (per key+step+item), with type inputs.type
 *   test.fail        always fails with type inputs.type (nonRetryable when inputs.nonRetryable)
 *   test.fail-items  fails (non-retryable) for items listed in inputs.failItems, succeeds for the others
 *   test.record      like test.ok; exists so a journal reads naturally in rollback tests
 *
 * Every call is journaled (start/end/fail/cancel) under inputs.key, in memory and optionally in a
 * JSONL file, so tests can assert ordering, concurrency and exactly-once across worker processes.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActionRequest, ActionResult } from '../../compiler/plan';

export interface JournalEntry {
  key: string;
  stepId: string;
  item?: unknown;
  event: 'start' | 'end' | 'fail' | 'cancel';
  at: number;
  attempt: number;
  pid: number;
}

/** In-memory journal, mirrored to a JSONL file when `file` is given. */
export class Journal {
  readonly entries: JournalEntry[] = [];
  constructor(readonly file?: string) {}

  record(e: Omit<JournalEntry, 'at' | 'pid'>): void {
    const full = { ...e, at: Date.now(), pid: process.pid };
    this.entries.push(full);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(full)}\n`);
  }

  /** Entries of one test (by key), from memory or, for a file journal, from the file (all processes). */
  of(key: string): JournalEntry[] {
    const all = this.file && existsSync(this.file) ? readJournalFile(this.file) : this.entries;
    return all.filter((e) => e.key === key);
  }
}

/** Reads a JSONL journal written by any process. */
export function readJournalFile(file: string): JournalEntry[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JournalEntry);
}

/** Highest number of calls of `key` that overlapped in time (from start/end events). */
export function maxConcurrency(entries: JournalEntry[]): number {
  let cur = 0;
  let max = 0;
  for (const e of [...entries].sort((a, b) => a.at - b.at || (a.event === 'start' ? 1 : -1))) {
    if (e.event === 'start') max = Math.max(max, ++cur);
    else cur--;
  }
  return max;
}

type Activity = (req: ActionRequest) => Promise<ActionResult>;

/** The `test.*` activities, journaling into `journal`. */
export function rehearsalActivities(journal: Journal): Record<string, Activity> {
  const calls = new Map<string, number>();
  const wrap = (body: (req: ActionRequest, key: string) => Promise<ActionResult>): Activity => {
    return async (req) => {
      const key = String(req.inputs.key ?? 'default');
      const attempt = Context.current().info.attempt;
      const base = { key, stepId: req.stepId, attempt, ...(req.item !== undefined ? { item: req.item } : {}) };
      journal.record({ ...base, event: 'start' });
      try {
        const r = await body(req, key);
        journal.record({ ...base, event: 'end' });
        return r;
      } catch (err) {
        const cancelled = Context.current().cancellationSignal.aborted;
        journal.record({ ...base, event: cancelled ? 'cancel' : 'fail' });
        throw err;
      }
    };
  };
  const ok = async (req: ActionRequest): Promise<ActionResult> => ({
    changed: true,
    outputs: {
      ...((req.inputs.outputs as Record<string, unknown>) ?? {}),
      ...(req.item !== undefined ? { item: req.item } : {}),
    },
    summary: `ok ${req.stepId}`,
  });
  const failure = (req: ActionRequest, message: string) =>
    ApplicationFailure.create({
      type: String(req.inputs.type ?? 'TEST_FAIL'),
      message,
      nonRetryable: !!req.inputs.nonRetryable,
    });
  return {
    'test.ok': wrap(ok),
    'test.record': wrap(ok),
    'test.sleep': wrap(async (req) => {
      const ctx = Context.current();
      const end = Date.now() + Number(req.inputs.ms ?? 1000);
      while (Date.now() < end) {
        ctx.heartbeat();
        await ctx.sleep(Math.min(100, end - Date.now()));
      }
      return ok(req);
    }),
    'test.fail-times': wrap(async (req, key) => {
      const id = `${key}/${req.stepId}/${JSON.stringify(req.item ?? null)}`;
      const n = (calls.get(id) ?? 0) + 1;
      calls.set(id, n);
      if (n <= Number(req.inputs.times ?? 1))
        throw failure(req, `scripted failure ${n} of ${String(req.inputs.times ?? 1)}`);
      return ok(req);
    }),
    'test.fail-items': wrap(async (req) => {
      const bad = (req.inputs.failItems as unknown[]) ?? [];
      if (bad.some((b) => JSON.stringify(b) === JSON.stringify(req.item))) {
        throw ApplicationFailure.create({
          type: 'TEST_ITEM_FAIL',
          message: `item ${JSON.stringify(req.item)} fails`,
          nonRetryable: true,
        });
      }
      if (req.inputs.ms) await Context.current().sleep(Number(req.inputs.ms));
      return ok(req);
    }),
    'test.fail': wrap(async (req) => {
      throw failure(
        req,
        `scripted failure of ${req.stepId}${req.item !== undefined ? ` item ${JSON.stringify(req.item)}` : ''}`,
      );
    }),
  };
}
