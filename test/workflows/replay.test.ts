/**
 * Determinism guard: recorded histories of real runs (approval, decision, rollback, rollback by outcome, fan-out, cancel,
 * continue-as-new) replay against the current workflow code with Worker.runReplayHistory. Run with
 * REKINDLE_RECORD_HISTORIES=1 to re-record them (only after an intended, patched() change).
 * Also checks the bundle: no forbidden module, and no yaml/zod in the workflow sandbox.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { approveUpdate, decideUpdate } from '../../workflows/messages';
import { uniqueName } from '../support/lab';
import { startRehearsal, workflowBundle } from '../support/rehearsal-env';
import type { Rehearsal } from '../support/rehearsal-env';
import { expr, gate, plan, step, tpl } from '../support/rehearsal-plan';
import { waitForStep } from '../support/rehearsal-wait';

const dir = join(__dirname, '..', 'fixtures', 'histories');
const record = process.env.REKINDLE_RECORD_HISTORIES === '1';
/** The engine's recorded shapes (other files in the folder belong to the audit's tests). */
const SHAPES = ['approval', 'decision', 'rollback', 'rollback-outcome', 'fan-out', 'cancel', 'continue-as-new'];

const recordOnly = record ? describe : describe.skip;

recordOnly('record histories', () => {
  let env: Rehearsal;
  beforeAll(async () => {
    env = await startRehearsal('record');
  });
  afterAll(async () => {
    await env?.close();
  });

  /** Saves the history in the Temporal CLI's JSON form (what `temporal workflow show --output json` prints). */
  async function save(name: string, h: WorkflowHandle): Promise<void> {
    await h.result().catch(() => undefined);
    const cli = process.env.TEMPORAL_CLI ?? join(homedir(), '.cache', 'rekindle', 'bin', 'temporal');
    const args = [
      'workflow',
      'show',
      '-w',
      h.workflowId,
      '--output',
      'json',
      '--address',
      env.address,
      '-n',
      'default',
    ];
    const json = await new Promise<string>((resolve, reject) =>
      execFile(cli, args, { maxBuffer: 64 << 20 }, (err, out) => (err ? reject(err) : resolve(out))),
    );
    writeFileSync(join(dir, `${name}.json`), json);
  }

  test('approval', async () => {
    const key = uniqueName('h-approval');
    const h = await env.start(
      plan([
        step('assess', 'test.ok', { with: { key, outputs: { summary: 'two brokers damaged' } } }),
        gate(
          'go',
          { minApprovals: 2, summary: tpl('Restore? ', ['steps.assess.outputs.summary']) },
          { needs: ['assess'] },
        ),
        step('restore', 'test.ok', { with: { key }, needs: ['go'] }),
      ]),
    );
    await waitForStep(h, 'go', 'waiting-approval');
    await h.executeUpdate(approveUpdate, { args: ['go', 'approve', 'alice', 'ok'] });
    await h.executeUpdate(approveUpdate, { args: ['go', 'approve', 'bob', 'ok too'] });
    await save('approval', h);
  });

  test('decision', async () => {
    const key = uniqueName('h-decision');
    const h = await env.start(
      plan([
        step('flaky', 'test.fail-times', { with: { key, times: 1, nonRetryable: true } }),
        step('broken', 'test.fail', { with: { key, nonRetryable: true }, needs: ['flaky'] }),
        step('after', 'test.ok', { with: { key }, needs: ['broken'], when: expr("run.mode == 'recovery'") }),
      ]),
    );
    await waitForStep(h, 'flaky', 'failed-awaiting-decision');
    await h.executeUpdate(decideUpdate, { args: ['flaky', 'retry', 'alice', ''] });
    await waitForStep(h, 'broken', 'failed-awaiting-decision');
    await h.executeUpdate(decideUpdate, { args: ['broken', 'skip', 'alice', 'by hand'] });
    await save('decision', h);
  });

  test('rollback', async () => {
    const key = uniqueName('h-rollback');
    const h = await env.start(
      plan(
        [
          step('isolate', 'test.ok', { with: { key } }),
          step('stop', 'test.ok', { with: { key }, needs: ['isolate'] }),
          step('restore', 'test.fail', { with: { key, nonRetryable: true }, needs: ['stop'] }),
        ],
        {
          rollback: [
            step('unisolate', 'test.ok', { with: { key }, needs: ['isolate'] }),
            step('start', 'test.ok', { with: { key }, needs: ['stop'] }),
          ],
        },
      ),
    );
    await waitForStep(h, 'restore', 'failed-awaiting-decision');
    await h.executeUpdate(decideUpdate, { args: ['restore', 'abort', 'carol', 'give up'] });
    await save('rollback', h);
  });

  test('rollback-outcome', async () => {
    const key = uniqueName('h-outcome');
    const h = await env.start(
      plan(
        [
          step('isolate', 'test.ok', { with: { key } }),
          gate('reopen', {}, { needs: ['isolate'] }),
          step('unisolate', 'test.ok', { with: { key }, needs: ['reopen'] }),
        ],
        {
          rollback: [
            step('undo-isolate', 'test.ok', {
              with: { key },
              needs: ['isolate'],
              outcomes: ['cancelled', 'aborted', 'failed'],
            }),
            step('notify', 'test.ok', {
              with: { key },
              needs: ['isolate'],
              when: expr("run.outcome == 'rejected'"),
              outcomes: ['rejected'],
            }),
          ],
        },
      ),
    );
    await waitForStep(h, 'reopen', 'waiting-approval');
    await h.executeUpdate(approveUpdate, { args: ['reopen', 'reject', 'bob', 'keep it cut'] });
    await save('rollback-outcome', h);
  });

  test('fan-out', async () => {
    const key = uniqueName('h-fanout');
    const h = await env.start(
      plan(
        [
          step('fan', 'test.fail-items', {
            with: { key, failItems: [3] },
            forEach: { items: [1, 2, 3, 4, 5], maxParallel: 2, maxFailures: 1 },
          }),
          step('fan2', 'test.fail-items', {
            with: { key, failItems: [1, 2] },
            forEach: { items: [1, 2, 3], maxParallel: 3, maxFailures: 0 },
            needs: ['fan'],
            onFailure: 'continue',
          }),
        ],
        { failFast: true },
      ),
    );
    await save('fan-out', h);
  });

  test('cancel', async () => {
    const key = uniqueName('h-cancel');
    const h = await env.start(
      plan(
        [
          step('a', 'test.ok', { with: { key } }),
          step('long', 'test.sleep', {
            with: { key, ms: 30_000 },
            needs: ['a'],
            timeouts: { startToCloseMs: 60_000, heartbeatMs: 2000 },
          }),
        ],
        { rollback: [step('undo-a', 'test.ok', { with: { key }, needs: ['a'] })] },
      ),
    );
    await waitForStep(h, 'long', 'running');
    await h.cancel();
    await save('cancel', h);
  });

  test('continue-as-new', async () => {
    const key = uniqueName('h-can');
    const steps = Array.from({ length: 12 }, (_, i) =>
      step(`s${i}`, 'test.ok', { with: { key }, needs: i ? [`s${i - 1}`] : [] }),
    );
    const h = await env.start(plan(steps), { continueAsNewAtHistoryLength: 30 });
    await h.result();
    // The last run of the chain: it resumed from a snapshot.
    await save('continue-as-new', env.client.workflow.getHandle(h.workflowId));
  });
});

