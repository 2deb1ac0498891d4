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

// --- big JSON in rows ----------------------------------------------------------------------------
// A string property holds 64 KiB of UTF-16 and an entity 1 MiB, so JSON larger than a property is
// cut into pieces (c0..cK) and, beyond a row's worth, into several rows. The JSON is made ASCII
// first (\uXXXX escapes), so that no cut splits a character.

/** Characters per piece (a property holds 64 KiB of UTF-16) and pieces per row (an entity 1 MiB). */
export const PIECE = 30_000;
export const PIECES_PER_ROW = 15;

/** JSON with every non-ASCII character escaped: any cut of it is valid UTF-16. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The text as the pieces of one or more rows: one property bag (c0..cK) per row, at least one. */
export function pieceRows(text: string): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  const perRow = PIECE * PIECES_PER_ROW;
  for (let start = 0; start < text.length || rows.length === 0; start += perRow) {
    const chunk = text.slice(start, start + perRow);
    const row: Record<string, string> = {};
    for (let i = 0; i * PIECE < chunk.length; i++) row[`c${i}`] = chunk.slice(i * PIECE, (i + 1) * PIECE);
    rows.push(row);
  }
  return rows;
}

/** The text of one row's pieces (c0, c1, ... up to the first missing one). */
export function joinPieces(row: Record<string, unknown>): string {
  let joined = "";
  for (let i = 0; typeof row[`c${i}`] === "string"; i++) joined += row[`c${i}`] as string;
  return joined;
}
