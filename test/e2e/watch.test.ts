/**
 * `rekindle watch` in a real pseudo-terminal (tmux): the screen redraws in place and shows step states
 * changing, the waiting gate highlighted with the exact approve command, and the run's end. Also the
 * plain-line fallback when stdout is not a TTY.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { approveUpdate } from '../../workflows/messages';
import { uniqueName } from '../support/lab';
import { startRehearsal } from '../support/rehearsal-env';
import type { Rehearsal } from '../support/rehearsal-env';
import { gate, plan, step } from '../support/rehearsal-plan';

const ROOT = join(__dirname, '..', '..');
let env: Rehearsal;
beforeAll(async () => {
  env = await startRehearsal('watch');
});
afterAll(async () => {
  await env?.close();
});

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = (session: string) => tmux('capture-pane', '-p', '-t', session);

async function until(session: string, pred: (s: string) => boolean, what: string, ms = 40_000): Promise<string> {
  const end = Date.now() + ms;
  let s = '';
  while (Date.now() < end) {
    s = screen(session);
    if (pred(s)) return s;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`screen never showed ${what}; last screen:\n${s}`);
}

const lineOf = (screenText: string, id: string) =>
  screenText.split('\n').find((l) => new RegExp(`^\\s+\\S+ ${id}\\s`).test(l)) ?? '';

function watchedPlan(key: string) {
  // The gate comes first, so the watcher is surely up before anything moves, however slow it starts.
  return plan([
    gate('approve-go', { approvers: ['alice'], summary: 'Go ahead with the restore?' }),
    step('prepare', 'test.sleep', {
      with: { key, ms: 4000 },
      needs: ['approve-go'],
      timeouts: { startToCloseMs: 30_000, heartbeatMs: 5_000 },
    }),
    step('restore', 'test.ok', { with: { key }, needs: ['prepare'] }),
  ]);
}

test('watch redraws in a pty: waiting gate with the approve command → running → succeeded', async () => {
  const key = uniqueName('watch');
  const h = await env.start(watchedPlan(key));
  const session = uniqueName('rk-watch');
  const cmd = `${join(ROOT, 'node_modules/.bin/tsx')} cli/main.ts watch ${h.workflowId} --interval 200; echo "WATCH-EXIT=$?"; sleep 120`;
  tmux(
    'new-session',
    '-d',
    '-x',
    '160',
    '-y',
    '50',
    '-s',
    session,
    '-c',
    ROOT,
    '-e',
    `REKINDLE_TEMPORAL_ADDRESS=${env.address}`,
    'sh',
    '-c',
    cmd,
  );
  try {
    const s1 = await until(session, (s) => s.includes('GATE approve-go'), 'the waiting gate');
    expect(lineOf(s1, 'approve-go')).toMatch(/approve-go\s+waiting-approval\s+#1/);
    expect(lineOf(s1, 'prepare')).toMatch(/prepare\s+pending\s+#0/);
    expect(lineOf(s1, 'restore')).toMatch(/restore\s+pending/);
    expect(s1).toContain('level 0');
    expect(s1).toContain('level 2');
    expect(s1).toMatch(/phase waiting-approval/);
    expect(s1).toContain(`npx rekindle approve ${h.workflowId} approve-go --as NAME`);
    expect(s1).toContain('Go ahead with the restore?');
    await h.executeUpdate(approveUpdate, { args: ['approve-go', 'approve', 'alice', 'go'] });
    const s2 = await until(session, (s) => /prepare\s+running/.test(s), 'prepare running');
    expect(lineOf(s2, 'approve-go')).toMatch(/approve-go\s+succeeded\s+#1/);
    expect(lineOf(s2, 'restore')).toMatch(/restore\s+pending/);
    expect(s2).not.toContain('GATE approve-go');
    const s3 = await until(session, (s) => s.includes('WATCH-EXIT='), 'watch exiting');
    expect(lineOf(s3, 'prepare')).toMatch(/prepare\s+succeeded\s+#1\s+([4-9]|\d\d)s/);
    expect(lineOf(s3, 'restore')).toMatch(/restore\s+succeeded/);
    expect(s3).toMatch(/phase succeeded/);
    expect(s3).toContain('WATCH-EXIT=0');
    // Redrawn in place: the header appears once, not once per frame.
    expect(s3.split(h.workflowId).length - 1).toBe(1);
  } finally {
    tmux('kill-session', '-t', session);
  }
}, 90_000);

test('watch prints plain change lines when stdout is not a TTY', async () => {
  const key = uniqueName('watchplain');
  const h = await env.start(watchedPlan(key));
  const child = spawn(
    join(ROOT, 'node_modules/.bin/tsx'),
    ['cli/main.ts', 'watch', h.workflowId, '--interval', '200'],
    {
      cwd: ROOT,
      env: { ...process.env, REKINDLE_TEMPORAL_ADDRESS: env.address },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  const end = Date.now() + 40_000;
  while (!stdout.includes('gate approve-go waits') && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  await h.executeUpdate(approveUpdate, { args: ['approve-go', 'approve', 'alice', 'go'] });
  expect(await exited).toBe(0);
  const lines = stdout.trim().split('\n');
  expect(stdout).not.toContain('\x1b[');
  const idx = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const order = [
    new RegExp(`gate approve-go waits for approval from alice: npx rekindle approve ${h.workflowId} approve-go`),
    / approve-go succeeded #1/,
    / prepare running #1/,
    / prepare succeeded #1/,
    / restore succeeded #1/,
  ].map(idx);
  // The phase line leads the lines of the poll in which it changed (which may also finish prepare and restore).
  expect(idx(/phase succeeded/)).toBeGreaterThan(order[2]);
  expect(order.every((i) => i >= 0)).toBe(true);
  expect({ order: [...order].sort((a, b) => a - b), lines }).toEqual({ order, lines });
}, 90_000);

test('run --watch starts a run and follows it to the end (plain lines off a TTY), exit 0 on success', async () => {
  const key = uniqueName('runwatch');
  const p = plan([
    step('one', 'test.ok', { with: { key } }),
    step('two', 'test.sleep', {
      with: { key, ms: 600 },
      needs: ['one'],
      timeouts: { startToCloseMs: 30_000, heartbeatMs: 5_000 },
    }),
  ]);
  const file = join(mkdtempSync(join(tmpdir(), 'rekindle-runwatch-')), 'plan.json');
  writeFileSync(file, JSON.stringify(p));
  const { stdout } = await promisify(execFile)(
    join(ROOT, 'node_modules/.bin/tsx'),
    ['cli/main.ts', 'run', file, '--task-queue', env.taskQueue, '--as', 'tester', '--watch'],
    {
      cwd: ROOT,
      env: { ...process.env, REKINDLE_TEMPORAL_ADDRESS: env.address },
    },
  );
  expect(stdout).toMatch(/^started rekindle-/);
  expect(stdout).toMatch(/ one succeeded #1/);
  expect(stdout).toMatch(/ two succeeded #1/);
  expect(stdout).toMatch(/phase succeeded/);
}, 90_000);

test('watch --json prints the stable status shape, one JSON line per change', async () => {
  const h = await env.start(plan([step('only', 'test.ok', { with: { key: uniqueName('watchjson') } })]));
  await h.result();
  const { stdout } = await promisify(execFile)(
    join(ROOT, 'node_modules/.bin/tsx'),
    ['cli/main.ts', 'watch', h.workflowId, '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, REKINDLE_TEMPORAL_ADDRESS: env.address },
    },
  );
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { phase: string; steps: Array<{ id: string; state: string; attempt: number }> });
  expect(lines).toHaveLength(1);
  expect(lines[0].phase).toBe('succeeded');
  expect(lines[0].steps).toEqual([expect.objectContaining({ id: 'only', state: 'succeeded', attempt: 1 })]);
}, 60_000);
