// Timestamps as analysis reads them: ISO 8601 only, UTC when no offset is given, never the machine's
// time zone. Anything else is "unparsable" (null) and the caller decides what that means.

export const DAY_MS = 86_400_000;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds of an ISO 8601 timestamp, or null when absent or unparsable. */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  const m = ISO.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return null;
  const ms = frac ? `.${frac.slice(0, 3).padEnd(3, "0")}` : "";
  let offset = "Z";
  if (zone && zone.toUpperCase() !== "Z") {
    offset = zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  }
  const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
  if (Number.isNaN(t)) return null;
  // Reject dates JavaScript silently rolls over (2026-02-31 → March 3).
  const check = new Date(Date.UTC(Number(y), month - 1, day));
  if (check.getUTCDate() !== day) return null;
  return t;
}

/** YYYY-MM-DD in UTC. */
export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** YYYY-MM-DD HH:MM UTC. */
export function formatMinute(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
