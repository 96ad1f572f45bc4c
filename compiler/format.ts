/**
 * Rendering for people and scripts: diagnostics as `file:line:col: error CODE: message` with a
 * code frame, or as the stable JSON array; plans as text by DAG level, or as a Mermaid flowchart.
 */
import { codeFrame, safeLines, safeText } from './code-frame';
import type { Diagnostic } from './diagnostics';
import { formatDuration } from './duration';
import type { Plan, PlanStep, PlanValue } from './plan';
import { rollbackEndings } from './rollback-endings';

/** The JSON shape `validate --format json` prints, with keys in a fixed order. */
export function diagnosticToJson(d: Diagnostic): Diagnostic {
  const { file, line, column, endLine, endColumn, code, severity, message, path } = d;
  return { file, line, column, endLine, endColumn, code, severity, message, path };
}

export { codeFrame } from './code-frame';

/**
 * `file:line:col: severity CODE: message`, followed by a code frame of the source when given. Safe to print:
 * control characters from the file (in a key the message quotes, or in the frame) are shown escaped.
 */
export function formatDiagnostic(d: Diagnostic, text?: string): string {
  const head = `${safeText(d.file)}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${safeLines(d.message)}`;
  if (text === undefined) return head;
  return `${head}\n${codeFrame(text, d)}`;
}

/** Steps grouped by level: level 0 needs nothing, level n needs something at level n-1. */
export function planLevels(steps: PlanStep[]): PlanStep[][] {
  const level = new Map<string, number>();
  for (const s of steps) level.set(s.id, Math.max(-1, ...s.needs.map((n) => level.get(n) ?? -1)) + 1);
  const out: PlanStep[][] = [];
  for (const s of steps) (out[level.get(s.id) as number] ??= []).push(s);
  return out;
}

/** Renders a PlanValue back to runbook-like text (`${{ expr }}`) for display. */
export function showValue(v: PlanValue): string {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    if ('$expr' in v) return `\${{ ${String(v.text)} }}`;
    if ('$template' in v) {
      const parts = v.$template as Array<string | { text: string; quote: string }>;
      return parts
        .map((p) => (typeof p === 'string' ? p : `\${{ ${p.text}${p.quote === 'raw' ? ' | raw' : ''} }}`))
        .join('');
    }
  }
  return JSON.stringify(v);
}

function stepLines(s: PlanStep): string[] {
  const r = s.retry;
  const retry =
    r.maxAttempts === 1
      ? 'once'
      : `${r.maxAttempts}x, ${formatDuration(r.initialIntervalMs)}×${r.backoffCoefficient} ≤${formatDuration(r.maxIntervalMs)}`;
  const flags = [s.idempotent ? 'idempotent' : 'not idempotent', s.readOnly ? 'read-only' : 'changes'].join(', ');
  const lines = [`  ${s.id}  ${s.action}${s.title ? `  — ${s.title}` : ''}`];
  const timeoutMs = s.timeouts?.startToCloseMs ?? s.approval?.timeoutMs ?? 0;
  const heartbeatMs = s.timeouts?.heartbeatMs;
  lines.push(
    `      retry ${retry}; timeout ${formatDuration(timeoutMs)}${heartbeatMs ? `, heartbeat ${formatDuration(heartbeatMs)}` : ''}; on failure ${s.onFailure}; ${flags}`,
  );
  if (s.needs.length) lines.push(`      ${s.outcomes ? 'undoes' : 'needs'} ${s.needs.join(', ')}`);
  if (s.outcomes) lines.push(`      on ${s.outcomes.join(', ') || 'no outcome'}`);
  if (s.when) lines.push(`      when ${showValue(s.when)}`);
  if (s.forEach)
    lines.push(
      `      forEach ${showValue(s.forEach.items)} (maxParallel ${s.forEach.maxParallel}, maxFailures ${s.forEach.maxFailures})`,
    );
  if (s.approval) {
    const a = s.approval;
    lines.push(
      `      approval ${a.minApprovals} of [${a.approvers.join(', ')}] within ${formatDuration(a.timeoutMs)}, on timeout ${a.onTimeout}` +
        `${a.requireComment ? ', comment required' : ''}${a.initiatorMayApprove ? '' : ', initiator may not approve'}`,
    );
  }
  return lines;
}

/** The plan as text: header, then the DAG by levels with each step's policies, then rollback. */
export function formatPlanText(plan: Plan): string {
  const out = [
    `${plan.runbook.name}${plan.runbook.title ? ` — ${plan.runbook.title}` : ''}`,
    `source ${plan.runbook.source}  sha256 ${plan.runbook.sha256.slice(0, 12)}  plan v${plan.planVersion}` +
      `${plan.runbook.rtoMs ? `  rto ${formatDuration(plan.runbook.rtoMs)}` : ''}  maxParallel ${plan.maxParallel}  failFast ${plan.failFast}`,
    '',
  ];
  planLevels(plan.steps).forEach((level, i) => {
    out.push(`level ${i}${level.length > 1 ? ` (${level.length} in parallel)` : ''}`);
    for (const s of level) out.push(...stepLines(s));
  });
  if (plan.rollback.length) {
    out.push('', 'rollback (reverse order of completion of what each step undoes)');
    for (const s of plan.rollback) out.push(...stepLines(s));
  }
  out.push('', ...formatRollbackEndings(plan));
  return out.join('\n');
}

/**
 * For each step, how the run can end there and which rollback steps would run: `x?` runs depending on
 * the run (a `when:` or a branch that may not have run), `none` runs nothing.
 */
export function formatRollbackEndings(plan: Plan): string[] {
  const out = ['rollback by ending (if the run stops at a step; x? depends on the run)'];
  const width = Math.max(...plan.steps.map((s) => s.id.length));
  const byStep = new Map<string, string[]>();
  for (const e of rollbackEndings(plan)) {
    const list = [...e.runs, ...e.mayRun.map((id) => `${id}?`)];
    (byStep.get(e.step) ?? byStep.set(e.step, []).get(e.step)!).push(`${e.outcome}: ${list.join(', ') || 'none'}`);
  }
  for (const [step, parts] of byStep) out.push(`  ${step.padEnd(width)}  ${parts.join('; ')}`);
  return out;
}

/** The plan as a Mermaid flowchart: approvals as hexagons, fan-out steps marked with ×. */
export function formatPlanMermaid(plan: Plan): string {
  const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
  const out = ['flowchart TD'];
  for (const s of plan.steps) {
    const label = `${s.id}<br/><small>${s.action}${s.forEach ? ' ×each' : ''}</small>`;
    out.push(s.kind === 'approval' ? `  ${id(s.id)}{{"${label}"}}` : `  ${id(s.id)}["${label}"]`);
  }
  for (const s of plan.steps) for (const n of s.needs) out.push(`  ${id(n)} --> ${id(s.id)}`);
  if (plan.rollback.length) {
    out.push('  subgraph rollback');
    for (const s of plan.rollback) out.push(`    ${id(s.id)}["${s.id}<br/><small>${s.action}</small>"]`);
    for (const s of plan.rollback) for (const n of s.needs) out.push(`    ${id(n)} --> ${id(s.id)}`);
    out.push('  end');
  }
  return out.join('\n');
}
