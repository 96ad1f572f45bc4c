/**
 * Each step's final state for the report. A completed run's result (the engine's final status, part
 * of the history) is authoritative; otherwise (aborted, cancelled, running) the state is derived from
 * the step's recorded attempts, operator decisions and the rollback steps that undid it.
 */
import type { Plan } from '../compiler/plan';
import type { RunStatus } from '../workflows/types';
import type { AuditDecision, AuditStep } from './model';

function fromAttempts(s: AuditStep): string {
  if (s.attempts.length === 0) return 'not-run';
  const last = Math.max(...s.attempts.map((a) => a.attempt));
  const current = s.attempts.filter((a) => a.attempt === last);
  if (current.some((a) => a.error)) return 'failed';
  if (current.some((a) => !a.endedAt)) return s.kind === 'approval' ? 'waiting-approval' : 'running';
  return 'succeeded';
}

/** Sets `state` on every forward and rollback step, in place. Pure apart from that. */
export function deriveState(
  plan: Plan,
  steps: Map<string, AuditStep>,
  rollback: Map<string, AuditStep>,
  decisions: AuditDecision[],
  final?: RunStatus,
): void {
  if (final?.steps) {
    for (const r of [...final.steps, ...(final.rollback ?? [])]) {
      const s = steps.get(r.id) ?? rollback.get(r.id);
      if (s) s.state = r.state === 'pending' ? 'not-run' : r.state;
    }
    return;
  }
  for (const s of [...steps.values(), ...rollback.values()]) s.state = fromAttempts(s);
  for (const d of decisions) {
    const s = steps.get(d.step);
    if (d.decision === 'skip' && s && s.state === 'failed') s.state = 'skipped';
  }
  for (const rb of plan.rollback) {
    if (rollback.get(rb.id)?.state !== 'succeeded') continue;
    for (const n of rb.needs) {
      const s = steps.get(n);
      if (s && (s.state === 'succeeded' || s.state === 'failed')) s.state = 'rolled-back';
    }
  }
}
