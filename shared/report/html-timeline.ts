// The next 90 days as an inline SVG: one lane per severity, one marker per credential finding
// placed on the day it expires; expired ones sit in an "overdue" column at the left. Each marker
// is a link to its finding with a <title>, and the same facts follow as a plain list.
import { SEVERITIES, type Severity } from "../model.js";
import { html, type Markup } from "./html-escape.js";
import { severityBadge } from "./html-icons.js";
import { detail, subjectType, when, type NumberedFinding } from "./present.js";
import { subjectLine } from "./html-summary.js";

const HORIZON_DAYS = 90;

// Geometry in viewBox units (the SVG scales to the page width, ~1:1 at 1280 px).
const WIDTH = 1200;
const LANE_LABEL = 100; // severity words and shapes
const OVERDUE = { x: 108, width: 170 };
const DAY0 = OVERDUE.x + OVERDUE.width + 14;
const DAY_WIDTH = (WIDTH - 30 - DAY0) / HORIZON_DAYS;
const AXIS = 36;
const TRACK = 20;
const MARKER = 14;
const LABEL_CHARS = 20;
const CHAR_WIDTH = 6.6; // 11 px sans-serif, generous so labels never overlap
const TICKS = [0, 7, 14, 30, 60, 90];

interface Placed {
  item: NumberedFinding;
  days: number;
  x: number;
  track: number;
  label: string;
  labelLeft: boolean;
}

/** Findings the timeline shows: credentials that expired or expire within the horizon. */
function onTimeline(findings: NumberedFinding[]): NumberedFinding[] {
  return findings.filter(({ finding: f }) => f.credential?.daysLeft != null && f.credential.daysLeft <= HORIZON_DAYS);
}

function daysOf(item: NumberedFinding): number {
  return item.finding.credential!.daysLeft!;
}

function shortLabel(name: string): string {
  return name.length > LABEL_CHARS ? `${name.slice(0, LABEL_CHARS - 1)}…` : name;
}

/** Markers of one lane, each on the first track where its marker and label overlap nothing. */
function place(items: NumberedFinding[]): Placed[] {
  const ends: number[] = [];
  return items
    .map((item) => ({ item, days: daysOf(item) }))
    .sort((a, b) => a.days - b.days || a.item.n - b.item.n)
    .map(({ item, days }) => {
      const x = days < 0 ? OVERDUE.x + 6 : DAY0 + days * DAY_WIDTH - MARKER / 2;
      const label = shortLabel(item.finding.subject.name);
      const span = MARKER + 4 + label.length * CHAR_WIDTH;
      // Near the right edge the label goes to the left of its marker.
      const labelLeft = x + span > WIDTH;
      const [start, end] = labelLeft ? [x + MARKER - span, x + MARKER] : [x, x + span];
      let track = ends.findIndex((e) => e + 6 <= start);
      if (track < 0) track = ends.push(end) - 1;
      else ends[track] = end;
      return { item, days, x, track, label, labelLeft };
    });
}

function dateAfter(sweptAt: string, days: number): string {
  const t = new Date(sweptAt).getTime();
  return Number.isNaN(t) ? "" : new Date(t + days * 86_400_000).toISOString().slice(5, 10);
}

function marker(p: Placed, laneTop: number): Markup {
  const { n, finding: f } = p.item;
  const y = laneTop + 4 + p.track * TRACK;
  const textX = p.labelLeft ? p.x - 4 : p.x + MARKER + 4;
  const title = `#${n} ${f.severity}: ${f.subject.name} (${subjectType(f)}${detail(f) ? `, ${detail(f)}` : ""}) ${when(f)}`;
  return html`<a href="#f-${n}" class="marker" data-marker="${n}" data-severity="${f.severity}" data-days="${p.days}"><title>${title}</title><use href="#sev-${f.severity}" class="sev-${f.severity}" x="${p.x.toFixed(1)}" y="${y}" width="${MARKER}" height="${MARKER}"/><text x="${textX.toFixed(1)}" y="${y + 11}"${p.labelLeft ? html` text-anchor="end"` : ""}>${p.label}</text></a>`;
}

function axis(sweptAt: string, height: number): Markup {
  const ticks = TICKS.map((d) => {
    const x = (DAY0 + d * DAY_WIDTH).toFixed(1);
    return html`<line class="${d === 0 ? "today" : "grid"}" x1="${x}" x2="${x}" y1="${AXIS - 6}" y2="${height}"/><text class="tick" x="${x}" y="14" text-anchor="middle">${d === 0 ? "today" : `+${d} d`}</text><text class="date" x="${x}" y="27" text-anchor="middle">${dateAfter(sweptAt, d)}</text>`;
  });
  return html`<rect class="overdue" x="${OVERDUE.x}" y="${AXIS - 6}" width="${OVERDUE.width}" height="${height - AXIS + 6}"/><text class="tick" x="${OVERDUE.x + OVERDUE.width / 2}" y="14" text-anchor="middle">overdue</text><text class="date" x="${OVERDUE.x + OVERDUE.width / 2}" y="27" text-anchor="middle">already expired</text>${ticks}`;
}

function listItem({ n, finding: f }: NumberedFinding): Markup {
  return html`<li>${severityBadge(f.severity)} <span class="due">${when(f)}</span> <a href="#f-${n}">${f.subject.name}</a> <span class="muted">${subjectLine(f)} · #${n}</span></li>`;
}

export function timeline(findings: NumberedFinding[], sweptAt: string): Markup {
  const shown = onTimeline(findings);
  const beyond = findings.filter((x) => x.finding.credential && !shown.includes(x)).length;
  const lanes: Markup[] = [];
  let top = AXIS;
  for (const severity of SEVERITIES) {
    const placed = place(shown.filter((x) => x.finding.severity === severity));
    const height = Math.max(1, ...placed.map((p) => p.track + 1)) * TRACK + 8;
    lanes.push(html`<g class="lane" data-lane="${severity}"><line class="lane-rule" x1="0" x2="${WIDTH}" y1="${top}" y2="${top}"/>${laneLabel(severity, top)}${placed.map((p) => marker(p, top))}</g>`);
    top += height;
  }
  const empty = shown.length === 0 ? html`<text class="empty" x="${(DAY0 + WIDTH) / 2}" y="${(AXIS + top) / 2 + 4}" text-anchor="middle">No credential expires in the next ${HORIZON_DAYS} days.</text>` : "";
  const sorted = [...shown].sort((a, b) => daysOf(a) - daysOf(b) || a.n - b.n);
  return html`<section id="timeline" aria-labelledby="timeline-title">
<h2 id="timeline-title">Next ${HORIZON_DAYS} days: credential expiries (${shown.length})</h2>
<svg class="timeline" viewBox="0 0 ${WIDTH} ${top}" role="group" aria-labelledby="timeline-title">${axis(sweptAt, top)}${lanes}${empty}</svg>
${beyond > 0 ? html`<p class="muted">${beyond === 1 ? "1 more credential finding expires" : `${beyond} more credential findings expire`} later than ${HORIZON_DAYS} days or never; see the table.</p>` : ""}
<details class="timeline-list"><summary>The timeline as a list</summary>${sorted.length > 0 ? html`<ol>${sorted.map(listItem)}</ol>` : html`<p>None.</p>`}</details>
</section>`;
}

function laneLabel(severity: Severity, top: number): Markup {
  return html`<use href="#sev-${severity}" class="sev-${severity}" x="2" y="${top + 4}" width="${MARKER}" height="${MARKER}"/><text class="lane-name" x="${MARKER + 8}" y="${top + 15}">${severity}</text>`;
}
