/**
 * The operator's view of a run, as lines: the DAG by levels, each step's state, attempt, elapsed time
 * and last message; gates waiting for a decision highlighted with the exact command to answer them.
 * Pure: status + levels + clock in, lines out (ANSI colours only when asked).
 */
import type { GateStatus, RunStatus, StepStatus } from '../../workflows/types';

export interface FrameOptions {
  color: boolean;
  /** Terminal width; long messages are cut to fit. */
  width: number;
  /** Now, in ms (injected so frames are testable). */
  now: number;
}

const ESC = '\x1b[';
const paint = (on: boolean, code: string, s: string) => (on ? `${ESC}${code}m${s}${ESC}0m` : s);

const STATE_STYLE: Record<string, { icon: string; code: string }> = {
  pending: { icon: '·', code: '2' },
  running: { icon: '▶', code: '36;1' },
  'waiting-approval': { icon: '?', code: '30;43;1' },
  'failed-awaiting-decision': { icon: '!', code: '37;41;1' },
  succeeded: { icon: '✔', code: '32' },
  skipped: { icon: '↷', code: '2' },
  failed: { icon: '✘', code: '31;1' },
  'rolled-back': { icon: '↶', code: '35' },
};

/** "1m05s", "12s", "850ms". */
export function elapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function stepElapsed(s: StepStatus, now: number): string {
  if (!s.startedAt) return '';
  return elapsed((s.endedAt ? Date.parse(s.endedAt) : now) - Date.parse(s.startedAt));
}

function message(s: StepStatus): string {
  if (s.error) return `${s.error.type}: ${s.error.message}`;
  const items = s.items
    ? `[${s.items.succeeded}/${s.items.total}${s.items.failed ? `, ${s.items.failed} failed` : ''}${s.items.running ? `, ${s.items.running} running` : ''}] `
    : '';
  return `${items}${s.summary ?? ''}`;
}

const cut = (s: string, n: number) => (n <= 1 ? '' : s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** One step's line. */
export function stepLine(s: StepStatus, o: FrameOptions, indent = '  '): string {
  const st = STATE_STYLE[s.state] ?? { icon: ' ', code: '0' };
  const head = `${indent}${st.icon} ${s.id.padEnd(24)} ${s.state.padEnd(24)} #${String(s.attempt).padEnd(2)} ${stepElapsed(s, o.now).padStart(7)}  `;
  const text = cut(message(s).replace(/\s+/g, ' '), o.width - head.length);
  return paint(o.color, st.code, head) + text;
}

/** The commands that answer a waiting gate, exactly as the operator types them. */
export function gateCommands(workflowId: string, g: GateStatus): string[] {
  const comment = g.requireComment ? ' --comment "WHY"' : ' --comment "..."';
  return [
    `npx rekindle approve ${workflowId} ${g.id} --as NAME${comment}`,
    `npx rekindle reject ${workflowId} ${g.id} --as NAME --comment "WHY"`,
  ];
}

/** The whole frame. `levels` groups step ids by DAG level (null: plan order, one group). */
export function renderFrame(s: RunStatus, levels: string[][] | null, o: FrameOptions): string[] {
  const byId = new Map(s.steps.map((x) => [x.id, x]));
  const groups = levels ?? [s.steps.map((x) => x.id)];
  const phaseCode = ['succeeded'].includes(s.phase)
    ? '32;1'
    : ['aborted', 'cancelled', 'completed-with-failures'].includes(s.phase)
      ? '31;1'
      : s.phase.startsWith('waiting')
        ? '33;1'
        : '36;1';
  const out = [
    paint(
      o.color,
      '1',
      `${s.workflowId}  ${s.runbook.title ?? s.runbook.name}  cluster ${s.cluster}  ${s.mode}${s.dryRun ? ' (dry run)' : ''}`,
    ),
    `phase ${paint(o.color, phaseCode, s.phase)}  elapsed ${elapsed((s.endedAt ? Date.parse(s.endedAt) : o.now) - Date.parse(s.startedAt))}${s.abortReason ? `  (${s.abortReason.type}: ${s.abortReason.message})` : ''}`,
    '',
  ];
  groups.forEach((ids, i) => {
    out.push(paint(o.color, '2', `level ${i}`));
    for (const id of ids) {
      const step = byId.get(id);
      if (step) out.push(stepLine(step, o));
    }
  });
  const rb = s.rollback.filter((r) => r.state !== 'pending');
  if (rb.length) out.push(paint(o.color, '2', 'rollback'), ...rb.map((r) => stepLine(r, o)));
  for (const g of s.pendingGates) {
    const votes = g.approvals.filter((a) => a.round === g.round).length;
    out.push(
      '',
      paint(
        o.color,
        '30;43;1',
        ` GATE ${g.id} waits for ${g.minApprovals - votes} more approval(s) from ${g.approvers.join(', ')} until ${g.deadline ?? '?'} `,
      ),
      ...(g.evidence ?? '')
        .split('\n')
        .slice(0, 8)
        .map((l) => `  | ${cut(l, o.width - 4)}`),
      ...gateCommands(s.workflowId, g).map((c) => `  ${paint(o.color, '1', c)}`),
    );
  }
  for (const x of s.steps.filter((y) => y.state === 'failed-awaiting-decision')) {
    out.push(
      '',
      paint(o.color, '37;41;1', ` STEP ${x.id} failed and waits for a decision `),
      `  ${paint(o.color, '1', `npx rekindle decide ${s.workflowId} ${x.id} retry|skip|abort --as NAME --comment "WHY"`)}`,
    );
  }
  return out;
}

/** Plain-text change lines (stdout is not a TTY): one line per step whose state or attempt changed since `prev`. */
export function changeLines(prev: RunStatus | null, s: RunStatus, o: Omit<FrameOptions, 'color'>): string[] {
  const at = new Date(o.now).toISOString().slice(11, 19);
  const out: string[] = [];
  if (!prev || prev.phase !== s.phase) out.push(`${at} ${s.workflowId} phase ${s.phase}`);
  const before = new Map([...(prev?.steps ?? []), ...(prev?.rollback ?? [])].map((x) => [x.id, x]));
  for (const x of [...s.steps, ...s.rollback]) {
    const p = before.get(x.id);
    if (p && p.state === x.state && p.attempt === x.attempt) continue;
    if (!p && x.state === 'pending') continue;
    const msg = message(x);
    out.push(
      `${at} ${x.id} ${x.state} #${x.attempt}${x.startedAt ? ` ${stepElapsed(x, o.now)}` : ''}${msg ? ` ${msg}` : ''}`,
    );
  }
  const prevGates = new Set((prev?.pendingGates ?? []).map((g) => `${g.id}/${g.round}`));
  for (const g of s.pendingGates.filter((x) => !prevGates.has(`${x.id}/${x.round}`))) {
    out.push(
      `${at} gate ${g.id} waits for approval from ${g.approvers.join(', ')}: ${gateCommands(s.workflowId, g)[0]}`,
    );
  }
  for (const x of s.steps.filter(
    (y) => y.state === 'failed-awaiting-decision' && before.get(y.id)?.state !== y.state,
  )) {
    out.push(
      `${at} step ${x.id} waits for a decision: npx rekindle decide ${s.workflowId} ${x.id} retry|skip|abort --as NAME`,
    );
  }
  return out;
}
