/**
 * The watch view's pure rendering (no lab needed, but kept beside the pty test): levels, states,
 * elapsed time, the gate and decision commands, and change lines. Table-driven where it can be.
 */
import { byLevel, dagLevels } from '../../audit/levels';
import { outputTail, redact, REDACTED } from '../../audit/redact';
import { changeLines, elapsed, renderFrame } from '../../cli/watch/render';
import type { GateStatus, RunStatus, StepStatus } from '../../workflows/types';

const t0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (s: number) => new Date(t0 + s * 1000).toISOString();

function rec(id: string, state: StepStatus['state'], over: Partial<StepStatus> = {}): StepStatus {
  return {
    id,
    action: 'test.ok',
    kind: 'action',
    state,
    attempt: state === 'pending' ? 0 : 1,
    startedAt: null,
    endedAt: null,
    outputs: null,
    changed: null,
    summary: null,
    error: null,
    source: { file: 'x.yaml', line: 1, column: 1 },
    ...over,
  };
}

const gate: GateStatus = {
  id: 'approve-restore',
  state: 'waiting',
  approvers: ['alice', 'bob'],
  minApprovals: 2,
  requireComment: true,
  initiatorMayApprove: false,
  onTimeout: 'fail',
  evidence: 'Restore bs-1\n3 brokers',
  openedAt: iso(5),
  deadline: iso(3600),
  round: 1,
  approvals: [{ by: 'alice', decision: 'approve', comment: 'ok', at: iso(6), round: 1 }],
};

function status(steps: StepStatus[], over: Partial<RunStatus> = {}): RunStatus {
  return {
    workflowId: 'rekindle-c1',
    runbook: { name: 'rb', title: 'Recover', sha256: 'x', source: 'rb.yaml' },
    cluster: 'c1',
    mode: 'recovery',
    dryRun: false,
    initiator: 'dave',
    phase: 'running',
    paused: false,
    startedAt: iso(0),
    endedAt: null,
    steps,
    rollback: [],
    gates: [],
    pendingGates: [],
    decisions: [],
    operatorLog: [],
    refusals: [],
    abortReason: null,
    continuedAsNew: 0,
    ...over,
  };
}

test.each([
  [0, '0ms'],
  [850, '850ms'],
  [12_000, '12s'],
  [65_000, '1m05s'],
  [3_725_000, '1h02m'],
  [-1, ''],
])('elapsed(%p) = %p', (ms, text) => expect(elapsed(ms)).toBe(text));

test('levels: a step sits one level below its deepest need', () => {
  const steps = [
    { id: 'a', needs: [] },
    { id: 'b', needs: ['a'] },
    { id: 'c', needs: [] },
    { id: 'd', needs: ['b', 'c'] },
  ];
  expect(Object.fromEntries(dagLevels(steps))).toEqual({ a: 0, b: 1, c: 0, d: 2 });
  expect(byLevel(steps)).toEqual([['a', 'c'], ['b'], ['d']]);
});

test('frame: levels, state, attempt, elapsed, message, and the gate and decide commands', () => {
  const s = status(
    [
      rec('assess', 'succeeded', { startedAt: iso(0), endedAt: iso(3), summary: '3 brokers' }),
      rec('approve-restore', 'waiting-approval', { kind: 'approval', startedAt: iso(5) }),
      rec('restore', 'failed-awaiting-decision', {
        startedAt: iso(4),
        endedAt: iso(9),
        error: { type: 'ZK_NO_NODE', message: 'gone', at: iso(9) },
      }),
    ],
    { phase: 'waiting-decision', gates: [gate], pendingGates: [gate] },
  );
  const lines = renderFrame(s, [['assess'], ['approve-restore', 'restore']], {
    color: false,
    width: 160,
    now: t0 + 65_000,
  });
  const text = lines.join('\n');
  expect(lines[1]).toBe('phase waiting-decision  elapsed 1m05s');
  expect(text).toMatch(/level 0\n {2}✔ assess\s+succeeded\s+#1\s+3s {2}3 brokers/);
  expect(text).toMatch(/\? approve-restore\s+waiting-approval\s+#1\s+1m00s/);
  expect(text).toMatch(/! restore\s+failed-awaiting-decision\s+#1\s+5s {2}ZK_NO_NODE: gone/);
  expect(text).toContain('GATE approve-restore waits for 1 more approval(s) from alice, bob');
  expect(text).toContain('  | Restore bs-1\n  | 3 brokers');
  expect(text).toContain('npx rekindle approve rekindle-c1 approve-restore --as NAME --comment "WHY"');
  expect(text).toContain('npx rekindle decide rekindle-c1 restore retry|skip|abort --as NAME');
  expect(text).not.toContain('\x1b[');
  expect(renderFrame(s, null, { color: true, width: 160, now: t0 }).join('\n')).toContain('\x1b[');
});

test('frame: long messages are cut to the terminal width', () => {
  const s = status([rec('x', 'running', { startedAt: iso(0), summary: 'y'.repeat(500) })]);
  for (const l of renderFrame(s, null, { color: false, width: 100, now: t0 }))
    expect(l.length).toBeLessThanOrEqual(100);
});

test('change lines: only what changed, with the approve command when a gate opens', () => {
  const before = status([rec('a', 'running', { startedAt: iso(0) }), rec('g', 'pending')]);
  const after = status(
    [
      rec('a', 'succeeded', { startedAt: iso(0), endedAt: iso(2), summary: 'done' }),
      rec('g', 'waiting-approval', { startedAt: iso(2) }),
    ],
    {
      phase: 'waiting-approval',
      gates: [{ ...gate, id: 'g' }],
      pendingGates: [{ ...gate, id: 'g' }],
    },
  );
  const lines = changeLines(before, after, { width: 200, now: t0 + 2000 });
  expect(lines).toEqual([
    '00:00:02 rekindle-c1 phase waiting-approval',
    '00:00:02 a succeeded #1 2s done',
    '00:00:02 g waiting-approval #1 0ms',
    '00:00:02 gate g waits for approval from alice, bob: npx rekindle approve rekindle-c1 g --as NAME --comment "WHY"',
  ]);
  expect(changeLines(after, after, { width: 200, now: t0 + 3000 })).toEqual([]);
});

test.each([
  [
    { password: 'p', user: 'u' },
    { password: REDACTED, user: 'u' },
  ],
  [{ nested: { apiKey: 'k', token: 't', tokens: 3 } }, { nested: { apiKey: REDACTED, token: REDACTED, tokens: 3 } }],
  [
    { identityFile: '/keys/id', privateKey: 'BEGIN' },
    { identityFile: '/keys/id', privateKey: REDACTED },
  ],
  [[{ secret: 's' }], [{ secret: REDACTED }]],
])('redact(%j)', (input, expected) => expect(redact(input)).toEqual(expected));

test('output tail: the last lines of stdout and stderr', () => {
  const stdout = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
  const tail = outputTail({ stdout, stderr: 'warn\n' }, 3)!;
  expect(tail.split('\n')).toEqual(['[stdout]', 'line 27', 'line 28', 'line 29', '[stderr]', 'warn']);
  expect(outputTail({ exitCode: 0 })).toBeUndefined();
});
