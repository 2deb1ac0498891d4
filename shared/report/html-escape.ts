// The one way text enters the HTML report. `html` is a tagged template that escapes every
// interpolated string; only Markup (built by `html` itself, or a constant of this code wrapped
// with `trusted`) passes through as it is. Building the page from these makes escaping the
// default instead of something each call site has to remember.
import { clean } from "./text.js";

const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** A fragment of HTML that is already safe to insert. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = Markup | string | number | null | undefined | false | readonly Interpolation[];

/** Text safe in element content and in double- or single-quoted attribute values; controls and
 *  bidi overrides are gone too (clean), so a display name reads as what it is. */
export function escapeHtml(value: string): string {
  return clean(value).replace(/[&<>"']/g, (c) => ENTITY[c]!);
}

function render(value: Interpolation): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return escapeHtml(value);
  return "";
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Markup(out);
}

/** Lines of text, each escaped, kept on their own lines (escapeHtml alone turns breaks into spaces). */
export function lines(values: readonly string[]): Markup {
  return new Markup(values.map(escapeHtml).join("\n"));
}

/** Wraps a constant written in this code (CSS, script, SVG paths). Never pass report data. */
export function trusted(constant: string): Markup {
  return new Markup(constant);
}
