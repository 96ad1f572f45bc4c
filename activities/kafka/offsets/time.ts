/**
 * The time inputs of `kafka-consumer-groups --reset-offsets`, read as Kafka 3.9 reads them, except
 * where the tool misreads its input: there Rekindle refuses (docs/actions.md lists every case, and
 * test/integration/offsets-oracle-time.test.ts checks both rules against the real tool).
 * - `--to-datetime` is `yyyy-MM-ddTHH:mm:ss.SSS` with an optional zone `Z`, `±hh` or `±hh:mm`; UTC when none.
 * - `--by-duration` is a java.time.Duration: `PnDTnHnMn.nS` (upper or lower case, `.` or `,` before the fraction).
 */
import { InvalidInputError } from '../../errors';

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})(Z|[+-]\d{2}(?::\d{2})?)?$/;
/** What the tool reads leniently or wrongly; each gets its own message. */
const MISREAD: Array<[RegExp, string]> = [
  [/T\d{1,2}:\d{1,2}:\d{1,2}(?:[Z+-]|$)/, 'has no milliseconds; write .000'],
  [/\.(\d{1,2}|\d{4,})(?:[Z+-]|$)/, 'needs exactly three digits of milliseconds (the tool reads .5 as 5 ms)'],
  [/[+-]\d{4}$/, 'has a zone ±hhmm, which the tool reads as ±hh (ignoring the minutes); write ±hh:mm'],
];
/**
 * The zone offsets the tool reads right (checked against it): -13:00 to +14:00. It refuses hours beyond
 * -13/+14, and reads -13:30 as -13:00 and +14:30 as +14:00, so Rekindle refuses those.
 */
const ZONE_MINUTES = { min: -13 * 60, max: 14 * 60 };

function refuse(text: string, why: string): never {
  throw new InvalidInputError(`datetime '${text}' ${why}`, { field: 'datetime' });
}

/**
 * Epoch milliseconds of a `--to-datetime` value; no zone means UTC. Throws INVALID_INPUT, saying why, on
 * anything else, and on inputs the tool would misread: other fraction lengths, `±hhmm` zones, trailing
 * text, short fields, and instants before 1970 (which the tool sends as ListOffsets sentinels).
 */
export function parseResetDatetime(text: string): number {
  const m = DATETIME.exec(text);
  if (!m) {
    for (const [re, why] of MISREAD) if (re.test(text)) refuse(text, why);
    refuse(text, 'is not yyyy-MM-ddTHH:mm:ss.SSS with an optional zone Z, ±hh or ±hh:mm');
  }
  const [, y, mo, d, h, mi, s, ms, zone = 'Z'] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms));
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    refuse(text, 'is not a valid date and time');
  }
  let offsetMin = 0;
  if (zone !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) as RegExpExecArray;
    const [sign, hours, minutes] = [z[1], Number(z[2]), Number(z[3] ?? '0')];
    offsetMin = (hours * 60 + minutes) * (sign === '+' ? 1 : -1);
    if (minutes > 59 || offsetMin < ZONE_MINUTES.min || offsetMin > ZONE_MINUTES.max)
      refuse(text, `has a zone offset ${zone} outside -13:00..+14:00 (the tool refuses it or reads it as the limit)`);
  }
  const at = utc - offsetMin * 60_000;
  if (at < 0) refuse(text, 'is before 1970-01-01T00:00:00.000Z; the tool would send it as a ListOffsets sentinel');
  return at;
}

const DURATION = /^\+?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{0,9}))?S)?)?$/i;

/**
 * Milliseconds (fractional below 1 ms) of a `--by-duration` value, as java.time.Duration.parse reads it.
 * Throws INVALID_INPUT when malformed or empty, and when negative (the tool would look into the future and
 * land on the log end, which is never what a by-duration reset means).
 */
export function parseIsoDuration(text: string): number {
  const bad = (why: string): never => {
    throw new InvalidInputError(`duration '${text}' ${why}`, { field: 'duration' });
  };
  if (/-/.test(text)) bad('is negative: a time in the future; write the duration back from now, e.g. PT1H');
  const m = DURATION.exec(text);
  // As java.time.Duration: at least one number, and an upper-case T must have a time after it.
  if (!m || m.slice(1, 5).every((x) => x === undefined) || /T$/.test(text))
    bad('is not an ISO-8601 duration PnDTnHnMn.nS (days, hours, minutes, seconds; no weeks, months or years)');
  const [, d = '0', h = '0', mi = '0', s = '0', frac = ''] = m as RegExpExecArray;
  const whole = ((Number(d) * 24 + Number(h)) * 60 + Number(mi)) * 60 + Number(s);
  const ms = whole * 1000 + Number(frac.padEnd(9, '0')) / 1e6;
  if (!Number.isSafeInteger(whole * 1000)) bad('is too long');
  return ms;
}

/** The timestamp a by-duration reset looks up: `now - duration`, in whole ms as the tool's toEpochMilli. */
export function durationTimestamp(text: string, now: number): number {
  const at = Math.floor(now - parseIsoDuration(text));
  if (at < 0) {
    throw new InvalidInputError(`duration '${text}' reaches before 1970-01-01T00:00:00.000Z`, { field: 'duration' });
  }
  return at;
}
