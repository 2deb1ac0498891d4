// Untrusted strings (display names, resource names, messages that quote them) made safe to show.
// A display name can hold anything: "\x1b[2J" would clear the terminal, a bidi override would
// make a name read backwards, a newline would break a table row.

// ESC sequences as a whole (CSI, OSC up to BEL/ST, DCS/SOS/PM/APC up to ST, two-byte escapes) and
// the 8-bit CSI, so no "[2J" residue is left behind once ESC itself is gone.
const ESCAPE_SEQUENCE =
  /\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -/]*[0-~]?)|\x9b[0-?]*[ -/]*[@-~]?/g;
// Line breaks and tabs become spaces; other C0/C1 controls and DEL go.
const LINE_BREAK = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
// Bidirectional overrides, embeddings, isolates and marks ("Trojan Source").
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line of plain, printable text. */
export function clean(value: string): string {
  return value
    .replace(ESCAPE_SEQUENCE, "")
    .replace(LINE_BREAK, " ")
    .replace(CONTROL, "")
    .replace(BIDI, "")
    .trim();
}
