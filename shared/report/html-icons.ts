// Severity is never shown by colour alone: each has a shape (defined once as an SVG symbol and
// reused by badges and timeline markers) and is always written out as a word beside it.
import { SEVERITIES, type Severity } from "../model.js";
import { html, trusted, type Markup } from "./html-escape.js";

// 16×16 shapes, filled with the current colour: octagon with "!" (critical), triangle (high),
// diamond (medium), circle (low). Distinct in greyscale and on paper.
const SHAPE: Record<Severity, string> = {
  critical: '<path d="M5 1h6l4 4v6l-4 4H5l-4-4V5z"/><path fill="#fff" d="M7 3.5h2v6H7zM7 11h2v2H7z"/>',
  high: '<path d="M8 1l7.5 13.5H.5z"/>',
  medium: '<path d="M8 .5 15.5 8 8 15.5.5 8z"/>',
  low: '<circle cx="8" cy="8" r="6.5"/>',
};

/** The symbol definitions; included once at the top of the page. */
export function iconDefinitions(): Markup {
  const symbols = SEVERITIES.map((s) => html`<symbol id="sev-${s}" viewBox="0 0 16 16">${trusted(SHAPE[s])}</symbol>`);
  return html`<svg class="defs" aria-hidden="true" focusable="false"><defs>${symbols}</defs></svg>`;
}

export function severityIcon(severity: Severity): Markup {
  return html`<svg class="icon sev-${severity}" aria-hidden="true" focusable="false" viewBox="0 0 16 16"><use href="#sev-${severity}"/></svg>`;
}

/** Shape and word together: what every severity in the page looks like. */
export function severityBadge(severity: Severity): Markup {
  return html`<span class="sev sev-${severity}">${severityIcon(severity)}${severity}</span>`;
}
