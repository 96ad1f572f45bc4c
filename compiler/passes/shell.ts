/**
 * Shell safety: every `${{ }}` in a shell input (ssh.exec `command`) is quoted for the context the
 * template puts it in, or refused here with SHELL_CONTEXT_UNSAFE at the expression, saying how to write
 * it instead (compiler/expr/shell-context.ts decides). Expressions in `args` are one quoted word each,
 * refused only where the command would run them (`sudo`, `sh -c`, an unclosed quote or comment).
 * `| raw` skips quoting, so it needs the step's `rawAcknowledged: "reason"` (RAW_NOT_ACKNOWLEDGED).
 */
import type { TemplatePart } from '../expr';
import { hasTemplate, shellSlots, splitTemplate } from '../expr';
import type { PassContext, StepInfo } from './context';
import { isRecord } from './context';

/** Checks the shell inputs of every step whose action declares them. */
export function checkShell(ctx: PassContext): void {
  for (const step of [...ctx.steps, ...ctx.rollback]) {
    const w = step.raw.with;
    if (!step.action?.shellInputs || !isRecord(w)) continue;
    const acknowledged = typeof w.rawAcknowledged === 'string' && w.rawAcknowledged.trim() !== '';
    for (const key of step.action.shellInputs) {
      const value = w[key];
      if (typeof value !== 'string') continue;
      const parts = safeSplit(value);
      if (!parts) continue; // an unterminated `${{` is reported by the expression pass
      const args = Array.isArray(w.args) ? w.args : [];
      const argSlots = args.some((a) => typeof a === 'string' && hasTemplate(a));
      const slots = shellSlots(parts, argSlots);
      let n = 0;
      for (const part of parts) {
        if (part.kind !== 'expr') continue;
        const slot = slots[n++];
        const at = { start: part.start, end: part.end };
        if (part.raw) reportRaw(ctx, step, [...step.path, 'with', key], part.text, acknowledged, at);
        else if ('refused' in slot)
          ctx.report(
            'SHELL_CONTEXT_UNSAFE',
            [...step.path, 'with', key],
            `'${part.text}' cannot be quoted here: ${slot.refused}`,
            'value',
            at,
          );
      }
      const last = slots[slots.length - 1];
      if (argSlots && 'refused' in last) {
        args.forEach((a, i) => {
          if (typeof a === 'string' && hasTemplate(a))
            ctx.report(
              'SHELL_CONTEXT_UNSAFE',
              [...step.path, 'with', 'args', i],
              `the command would run this argument: ${last.refused}`,
              'value',
            );
        });
      }
    }
  }
}

function safeSplit(s: string): TemplatePart[] | undefined {
  if (!hasTemplate(s)) return [{ kind: 'text', text: s }];
  try {
    return splitTemplate(s);
  } catch {
    return undefined;
  }
}

function reportRaw(
  ctx: PassContext,
  step: StepInfo,
  path: Array<string | number>,
  text: string,
  acknowledged: boolean,
  at: { start: number; end: number },
): void {
  if (acknowledged) {
    ctx.report(
      'RAW_INTERPOLATION',
      path,
      `'${text}' is inserted into the shell command unquoted (| raw), as the step acknowledges`,
      'value',
      at,
    );
    return;
  }
  ctx.report(
    'RAW_NOT_ACKNOWLEDGED',
    path,
    `'${text}' is inserted into the shell command unquoted (| raw), so a value can run commands; drop '| raw', or say why it is safe in this step: rawAcknowledged: "<reason>"${step.id ? ` (step '${step.id}')` : ''}`,
    'value',
    at,
  );
}
