// Moves a fixture in time: every timestamp shifts by the same amount, so that `now` lands on a chosen
// instant and every credential keeps its distance from it (a secret "expiring in 5 days" still does).
// What the sandbox derives from `now` (registry creation dates, event submission times) follows along.
import type { Fixture } from "./fixture-schema.js";
import { parseTimestamp } from "./timestamps.js";

/** Every property the fixture format types as `format: date-time` (clock.test.ts checks the list against the schema). */
export const TIMESTAMP_PROPERTIES: ReadonlySet<string> = new Set([
  "now",
  "createdDateTime",
  "startDateTime",
  "endDateTime",
  "creationDate",
  "creationTime",
  "expiry",
  "eventTimestamp",
]);

export function rebaseFixture(fixture: Fixture, newNow: Date): Fixture {
  const offsetMs = newNow.getTime() - parseTimestamp(fixture.now);
  return shift(fixture, offsetMs) as Fixture;
}

// Walks the parsed fixture by property name. `tags` are the format's only free-form maps: a tag that
// happens to be called "expiry" is the user's text, not a timestamp, so they are left alone.
function shift(value: unknown, offsetMs: number): unknown {
  if (Array.isArray(value)) return value.map((item) => shift(item, offsetMs));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (key === "tags") return [key, item];
      if (TIMESTAMP_PROPERTIES.has(key) && typeof item === "string") return [key, new Date(parseTimestamp(item) + offsetMs).toISOString()];
      return [key, shift(item, offsetMs)];
    }),
  );
}