interface ReplayResult {
  file: string;
  ok: boolean;
  errorName?: string;
  error?: string;
}

/** Replays files in a child process (see test/support/rehearsal-replay.ts for why). */
function replay(files: string[]): Promise<ReplayResult[]> {
  const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const script = join(__dirname, '..', 'support', 'rehearsal-replay.ts');
  return new Promise((resolve, reject) =>
    execFile(tsx, [script, ...files], { maxBuffer: 16 << 20, timeout: 170_000 }, (err, out, errOut) =>
      err
        ? reject(new Error(`${err.message}\n${errOut}`))
        : resolve(
            out
              .split('\n')
              .filter((l) => l.startsWith('{"file"'))
              .map((l) => JSON.parse(l) as ReplayResult),
          ),
    ),
  );
}

describe('replay', () => {
  test('the recorded shapes are all there', () => {
    expect(SHAPES.filter((s) => !existsSync(join(dir, `${s}.json`)))).toEqual([]);
  });

  test('every recorded shape replays without nondeterminism, and a mismatching history is caught', async () => {
    const tampered = join(mkdtempSync(join(tmpdir(), 'rekindle-replay-')), 'tampered.json');
    const history = JSON.parse(readFileSync(join(dir, 'approval.json'), 'utf8')) as {
      events: Array<{ activityTaskScheduledEventAttributes?: { activityType?: { name: string } } }>;
    };
    history.events.find(
      (e) => e.activityTaskScheduledEventAttributes,
    )!.activityTaskScheduledEventAttributes!.activityType!.name = 'test.something-else';
    writeFileSync(tampered, JSON.stringify(history));
    const results = await replay([...SHAPES.map((s) => join(dir, `${s}.json`)), tampered]);
    expect(results.slice(0, SHAPES.length).filter((r) => !r.ok)).toEqual([]);
    expect(results[SHAPES.length]).toMatchObject({ ok: false, errorName: 'DeterminismViolationError' });
  }, 180_000);
});

test('the workflow bundle builds (no forbidden module) and carries neither yaml nor zod', async () => {
  const { code } = await workflowBundle();
  expect(code.length).toBeGreaterThan(1000);
  expect(code).not.toMatch(/node_modules\/(yaml|zod)\//);
  expect(code).toContain('compiler/expr');
});
