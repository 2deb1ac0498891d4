// RFC 3339 date-times as the fixture's JSON Schema means them (`format: date-time`).
// The check mirrors ajv-formats' "full" date-time exactly, so the zod schema and ajv agree on every
// string: a `T`/`t`/space separator, a required zone (`Z`, `+hh`, `+hhmm`, `+hh:mm`), real calendar
// dates and a leap second only at 23:59:60 UTC.

const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const TIME = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$/i;
const SEPARATOR = /t|\s/i;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const maxDay = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month] ?? 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= maxDay;
}

function isTime(text: string): boolean {
  const m = TIME.exec(text);
  if (!m || !m[4]) return false;
  const [hr, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const tzSign = m[5] === "-" ? -1 : 1;
  const tzH = Number(m[6] ?? 0);
  const tzM = Number(m[7] ?? 0);
  if (tzH > 23 || tzM > 59) return false;
  if (hr <= 23 && min <= 59 && sec < 60) return true;
  const utcMin = min - tzM * tzSign;
  const utcHr = hr - tzH * tzSign - (utcMin < 0 ? 1 : 0);
  return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61;
}

export function isRfc3339DateTime(text: string): boolean {
  const parts = text.split(SEPARATOR);
  return parts.length === 2 && isDate(parts[0] ?? "") && isTime(parts[1] ?? "");
}

/** Epoch milliseconds of a string that passed isRfc3339DateTime (Date.parse alone rejects some). */
export function parseTimestamp(text: string): number {
  const normalized = text.replace(SEPARATOR, "T").replace(/z$/, "Z");
  // A leap second (hh:mm:60) is one second after hh:mm:59, which Date.parse cannot express.
  const leap = /^(.*T\d\d:\d\d:)60(.*)$/.exec(normalized);
  const ms = leap ? Date.parse(`${leap[1]}59${leap[2]}`) + 1000 : Date.parse(normalized);
  if (Number.isNaN(ms)) throw new RangeError(`not a date-time: ${text}`);
  return ms;
}
