/**
 * Lowering: where each default comes from (step, then `defaults:`, then the action), durations in
 * milliseconds, approval and forEach defaults, and expression lowering.
 */
import { compileRunbook } from '../../../compiler';
import type { Plan, PlanStep } from '../../../compiler/plan';

const HEAD =
  'apiVersion: rekindle/v1\nkind: Runbook\nmetadata: { name: t }\nparameters: { p: { type: string, default: x } }\n';

function plan(body: string): Plan {
  const r = compileRunbook({ file: 't.yaml', text: HEAD + body });
  if (!r.plan) throw new Error(JSON.stringify(r.diagnostics, null, 2));
  return r.plan;
}

function step(p: Plan, id: string): PlanStep {
  return p.steps.find((s) => s.id === id) as PlanStep;
}

describe('lowering', () => {
  const p = plan(`defaults:
  timeout: 7m
  retry: { maxAttempts: 5, initialInterval: 3s }
  onFailure: continue
steps:
  - id: plain
    uses: kafka.health
  - id: own
    uses: kafka.health
    timeout: 90s
    retry: { maxAttempts: 2, maxInterval: 10s }
    onFailure: abort
  - id: once
    uses: ssh.exec
    with: { host: h1, command: date }
  - id: once-asked
    uses: ssh.exec
    retry: { maxAttempts: 4 }
    with: { host: h1, command: date }
  - id: gate
    uses: approval
    with: { approvers: [a, b] }
  - id: fan
    uses: service.stop
    forEach: inventory.kafka.brokers
    when: params.p == 'x'
    with: { waitTimeout: 1m30s }
`);

  const cases: Array<[string, (s: PlanStep) => unknown, unknown]> = [
    [
      'runbook defaults apply',
      (s) => [step(p, 'plain').retry.maxAttempts, s.retry.initialIntervalMs, s.timeouts?.startToCloseMs, s.onFailure],
      [5, 3000, 420_000, 'continue'],
    ],
    [
      'the action fills what defaults leave open',
      (s) => [s.retry.backoffCoefficient, s.retry.maxIntervalMs, s.retry.nonRetryableErrorTypes],
      [2, 60_000, []], // built-in failures carry their own retryability
    ],
  ];
  it.each(cases)('%s', (_name, get, expected) => {
    expect(get(step(p, 'plain'))).toEqual(expected);
  });

  it('step settings override defaults field by field', () => {
    const s = step(p, 'own');
    expect([
      s.retry.maxAttempts,
      s.retry.initialIntervalMs,
      s.retry.maxIntervalMs,
      s.timeouts?.startToCloseMs,
      s.onFailure,
    ]).toEqual([2, 3000, 10_000, 90_000, 'abort']);
  });

  it('a non-idempotent action keeps one attempt unless the step asks for more', () => {
    expect(step(p, 'once').retry.maxAttempts).toBe(1);
    expect(step(p, 'once').idempotent).toBe(false);
    expect(step(p, 'once-asked').retry.maxAttempts).toBe(4);
    expect(step(p, 'once').with).toEqual({
      host: 'h1',
      command: 'date',
      args: [],
      killAfter: 5000,
      okExitCodes: [0],
      maxOutputBytes: 1_048_576,
      changed: true,
    });
  });

  it('approval gates get every policy default, and no activity timeouts (approval.timeoutMs is their deadline)', () => {
    const s = step(p, 'gate');
    expect(s.kind).toBe('approval');
    expect(s.approval).toEqual({
      approvers: ['a', 'b'],
      drillApprovers: [],
      minApprovals: 1,
      timeoutMs: 3_600_000,
      onTimeout: 'fail',
      initiatorMayApprove: true,
      requireComment: false,
      summary: '',
    });
    expect(s.timeouts).toBeUndefined();
    expect(s.retry.maxAttempts).toBe(1);
  });

  it('bare forEach and when become expressions; durations in inputs become milliseconds', () => {
    const s = step(p, 'fan');
    expect(s.forEach).toEqual({
      items: {
        $expr: { kind: 'path', root: 'inventory', segments: ['kafka', 'brokers'] },
        text: 'inventory.kafka.brokers',
      },
      maxParallel: 1,
      maxFailures: 0,
    });
    expect(s.when?.text).toBe("params.p == 'x'");
    expect(s.with).toEqual({ waitTimeout: 90_000, force: false });
  });

  it('plan-level defaults and the runbook identity', () => {
    expect([p.maxParallel, p.failFast, p.planVersion, p.runbook.name, p.runbook.source]).toEqual([
      4,
      true,
      1,
      't',
      't.yaml',
    ]);
    expect(p.runbook.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(p.parameters.p).toEqual({ type: 'string', default: 'x', required: false });
  });
});

describe('positions of expressions inside quoted and folded scalars', () => {
  const cases: Array<[string, string, number, number]> = [
    ['double-quoted with escapes before', '      summary: "a\\"b\\tc ${{ params.q }}"\n', 10, 29],
    ['single-quoted with doubled quotes', "      summary: 'it''s ${{ params.q }}'\n", 10, 27],
    ['folded, on the second line', '      summary: >-\n        first line\n        then ${{ params.q }}\n', 12, 18],
    ['second expression on a line', '      summary: ${{ params.p }} and ${{ params.q }}\n', 10, 40],
  ];
  it.each(cases)('%s', (_name, yaml, line, column) => {
    const text = `${HEAD}steps:\n  - id: g\n    uses: approval\n    with:\n      approvers: [a]\n${yaml}`;
    const d = compileRunbook({ file: 't.yaml', text }).diagnostics.find((x) => x.code === 'REF_PARAM_UNKNOWN');
    expect(d && [d.line, d.column, d.endColumn - d.column]).toEqual([line, column, 'params.q'.length]);
  });
});
