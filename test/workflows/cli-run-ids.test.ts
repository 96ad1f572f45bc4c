/**
 * Any past run by its id, from the command line, against the lab's Temporal: two runs on one cluster share
 * the workflow id rekindle-<cluster>, so the earlier one (a backup before a later run) is reachable only by
 * WORKFLOW_ID/RUN_ID or by its bare run id. Each RUN form is checked on status, audit and history, and list's
 * filters and pages are checked on the same runs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueName } from '../support/lab';
import { startRehearsal } from '../support/rehearsal-env';
import { rehearsalCli } from '../support/rehearsal-cli';
import type { Rehearsal } from '../support/rehearsal-env';
import { plan, step } from '../support/rehearsal-plan';

let env: Rehearsal;
let dir: string;
beforeAll(async () => {
  env = await startRehearsal('cli-ids');
  dir = mkdtempSync(join(tmpdir(), 'rekindle-cli-ids-'));
});
afterAll(async () => {
  await env?.close();
});

const cli = rehearsalCli(() => env);

interface Started {
  runId: string;
  workflowId: string;
}

/** Starts `p` with the CLI and waits until it has ended. */
async function runToEnd(p: ReturnType<typeof plan>, name: string): Promise<Started> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(p));
  const r = await cli('run', file, '--json', '--as', 'carol');
  expect(r.err).toBe('');
  const started = JSON.parse(r.out) as Started;
  await env.client.workflow.getHandle(started.workflowId, started.runId).result();
  return started;
}

const cluster = uniqueName('ids');
let backup: Started;
let later: Started;

beforeAll(async () => {
  const inventory = { cluster };
  backup = await runToEnd(
    plan([step('take-backup', 'test.ok', { with: { key: uniqueName('b') } })], {
      inventory,
      runbook: { name: 'kafka-backup', title: 'Backup', sha256: 'b'.repeat(64), source: 'kafka-backup.yaml' },
    }),
    'backup',
  );
  later = await runToEnd(
    plan([step('restore-things', 'test.ok', { with: { key: uniqueName('r') } })], { inventory }),
    'later',
  );
  expect(later.workflowId).toBe(backup.workflowId);
  expect(later.runId).not.toBe(backup.runId);
});

test('audit of the backup run by its bare run id, after a later run on the same cluster', async () => {
  const r = await cli('audit', backup.runId, '--json');
  expect(r.err).toBe('');
  const report = JSON.parse(r.out) as { runId: string; runbook: { name: string }; steps: Array<{ id: string }> };
  expect(report.runbook.name).toBe('kafka-backup');
  expect(report.runId).toBe(backup.runId);
  expect(report.steps.map((s) => s.id)).toEqual(['take-backup']);
  // The cluster name still means the latest run.
  const latest = JSON.parse((await cli('audit', cluster, '--json')).out) as { runbook: { name: string } };
  expect(latest.runbook.name).toBe('rehearsal');
});

test.each([
  ['a bare run id', () => backup.runId, ['take-backup']],
  ['WORKFLOW_ID/RUN_ID', () => `${backup.workflowId}/${backup.runId}`, ['take-backup']],
  ['CLUSTER/RUN_ID', () => `${cluster}/${backup.runId}`, ['take-backup']],
  ['a workflow id (its latest run)', () => backup.workflowId, ['restore-things']],
  ['a cluster name (its latest run)', () => cluster, ['restore-things']],
])('status with %s', async (_form, ref, steps) => {
  const r = await cli('status', ref(), '--json');
  expect(r.err).toBe('');
  const s = JSON.parse(r.out) as { phase: string; steps: Array<{ id: string }> };
  expect(s.phase).toBe('succeeded');
  expect(s.steps.map((x) => x.id)).toEqual(steps);
});

test.each([
  ['WORKFLOW_ID/RUN_ID', () => `${backup.workflowId}/${backup.runId}`, () => backup.runId, 'take-backup'],
  ['a bare run id', () => backup.runId, () => backup.runId, 'take-backup'],
  ['a cluster name', () => cluster, () => later.runId, 'restore-things'],
])('history with %s exports that run', async (_form, ref, runId, stepId) => {
  const out = join(dir, `${uniqueName('h')}.json`);
  const r = await cli('history', ref(), '--out', out, '--json');
  expect(r.err).toBe('');
  expect(JSON.parse(r.out)).toMatchObject({ workflowId: backup.workflowId, runId: runId() });
  // The exported file is that run's history: its audit names that run's step.
  const audited = JSON.parse((await cli('audit', 'exported', '--history', out, '--json')).out) as {
    steps: Array<{ id: string }>;
  };
  expect(audited.steps.map((x) => x.id)).toEqual([stepId]);
});

test.each([
  ['an unknown run id', '00000000-0000-4000-8000-000000000000'],
  ['an unknown run of a known workflow', () => `${backup.workflowId}/00000000-0000-4000-8000-000000000000`],
  ['a run id under another workflow id', () => `rekindle-no-such-${cluster}/${backup.runId}`],
])('%s is refused as not found (exit 4)', async (_what, ref) => {
  const id = typeof ref === 'string' ? ref : ref();
  const r = await cli('audit', id);
  expect(r.code).toBe(4);
  expect(r.err).toContain(`no run '${id}' was found`);
});

test('list filters by cluster, runbook, mode, status and time, and pages', async () => {
  const rows = async (...args: string[]) => {
    const r = await cli('list', '--cluster', cluster, '--json', ...args);
    return { ids: (JSON.parse(r.out) as Array<{ runId: string }>).map((x) => x.runId), err: r.err };
  };
  expect((await rows()).ids).toEqual([later.runId, backup.runId]);
  expect((await rows('--runbook', 'kafka-backup')).ids).toEqual([backup.runId]);
  expect((await rows('--mode', 'recovery', '--status', 'completed')).ids).toEqual([later.runId, backup.runId]);
  expect((await rows('--mode', 'drill')).ids).toEqual([]);
  expect((await rows('--status', 'running')).ids).toEqual([]);
  expect((await rows('--since', '1h')).ids).toHaveLength(2);
  expect((await rows('--until', '2000-01-01T00:00:00Z')).ids).toEqual([]);

  const first = await rows('--limit', '1');
  expect(first.ids).toEqual([later.runId]);
  const token = /--page (\S+)/.exec(first.err)?.[1];
  expect(token).toBeDefined();
  const second = await rows('--limit', '1', '--page', String(token));
  expect(second.ids).toEqual([backup.runId]);
});

test.each([
  [['list', '--status', 'done'], /--status must be one of running, completed/],
  [['list', '--since', 'yesterday'], /--since takes an ISO time .* not 'yesterday'/],
  [['list', '--limit', '0'], /--limit must be an integer from 1 to 1000/],
])('list refuses %j with exit 2', async (args, message) => {
  const r = await cli(...args);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(message);
});
