/**
 * A scenario's outcome and whether it is what the scenario expected: the checks each scenario asks
 * for (beyond the data figures build-report.ts computes), and the classification recovered /
 * refused / stuck / failed. A scenario expected to be refused passes only when it was refused at the
 * expected step with the expected error type.
 */
import type { RunStatus } from '../workflows/types';
import type { Stuck } from './deadline';
import type { Expected, Outcome } from './report';

/** Failures of the structural checks (no full restore, fallback selection) and of the expected findings. */
export function scenarioCheckFailures(
  expected: Expected,
  status: RunStatus,
  newestBackupSet: string | undefined,
): string[] {
  const failures: string[] = [];
  const assess = status.steps.find((s) => s.action === 'kafka.snapshot-state')?.outputs;
  const kinds = ((assess?.findings as Array<{ kind: string }> | undefined) ?? []).map((f) => f.kind);
  for (const k of expected.findings) {
    if (!kinds.includes(k))
      failures.push(
        `the scope assessment did not report the finding ${k} (it reported: ${kinds.join(', ') || 'none'})`,
      );
  }
  if (expected.checks.includes('no-full-restore')) {
    const full = status.steps.filter((s) => s.state === 'succeeded' && s.action === 'zookeeper.restore');
    if (full.length)
      failures.push(
        `the whole cluster was restored (${full.map((s) => s.id).join(', ')}); only one broker should have been`,
      );
    for (const s of status.steps.filter(
      (x) => ['service.stop', 'backup.restore-logs'].includes(x.action) && x.state === 'succeeded',
    )) {
      if ((s.items?.total ?? 1) > 1)
        failures.push(
          `step ${s.id} (${s.action}) acted on ${s.items!.total} brokers; only one should have been touched`,
        );
    }
  }
  if (expected.checks.includes('fallback-selected')) {
    const sel = status.steps.find((s) => s.action === 'backup.select')?.outputs ?? {};
    const refused = (sel.refused as Array<{ backupSet: string; reason: string }> | undefined) ?? [];
    if (!refused.some((r) => r.backupSet === newestBackupSet))
      failures.push(`backup selection did not refuse the damaged newest set ${newestBackupSet}`);
    if (sel.backupSet === newestBackupSet) failures.push('backup selection chose the damaged newest set');
    const gate = status.gates.find((g) => g.evidence?.includes('REFUSED'));
    if (!gate) failures.push('no gate told the approver that the newest backup set was refused');
  }
  return failures;
}

/** The first step that failed, with its error type. */
function firstFailure(status: RunStatus): { step: string; type: string; message: string } | undefined {
  const failed = status.steps
    .filter(
      (s) => s.error && (s.state === 'failed' || s.state === 'failed-awaiting-decision' || s.state === 'rolled-back'),
    )
    .sort((a, b) => (a.error!.at < b.error!.at ? -1 : 1))[0];
  return failed ? { step: failed.id, type: failed.error!.type, message: failed.error!.message } : undefined;
}

/** Classifies the run and compares it with the expectation. */
export function outcomeOf(
  expected: Expected,
  status: RunStatus,
  stuck: Stuck | null,
  failures: string[],
): { outcome: Outcome; detail: string; matches: boolean } {
  const fail = firstFailure(status);
  const want = expected.refusedAt;
  if (want && fail && fail.step === want.step && fail.type === want.error) {
    const detail = `refused at ${fail.step} with ${fail.type}: ${fail.message}`;
    return { outcome: 'refused', detail, matches: expected.outcome === 'refused' };
  }
  if (status.phase === 'succeeded' && failures.length === 0) {
    return {
      outcome: 'recovered',
      detail: 'every step succeeded and every check passed',
      matches: expected.outcome === 'recovered',
    };
  }
  if (stuck) {
    return { outcome: 'stuck', detail: `ended by the drill deadline at ${stuck.step}: ${stuck.error}`, matches: false };
  }
  const why = fail
    ? `${fail.step} failed with ${fail.type}: ${fail.message}`
    : (failures[0] ?? `the run ended ${status.phase}`);
  return { outcome: 'failed', detail: why, matches: false };
}
