/**
 * Fan-out: `forEach` must be a list or an expression yielding one; listed host names must exist in
 * the inventory; rate-control options need a forEach. Needs the resolved inventory for the checks
 * that read it.
 */
import { hint } from '../diagnostics';
import { evaluateExpr, hasTemplate, parseExpression, splitTemplate } from '../expr';
import type { PassContext } from './context';
import { isRecord } from './context';

/** The host names an inventory declares (hosts[].name, plus brokers' and ZooKeeper nodes' hosts). */
export function inventoryHostNames(inventory: Record<string, unknown>): string[] {
  const names = new Set<string>();
  const add = (list: unknown, key: string) => {
    if (Array.isArray(list))
      for (const e of list) if (isRecord(e) && typeof e[key] === 'string') names.add(e[key] as string);
  };
  add(inventory.hosts, 'name');
  if (isRecord(inventory.kafka)) add(inventory.kafka.brokers, 'host');
  if (isRecord(inventory.zookeeper)) add(inventory.zookeeper.nodes, 'host');
  return [...names];
}

/** Checks every step's forEach against the inventory (when there is one). */
export function checkForEach(ctx: PassContext): void {
  for (const step of [...ctx.steps, ...ctx.rollback]) {
    const fe = step.raw.forEach;
    if (fe === undefined) {
      for (const key of ['maxParallel', 'maxFailures']) {
        if (step.raw[key] !== undefined) {
          ctx.report(
            'FOREACH_OPTION_WITHOUT_FOREACH',
            [...step.path, key],
            `'${key}' only applies to a step with forEach; remove it or add forEach`,
            'key',
          );
        }
      }
      continue;
    }
    if (Array.isArray(fe)) {
      if (!ctx.inventory) continue;
      const hosts = inventoryHostNames(ctx.inventory);
      fe.forEach((e, i) => {
        if (typeof e === 'string' && !hasTemplate(e) && !hosts.includes(e)) {
          ctx.report(
            'FOREACH_HOST_UNKNOWN',
            [...step.path, 'forEach', i],
            `host '${e}' is not in the inventory${hint(e, hosts)} (hosts: ${hosts.join(', ')})`,
          );
        }
      });
      continue;
    }
    if (typeof fe !== 'string' || !ctx.inventory) continue;
    const value = evaluateStatic(ctx, fe);
    if (value !== undefined && value !== null && !Array.isArray(value)) {
      ctx.report(
        'FOREACH_NOT_LIST',
        [...step.path, 'forEach'],
        `forEach must yield a list, but '${fe.trim()}' is ${value === null ? 'null' : typeof value}; point it at a list such as inventory.kafka.brokers`,
      );
    }
  }
}

/** Evaluates a whole-expression string that reads only params and inventory; undefined when it cannot. */
function evaluateStatic(ctx: PassContext, s: string): unknown {
  try {
    const parts = hasTemplate(s) ? splitTemplate(s) : [{ kind: 'expr' as const, text: s.trim() }];
    if (parts.length !== 1 || parts[0].kind !== 'expr') return undefined;
    const node = parseExpression(parts[0].text);
    if (node.kind !== 'path' || (node.root !== 'inventory' && node.root !== 'params')) return undefined;
    return evaluateExpr(node, {
      params: ctx.paramValues,
      inventory: ctx.inventory ?? {},
      steps: {},
      run: { mode: 'recovery', dryRun: false, workflowId: '' },
    });
  } catch {
    return undefined; // the expression pass reported it
  }
}
