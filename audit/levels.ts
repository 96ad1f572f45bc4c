/** DAG levels of plan steps: a step's level is one more than the highest level among its needs. Pure. */

/** Level per step id (0 for steps without needs; needs outside the list are ignored). */
export function dagLevels(steps: ReadonlyArray<{ id: string; needs: readonly string[] }>): Map<string, number> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const level = new Map<string, number>();
  const visit = (id: string, seen: Set<string>): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    const s = byId.get(id);
    if (!s || seen.has(id)) return -1;
    seen.add(id);
    const l = 1 + Math.max(-1, ...s.needs.map((n) => visit(n, seen)));
    level.set(id, l);
    return l;
  };
  for (const s of steps) visit(s.id, new Set());
  return level;
}

/** Step ids grouped by level, in plan order within a level. */
export function byLevel(steps: ReadonlyArray<{ id: string; needs: readonly string[] }>): string[][] {
  const levels = dagLevels(steps);
  const out: string[][] = [];
  for (const s of steps) (out[levels.get(s.id) ?? 0] ??= []).push(s.id);
  return out.filter(Boolean);
}
