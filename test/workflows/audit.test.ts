/**
 * The audit against a real run on the lab's Temporal: the Markdown and JSON reports of a run with two
 * approvals, one failed-then-retried step and one rollback carry each fact, field by field; `--verify`
 * passes on the clean history and fails on tampered ones; the CLI prints the same report.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { auditHistory, auditRun, renderMarkdown, verifyHistory, readHistoryFile } from '../../audit';
import { gate, plan, step } from '../support/rehearsal-plan';
import type { AuditReport } from '../../audit';
import { fetchRunHistory, historyJson } from '../../audit/history';
import type { History } from '../../audit/history';
import { startRehearsal, workflowBundle } from '../support/rehearsal-env';
import type { Rehearsal } from '../support/rehearsal-env';
import { runScenario } from './audit-scenario';
import type { Scenario } from './audit-scenario';
import { removeEvent, renameActivity } from './audit-tamper';

const FIXTURES = join(__dirname, '..', 'fixtures', 'histories');
let env: Rehearsal;
let sc: Scenario;
let history: History;
let report: AuditReport;

beforeAll(async () => {
  env = await startRehearsal('audit');
  sc = await runScenario(env);
  const fetched = await fetchRunHistory(env.client, sc.handle.workflowId);
  history = fetched.history;
  report = await auditHistory(
    history,
    { workflowId: sc.handle.workflowId, runId: fetched.runId },
    { verify: { workflowBundle: await workflowBundle() } },
  );
  if (process.env.REKINDLE_RECORD_TAMPERED) {
    // Re-records the committed tampered fixtures from this run (run once, then commit them).
    writeFileSync(
      join(FIXTURES, 'tampered-activity-type.json'),
      historyJson(renameActivity(history, 'test.record', 'test.ok')),
    );
    writeFileSync(
      join(FIXTURES, 'tampered-event-removed.json'),
      historyJson(removeEvent(history, 'activityTaskScheduledEventAttributes', 2)),
    );
  }
}, 120_000);
afterAll(async () => {
  await env?.close();
});

test('json: runbook, params, who started it and when, outcome', () => {
  expect(report.runbook).toEqual({
    name: 'audit-scenario',
    title: 'Audit scenario',
    sha256: 'a'.repeat(64),
    source: 'runbooks/audit-scenario.yaml',
  });
  expect(report.params).toEqual(sc.params);
  expect(report.startedBy).toMatch(/\S+/);
  expect(report.options.initiator).toBe('dave');
  expect(Date.parse(report.startedAt)).toBeLessThanOrEqual(Date.parse(report.endedAt!));
  expect(report.outcome.status).toBe('aborted');
  expect(report.outcome.error?.type).toBe('RUN_ABORTED');
  expect(report.plan.steps.map((s) => s.id)).toEqual([
    'assess',
    'approve-isolate',
    'isolate',
    'restore',
    'approve-reintroduce',
    'final-check',
  ]);
});

test('json: every step with every attempt, inputs as rendered, outputs and errors with their types', () => {
  const by = Object.fromEntries(report.steps.map((s) => [s.id, s]));
  expect(by.assess.attempts).toHaveLength(1);
  expect(by.assess.attempts[0].inputs).toMatchObject({ key: sc.key });
  expect(by.assess.attempts[0].result?.outputs.summary).toBe(`3 brokers, 2 damaged ${sc.key}`);
  expect(by.assess.attempts[0].outputTail).toContain(`scope ${sc.key}`);
  const restore = by.restore.attempts;
  expect(restore.map((a) => a.attempt)).toEqual([1, 2]);
  expect(restore[0].error).toMatchObject({ type: 'ZK_NO_NODE', nonRetryable: true });
  expect(restore[0].result).toBeNull();
  expect(restore[1].error).toBeNull();
  expect(restore[1].result?.changed).toBe(true);
  for (const a of restore) expect(Date.parse(a.endedAt!)).toBeGreaterThanOrEqual(Date.parse(a.startedAt!));
  expect(Date.parse(restore[1].startedAt!)).toBeGreaterThanOrEqual(Date.parse(restore[0].endedAt!));
  expect(by['final-check'].attempts[0].error?.type).toBe('KAFKA_UNHEALTHY');
  expect(by['final-check'].state).toBe('failed');
  expect(by.isolate.state).toBe('rolled-back');
  expect(by['approve-isolate'].attempts[0].evidence).toBe(
    `Isolate for ${sc.params.backupSet}: 3 brokers, 2 damaged ${sc.key}`,
  );
});

test('json: approvals, decisions and rollback, with who, when and the evidence shown', () => {
  expect(report.approvals).toEqual([
    expect.objectContaining({
      gate: 'approve-isolate',
      by: 'alice',
      decision: 'approve',
      comment: sc.comments.first,
      evidence: `Isolate for ${sc.params.backupSet}: 3 brokers, 2 damaged ${sc.key}`,
    }),
    expect.objectContaining({
      gate: 'approve-reintroduce',
      by: 'bob',
      decision: 'approve',
      comment: sc.comments.second,
      evidence: `Reintroduce after restore of ${sc.params.backupSet}`,
    }),
  ]);
  for (const a of report.approvals) expect(Date.parse(a.at)).toBeGreaterThan(Date.parse(report.startedAt));
  expect(report.decisions).toEqual([
    expect.objectContaining({ step: 'restore', decision: 'retry', by: 'carol', comment: sc.comments.retry }),
  ]);
  expect(report.rollback.map((r) => [r.id, r.state])).toEqual([['unisolate', 'succeeded']]);
  expect(report.rollback[0].attempts[0].inputs).toMatchObject({ host: 'kafka-1' });
  expect(report.phases.map((p) => p.phase)).toEqual(
    expect.arrayContaining(['waiting-approval', 'waiting-decision', 'rolling-back', 'aborted']),
  );
  const texts = report.timeline.map((t) => t.text).join('\n');
  expect(texts).toContain('approve-isolate: approve by alice');
  expect(texts).toContain('restore: retry decided by carol');
  expect(texts).toContain('unisolate');
  expect([...report.timeline].map((t) => t.at)).toEqual([...report.timeline.map((t) => t.at)].sort());
});

test('markdown carries each fact', () => {
  const md = renderMarkdown(report);
  for (const fact of [
    `# Audit of run ${sc.handle.workflowId}`,
    '| runbook SHA-256 | `' + 'a'.repeat(64) + '` |',
    '| runbook source | `runbooks/audit-scenario.yaml` |',
    `| started by | \`${report.startedBy}\` (initiator \`dave\`) |`,
    `| started at | ${report.startedAt} |`,
    '| outcome | **aborted** — `RUN_ABORTED`',
    `| backupSet | \`"${sc.params.backupSet}"\` |`,
    `| ticket | \`"${sc.params.ticket}"\` |`,
    '### restore — succeeded',
    '- **attempt 1**:',
    '- **attempt 2**:',
    '  - error: `ZK_NO_NODE` ',
    '### final-check — failed',
    '### isolate — rolled-back',
    `| approve-isolate | alice | approve | ${sc.comments.first} | ${report.approvals[0].at} |`,
    `| approve-reintroduce | bob | approve | ${sc.comments.second} | ${report.approvals[1].at} |`,
    `| restore | retry | carol | ${sc.comments.retry} | ${report.decisions[0].at} |`,
    '### unisolate — succeeded',
    `Isolate for ${sc.params.backupSet}: 3 brokers, 2 damaged ${sc.key}`,
    `scope ${sc.key}`,
    '## Timeline',
  ]) {
    expect(md).toContain(fact);
  }
});

test('--verify: the clean history replays, with its SHA-256', () => {
  expect(report.verify).toEqual({ replayed: true, historySha256: report.history.sha256 });
  expect(report.verify?.historySha256).toMatch(/^[0-9a-f]{64}$/);
});

test.each([
  ['an activity type swapped', (h: History) => renameActivity(h, 'test.record', 'test.ok')],
  ['an activity scheduled event removed', (h: History) => removeEvent(h, 'activityTaskScheduledEventAttributes', 2)],
])('--verify fails on a history with %s', async (_name, tamper) => {
  const v = await verifyHistory(tamper(history), {
    workflowBundle: await workflowBundle(),
    workflowId: sc.handle.workflowId,
  });
  expect(v.replayed).toBe(false);
  expect(v.error?.type).toMatch(/DeterminismViolation|Replay|Error/);
  expect(v.historySha256).not.toBe(report.history.sha256);
});

test('--verify fails on the recorded tampered fixtures', async () => {
  const files = existsSync(FIXTURES)
    ? readdirSync(FIXTURES).filter((f) => f.startsWith('tampered') && f.endsWith('.json'))
    : [];
  expect(files.length).toBeGreaterThanOrEqual(2);
  for (const f of files) {
    const v = await verifyHistory(readHistoryFile(join(FIXTURES, f)), { workflowBundle: await workflowBundle() });
    expect({ f, replayed: v.replayed }).toEqual({ f, replayed: false });
  }
});

test('the CLI prints the same report (json) and exits 0 with --verify', async () => {
  const run = promisify(execFile);
  const { stdout } = await run(
    'node_modules/.bin/tsx',
    ['cli/main.ts', 'audit', sc.handle.workflowId, '--json', '--verify'],
    {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, REKINDLE_TEMPORAL_ADDRESS: env.address },
      maxBuffer: 20 * 1024 * 1024,
    },
  );
  const cli = JSON.parse(stdout) as AuditReport;
  expect(cli.approvals.map((a) => [a.gate, a.by, a.comment])).toEqual(
    report.approvals.map((a) => [a.gate, a.by, a.comment]),
  );
  expect(cli.steps.find((s) => s.id === 'restore')?.attempts).toHaveLength(2);
  expect(cli.verify).toEqual({ replayed: true, historySha256: report.history.sha256 });
}, 120_000);

test('the CLI says "run not found" in one sentence, without a stack trace', async () => {
  const run = promisify(execFile);
  const err = (await run('node_modules/.bin/tsx', ['cli/main.ts', 'audit', 'rekindle-no-such-run-xyz'], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, REKINDLE_TEMPORAL_ADDRESS: env.address },
  }).catch((e: unknown) => e)) as { code: number; stderr: string };
  expect(err.code).toBe(4);
  expect(err.stderr.trim()).toBe(
    "rekindle audit: no run 'rekindle-no-such-run-xyz' was found; list runs with 'rekindle list'",
  );
});

test('history exports the raw history; its file SHA-256 is the one audit --verify reports, and audit reads it back', async () => {
  const run = promisify(execFile);
  const out = join(mkdtempSync(join(tmpdir(), 'rekindle-history-')), 'run.json');
  const opts = {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, REKINDLE_TEMPORAL_ADDRESS: env.address },
    maxBuffer: 20 * 1024 * 1024,
  };
  const { stdout } = await run(
    'node_modules/.bin/tsx',
    ['cli/main.ts', 'history', sc.handle.workflowId, '--out', out, '--json'],
    opts,
  );
  const summary = JSON.parse(stdout) as { sha256: string; events: number; runId: string };
  expect(summary.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
  expect(summary.sha256).toBe(report.history.sha256);
  expect(summary.events).toBe(report.history.events);
  const fromFile = await auditHistory(
    readHistoryFile(out),
    { workflowId: sc.handle.workflowId, runId: summary.runId },
    { verify: { workflowBundle: await workflowBundle() } },
  );
  expect(fromFile.verify).toEqual({ replayed: true, historySha256: summary.sha256 });
  expect(fromFile.approvals).toEqual(report.approvals);
  expect(fromFile.steps).toEqual(report.steps);
}, 120_000);

test('the CLI says Temporal is unreachable in one sentence with the fix', async () => {
  const run = promisify(execFile);
  const err = (await run('node_modules/.bin/tsx', ['cli/main.ts', 'audit', 'anything'], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, REKINDLE_TEMPORAL_ADDRESS: '127.0.0.1:1' },
  }).catch((e: unknown) => e)) as { code: number; stderr: string };
  expect(err.code).toBe(6);
  expect(err.stderr.trim().split('\n')).toHaveLength(1);
  expect(err.stderr).toMatch(
    /^rekindle audit: cannot reach Temporal at 127\.0\.0\.1:1 .*; start it \(npm run lab -- up\) or set REKINDLE_TEMPORAL_ADDRESS/,
  );
  expect(err.stderr).not.toMatch(/\n\s+at /);
}, 60_000);

test('audit --verify of a tampered exported history exits 7 and says it does not replay', async () => {
  const run = promisify(execFile);
  const file = join(FIXTURES, 'tampered-activity-type.json');
  const err = (await run(
    'node_modules/.bin/tsx',
    ['cli/main.ts', 'audit', 'archived-run', '--history', file, '--verify', '--json'],
    {
      cwd: join(__dirname, '..', '..'),
      env: process.env,
      maxBuffer: 20 * 1024 * 1024,
    },
  ).catch((e: unknown) => e)) as { code: number; stdout: string; stderr: string };
  expect(err.code).toBe(7);
  const r = JSON.parse(err.stdout) as AuditReport;
  expect(r.verify?.replayed).toBe(false);
  expect(r.verify?.error?.message).toMatch(/[Nn]ondeterminism|does not match/);
  expect(err.stderr).toContain('does NOT replay against the current workflow code');
}, 120_000);

test('a drill run with auto-approval: the policy verdict is in the approvals, marked as policy', async () => {
  const p = plan([
    step('a', 'test.ok'),
    gate('g', { approvers: ['alice'] }, { needs: ['a'] }),
    step('b', 'test.ok', { needs: ['g'] }),
  ]);
  const h = await env.start(p, { mode: 'drill', autoApprove: true });
  await h.result();
  const r = await auditRun(env.client, h.workflowId);
  expect(r.outcome.status).toBe('succeeded');
  expect(r.options).toMatchObject({ mode: 'drill', autoApprove: true });
  expect(r.approvals).toEqual([
    expect.objectContaining({ gate: 'g', by: 'policy:drill-auto-approve', decision: 'approve', policy: true }),
  ]);
  expect(r.steps.map((s) => [s.id, s.state])).toEqual([
    ['a', 'succeeded'],
    ['g', 'succeeded'],
    ['b', 'succeeded'],
  ]);
});

test('a run that continued as new: the audit follows the chain and sees every step, and verify replays each run', async () => {
  const ids = ['s1', 's2', 's3', 's4', 's5', 's6'];
  const p = plan(
    ids.map((id, i) => step(id, 'test.ok', { needs: i ? [ids[i - 1]] : [], with: { outputs: { n: i } } })),
  );
  const h = await env.start(p, { continueAsNewAtHistoryLength: 20 });
  await h.result();
  const r = await auditRun(env.client, h.workflowId, { verify: { workflowBundle: await workflowBundle() } });
  expect(r.history.runs!.length).toBeGreaterThan(1);
  expect(r.history.events).toBe(r.history.runs!.reduce((n, x) => n + x.events, 0));
  expect(r.outcome.status).toBe('succeeded');
  expect(r.steps.map((s) => [s.id, s.state, s.attempts.length, s.attempts[0]?.result?.outputs.n])).toEqual(
    ids.map((id, i) => [id, 'succeeded', 1, i]),
  );
  expect(r.verify?.replayed).toBe(true);
}, 120_000);
