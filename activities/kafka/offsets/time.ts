/**
 * The time inputs of `kafka-consumer-groups --reset-offsets`, parsed as Kafka 3.9 does:
 * `--to-datetime yyyy-MM-ddTHH:mm:ss.SSS[zone]` (UTC when no zone is given) and
 * `--by-duration` as an ISO-8601 duration before now.
 */
import { InvalidInputError } from '../../errors';

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Epoch milliseconds of a datetime; no zone means UTC. Throws INVALID_INPUT on anything else. */
export function parseResetDatetime(text: string): number {
  const m = DATETIME.exec(text.trim());
  if (!m) throw new InvalidInputError(`datetime '${text}' is not yyyy-MM-ddTHH:mm:ss.SSS[zone]`, { field: 'datetime' });
  const [, y, mo, d, h, mi, s, ms = '0', zone = 'Z'] = m;
  const utc = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(ms.padEnd(3, '0')),
  );
  const check = new Date(utc);
  if (
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    throw new InvalidInputError(`datetime '${text}' is not a valid date`, { field: 'datetime' });
  }
  if (zone === 'Z') return utc;
  const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) as RegExpExecArray;
  const offsetMin = (Number(z[2]) * 60 + Number(z[3] ?? '0')) * (z[1] === '+' ? 1 : -1);
  return utc - offsetMin * 60_000;
}

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an ISO-8601 `PnDTnHnMn.nS` duration. Throws INVALID_INPUT when malformed or empty. */
export function parseIsoDuration(text: string): number {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) {
    throw new InvalidInputError(`duration '${text}' is not ISO-8601 PnDTnHnMnS`, { field: 'duration' });
  }
  const [, d = '0', h = '0', mi = '0', s = '0'] = m;
  return Math.round(((Number(d) * 24 + Number(h)) * 60 + Number(mi)) * 60_000 + Number(s) * 1000);
}
