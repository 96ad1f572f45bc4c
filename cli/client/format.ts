/**
 * Renders run status for people (a table) and for scripts (the stable `status --json` shape:
 * {"phase", "steps": [{"id","state","attempt","startedAt","endedAt","error"}], "gates": [{"id","state","approvals": [...]}]}).
 */
import { listOutputMarkers } from '../../compiler/expr';
import type { RunStatus, StepStatus } from '../../workflows/types';

/** The stable machine-readable status. Do not add or rename keys without a version bump: scripts parse it. */
export function statusJson(s: Pick<RunStatus, 'phase' | 'steps' | 'gates'>): unknown {
  return {
    phase: s.phase,
    steps: s.steps.map((x) => ({
      id: x.id,
      state: x.state,
      attempt: x.attempt,
      startedAt: x.startedAt,
      endedAt: x.endedAt,
      error: x.error ? { type: x.error.type, message: x.error.message } : null,
    })),
    gates: s.gates.map((g) => ({
      id: g.id,
      state: g.state,
      approvals: g.approvals.map((a) => ({ by: a.by, decision: a.decision, comment: a.comment, at: a.at })),
    })),
  };
}

function time(iso: string | null): string {
  return iso ? iso.slice(11, 19) : '-';
}

function line(x: StepStatus): string {
  const err = x.error ? `  ${x.error.type}: ${x.error.message}` : x.summary ? `  ${x.summary}` : '';
  const items = x.items
    ? ` [${x.items.succeeded}/${x.items.total}${x.items.failed ? `, ${x.items.failed} failed` : ''}]`
    : '';
  return `  ${x.id.padEnd(24)} ${x.state.padEnd(25)} #${String(x.attempt).padEnd(3)} ${time(x.startedAt)}-${time(x.endedAt)}${items}${err}`;
}

/** A human-readable status: phase, steps, open gates with evidence, decisions needed. */
export function statusText(s: RunStatus): string {
  const out = [
    `${s.workflowId}  ${s.runbook.title ?? s.runbook.name}  cluster ${s.cluster}  ${s.mode}${s.dryRun ? ' (dry run)' : ''}`,
    `phase: ${s.phase}${s.abortReason ? ` (${s.abortReason.type}: ${s.abortReason.message})` : ''}`,
    '',
    'steps:',
    ...s.steps.map(line),
  ];
  if (s.rollback.some((r) => r.state !== 'pending'))
    out.push('', 'rollback:', ...s.rollback.filter((r) => r.state !== 'pending').map(line));
  const large = [...s.steps, ...s.rollback].flatMap((x) =>
    listOutputMarkers(x.outputs).map((m) => `  ${x.id}.outputs.${m.field}: ${m.where}`),
  );
  if (large.length) out.push('', 'large outputs (not passed between steps):', ...large);
  for (const g of s.pendingGates) {
    const votes = g.approvals.filter((a) => a.round === g.round);
    out.push(
      '',
      `gate ${g.id} waits for ${g.minApprovals - votes.length} more approval(s) from ${g.approvers.join(', ')} until ${g.deadline}:`,
      ...(g.evidence ?? '').split('\n').map((l) => `  | ${l}`),
      `  rekindle approve ${s.workflowId} ${g.id} --as NAME${g.requireComment ? ' --comment "..."' : ''}`,
    );
  }
  for (const x of s.steps.filter((y) => y.state === 'failed-awaiting-decision')) {
    out.push(
      '',
      `step ${x.id} failed and waits for a decision: rekindle decide ${s.workflowId} ${x.id} retry|skip|abort --as NAME`,
    );
  }
  return out.join('\n');
}
