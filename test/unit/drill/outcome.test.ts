/**
 * How a drill's outcome is classified and compared with the scenario's expectation (the exit code
 * follows it), and the structural checks: no full restore, fallback selection, expected findings.
 */
import { outcomeOf, scenarioCheckFailures } from '../../../drill/outcome';
import type { Stuck } from '../../../drill/deadline';
import type { Expected } from '../../../drill/report';
import type { RunStatus, StepStatus } from '../../../workflows/types';

const step = (id: string, action: string, over: Partial<StepStatus> = {}): StepStatus => ({
  id,
  action,
  kind: 'action',
  state: 'succeeded',
  attempt: 1,
  startedAt: null,
  endedAt: null,
  outputs: null,
  changed: null,
  summary: null,
  error: null,
  source: { file: 'r.yaml', line: 1, column: 1 },
  ...over,
});
const run = (phase: RunStatus['phase'], steps: StepStatus[], evidence: string[] = []): RunStatus =>
  ({
    phase,
    steps,
    rollback: [],
    gates: evidence.map((e, i) => ({ id: `g${i}`, evidence: e })),
  }) as unknown as RunStatus;
const recovered: Expected = { outcome: 'recovered', findings: [], checks: [] };
const refused: Expected = {
  outcome: 'refused',
  refusedAt: { step: 'select-backup', error: 'BACKUP_CORRUPT' },
  findings: [],
  checks: [],
};
const corrupt = step('select-backup', 'backup.select', {
  state: 'failed-awaiting-decision',
  error: { type: 'BACKUP_CORRUPT', message: 'x.tar has SHA…', at: '2026-01-01T00:00:01Z' },
});
const stuck: Stuck = {
  kind: 'decision',
  step: 'select-backup',
  error: 'BACKUP_CORRUPT: …',
  question: 'rekindle decide …',
  waitedMs: 30_000,
  at: '',
};

describe('outcomeOf', () => {
  it.each([
    ['a clean run, recovery expected', recovered, run('succeeded', [step('a', 'x')]), null, [], 'recovered', true],
    [
      'a clean run with a failed check',
      recovered,
      run('succeeded', [step('a', 'x')]),
      null,
      ['counts differ'],
      'failed',
      false,
    ],
    [
      'refused at the expected step and error',
      refused,
      run('cancelled', [corrupt]),
      stuck,
      ['ended cancelled'],
      'refused',
      true,
    ],
    [
      'refused with another error',
      refused,
      run('cancelled', [{ ...corrupt, error: { ...corrupt.error!, type: 'BACKUP_NOT_FOUND' } }]),
      stuck,
      ['x'],
      'stuck',
      false,
    ],
    ['refused, but recovery was expected', recovered, run('cancelled', [corrupt]), stuck, ['x'], 'stuck', false],
    [
      'recovered, but a refusal was expected',
      refused,
      run('succeeded', [step('select-backup', 'backup.select')]),
      null,
      [],
      'recovered',
      false,
    ],
    [
      'aborted without a deadline',
      recovered,
      run('aborted', [
        step('p', 'kafka.preflight', {
          state: 'failed',
          error: { type: 'KAFKA_CLUSTER_ID_MISMATCH', message: 'm', at: 't' },
        }),
      ]),
      null,
      ['x'],
      'failed',
      false,
    ],
  ] as const)('%s', (_l, expected, status, st, failures, outcome, matches) => {
    expect(outcomeOf(expected, status, st, [...failures])).toMatchObject({ outcome, matches });
  });
});

describe('scenarioCheckFailures', () => {
  const newest = '20260101T1100-b';
  it.each([
    [
      'no-full-restore: one broker touched',
      ['no-full-restore'],
      run('succeeded', [step('stop', 'service.stop'), step('r', 'backup.restore-logs')]),
      [],
    ],
    [
      'no-full-restore: ZooKeeper restored',
      ['no-full-restore'],
      run('succeeded', [step('rz', 'zookeeper.restore')]),
      [/the whole cluster was restored \(rz\)/],
    ],
    [
      'no-full-restore: three brokers stopped',
      ['no-full-restore'],
      run('succeeded', [step('stop', 'service.stop', { items: { total: 3, succeeded: 3, failed: 0, running: 0 } })]),
      [/acted on 3 brokers/],
    ],
    [
      'fallback-selected: refused and said so',
      ['fallback-selected'],
      run(
        'succeeded',
        [step('s', 'backup.select', { outputs: { backupSet: 'a', refused: [{ backupSet: newest, reason: 'r' }] } })],
        ['Selection: REFUSED newer set'],
      ),
      [],
    ],
    [
      'fallback-selected: chose the damaged set, no gate said so',
      ['fallback-selected'],
      run('succeeded', [step('s', 'backup.select', { outputs: { backupSet: newest, refused: [] } })]),
      [/did not refuse/, /chose the damaged newest set/, /no gate told the approver/],
    ],
  ] as const)('%s', (_l, checks, status, problems) => {
    const failures = scenarioCheckFailures({ outcome: 'recovered', findings: [], checks: [...checks] }, status, newest);
    expect(failures).toHaveLength(problems.length);
    problems.forEach((p, i) => expect(failures[i]).toMatch(p));
  });

  it('requires the expected findings of the scope assessment', () => {
    const status = run('succeeded', [
      step('assess', 'kafka.snapshot-state', {
        outputs: { findings: [{ kind: 'some-brokers-unreachable', message: 'm' }] },
      }),
    ]);
    expect(scenarioCheckFailures({ ...recovered, findings: ['some-brokers-unreachable'] }, status, undefined)).toEqual(
      [],
    );
    expect(scenarioCheckFailures({ ...recovered, findings: ['no-broker-reachable'] }, status, undefined)).toEqual([
      'the scope assessment did not report the finding no-broker-reachable (it reported: some-brokers-unreachable)',
    ]);
  });
});
