/** Tampering with a recorded history, to prove `--verify` notices. Returns modified deep copies. */
import { historyFromJson, historyJson } from '../../audit/history';
import type { History } from '../../audit/history';

const copy = (h: History): History => historyFromJson(JSON.parse(historyJson(h)));

/** Renames the first activity of type `from` to `to` in its ActivityTaskScheduled event. */
export function renameActivity(h: History, from: string, to: string): History {
  const c = copy(h);
  const ev = c.events!.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === from);
  if (!ev) throw new Error(`no activity of type ${from} in the history`);
  ev.activityTaskScheduledEventAttributes!.activityType!.name = to;
  return c;
}

/** Removes the `nth` (0-based) event carrying `attribute`, e.g. the third ActivityTaskScheduled. */
export function removeEvent(h: History, attribute: string, nth: number): History {
  const c = copy(h);
  const idx = c.events!.map((e, i) => ((e as Record<string, unknown>)[attribute] ? i : -1)).filter((i) => i >= 0)[nth];
  if (idx === undefined) throw new Error(`no event #${nth} with ${attribute}`);
  c.events!.splice(idx, 1);
  return c;
}
