// Every finding in one table: a <tbody> per finding holding its summary row and a row with the
// message and fix commands, so sorting and filtering (html-script.ts) move and hide a finding as
// a whole. With JavaScript off the table reads as it is: most urgent first, everything shown.
import { SEVERITIES, type Finding, type FindingKind } from "../model.js";
import { html, lines, type Markup } from "./html-escape.js";
import { severityBadge } from "./html-icons.js";
import { detail, subjectType, suppressionNote, when, type NumberedFinding } from "./present.js";
import { chips, clustersOf, KIND_LABEL, registriesOf } from "./html-summary.js";

/** Filter options index into these lists, so no name has to survive a round trip through an
 *  attribute and a comparison in the script. */
interface Options {
  kinds: FindingKind[];
  registries: string[];
  clusters: string[];
}

function optionsOf(findings: NumberedFinding[]): Options {
  const sorted = (values: string[]) => [...new Set(values)].sort((a, b) => a.localeCompare(b));
  return {
    kinds: (Object.keys(KIND_LABEL) as FindingKind[]).filter((k) => findings.some((x) => x.finding.kind === k)),
    registries: sorted(findings.flatMap((x) => registriesOf(x.finding))),
    clusters: sorted(findings.flatMap((x) => clustersOf(x.finding))),
  };
}

function select(name: string, label: string, options: Markup[]): Markup {
  // A label wrapping its select would take the options into its accessible name.
  return html`<div class="field"><label for="filter-${name}">${label}</label><select id="filter-${name}" name="${name}"><option value="">all</option>${options}</select></div>`;
}

function controls(o: Options, total: number): Markup {
  return html`<form id="filters" class="controls" hidden data-js-only aria-label="Filter findings">
${select("kind", "Kind", o.kinds.map((k) => html`<option value="${k}">${KIND_LABEL[k]}</option>`))}
${select("severity", "Severity", SEVERITIES.map((s) => html`<option value="${s}">${s}</option>`))}
${select("registry", "Registry", o.registries.map((r, i) => html`<option value="${i}">${r}</option>`))}
${select("cluster", "Cluster", o.clusters.map((c, i) => html`<option value="${i}">${c}</option>`))}
<div class="field"><label for="filter-q">Search</label><input type="search" id="filter-q" name="q" placeholder="name, owner, command…" autocomplete="off"></div>
<button type="reset">Clear filters</button>
<output id="shown" aria-live="polite">Showing all ${total} findings</output>
</form>`;
}

function owners(f: Finding): Markup {
  if (f.owners === undefined) return html`<span class="muted">—</span>`;
  if (f.owners.length === 0) return html`<span class="none warn">none on record</span>`;
  return html`<ul class="plain">${f.owners.map((o) => html`<li>${o}</li>`)}</ul>`;
}

function fixBlock(n: number, fix: string[]): Markup {
  if (fix.length === 0) return html`<p class="muted">No command: see the message.</p>`;
  return html`<div class="commands"><pre><code id="fix-${n}">${lines(fix)}</code></pre><button type="button" class="copy" data-copy="fix-${n}" hidden data-js-only aria-label="Copy the fix commands of finding ${n}">Copy</button></div>`;
}

function findingBody({ n, finding: f }: NumberedFinding, o: Options): Markup {
  const days = f.credential?.daysLeft;
  const regs = registriesOf(f);
  const clus = clustersOf(f);
  const indexes = (names: string[], all: string[]) => names.map((name) => all.indexOf(name)).join(" ");
  return html`<tbody class="finding" id="f-${n}" data-n="${n}" data-kind="${f.kind}" data-severity="${f.severity}" data-rank="${SEVERITIES.indexOf(f.severity)}" data-days="${days == null ? "" : days}" data-subject="${f.subject.name}" data-registries="${indexes(regs, o.registries)}" data-clusters="${indexes(clus, o.clusters)}">
<tr class="summary">
<td class="n">${n}</td>
<td>${severityBadge(f.severity)}</td>
<td><span class="kind">${KIND_LABEL[f.kind]}</span>${detail(f) ? html`<br><span class="muted">${detail(f)}</span>` : ""}${f.suppressed ? html`<br><span class="suppressed">suppressed</span>` : ""}</td>
<td><strong>${f.subject.name}</strong><br><span class="muted">${subjectType(f)}</span></td>
<td class="due">${when(f) || "—"}</td>
<td>${chips(regs, "registry", "—")}</td>
<td>${chips(clus, "cluster", "—")}</td>
<td>${owners(f)}</td>
</tr>
<tr class="detail"><td></td><td colspan="7"><p class="message">${f.message}</p>${f.suppressed ? html`<p class="suppressed">${suppressionNote(f)}</p>` : ""}${fixBlock(n, f.fix)}</td></tr>
</tbody>`;
}

export function findingsTable(findings: NumberedFinding[]): Markup {
  const o = optionsOf(findings);
  // Headers with data-sort become sort buttons when the script runs; the initial order is "#".
  const sortable = (key: string, label: string, sorted = false) =>
    html`<th scope="col" data-sort="${key}"${sorted ? html` aria-sort="ascending"` : ""}>${label}</th>`;
  return html`<section id="findings" aria-labelledby="findings-title">
<h2 id="findings-title">All findings (${findings.length})</h2>
${controls(o, findings.length)}
<table class="findings" id="findings-table">
<thead><tr>${sortable("n", "#", true)}${sortable("severity", "Severity")}<th scope="col">Finding</th>${sortable("subject", "Subject")}${sortable("days", "When")}<th scope="col">Registries</th><th scope="col">Clusters</th><th scope="col">Owners</th></tr></thead>
${findings.map((x) => findingBody(x, o))}
</table>
${findings.length === 0 ? html`<p class="muted">No findings.</p>` : ""}
</section>`;
}
