// Identifiers the fixture does not spell out (role-assignment names, public-IP names, event ids) are
// derived from what they identify, so every run of the same fixture serves the same ids.
import { createHash } from "node:crypto";

/** A name-based (version 5 style) GUID of the given parts. */
export function stableGuid(...parts: string[]): string {
  const hex = createHash("sha1").update(parts.join("\u0000")).digest("hex");
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}
