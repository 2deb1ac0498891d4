// Table Storage keys from finding ids. Finding ids hold ARM ids ("/"), tag text (anything) and ":";
// keys forbid "/", "\", "#", "?" and control characters, and some stacks mangle "%" or "'" in the
// URLs that carry keys. So: letters, digits, ".", ":", "_" and "-" stay (ids stay readable in
// Storage Explorer); every other UTF-8 byte becomes "~XX" (upper-case hex), "~" included.
// Keys are at most 1 KiB; an id whose encoding is longer than MAX_ENCODED is keyed by its SHA-256
// instead ("~h" + hex, which no encoding produces) — the entity's findingId property is authoritative.
import { createHash } from "node:crypto";

export const MAX_ENCODED = 480;
const KEEP = /^[A-Za-z0-9.:_-]$/;
const HASHED = "~h";

export function encodeKey(id: string): string {
  let out = "";
  for (const byte of Buffer.from(id, "utf8")) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && KEEP.test(char) ? char : `~${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out.length <= MAX_ENCODED ? out : `${HASHED}${createHash("sha256").update(id, "utf8").digest("hex")}`;
}

/** The id a key encodes; null for a hashed key (read the entity's findingId) or a malformed one. */
export function decodeKey(key: string): string | null {
  if (key.startsWith(HASHED)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < key.length; i++) {
    const char = key[i]!;
    if (char !== "~") {
      if (!KEEP.test(char)) return null;
      bytes.push(char.charCodeAt(0));
      continue;
    }
    const hex = key.slice(i + 1, i + 3);
    if (!/^[0-9A-F]{2}$/.test(hex)) return null;
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return Buffer.from(bytes).toString("utf8");
}
