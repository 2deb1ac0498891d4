// The first screen: who and when, counts by severity, whether the sweep saw everything (and what
// it could not read), then every critical finding with its blast radius. A reader who stops
// here knows what breaks next, where, and whether silence elsewhere means anything.
import { SEVERITIES, type CollectionError, type Finding, type FindingKind, type Report } from "../model.js";
import { html, type Markup } from "./html-escape.js";
import { severityIcon } from "./html-icons.js";
import {
  countBySeverity,
  coverageSummary,
  detail,
  isComplete,
  staleRuleNotes,
  subjectType,
  suppressedCount,
  when,
  type NumberedFinding,
} from "./present.js";

export const KIND_LABEL: Record<FindingKind, string> = {
  "credential-expired": "Credential expired",
  "credential-expiring": "Credential expiring",
  "credential-long-lived": "Long-lived credential",
  "role-gap": "Pull role gap",
  "network-blocked": "Firewall blocks pulls",
  "admin-user-enabled": "Admin user enabled",
  "admin-key-regenerated": "Admin key regenerated",
};

// Errors beyond these go under a disclosure, so a badly broken sweep cannot push the rest of the
// first screen away; the heading still counts them all.
const ERRORS_SHOWN = 3;

/** "2026-11-25 06:00 UTC"; the raw value when it is not a date. */
function utc(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Registries and clusters a finding names, its own and those that break with it. */
export function registriesOf(f: Finding): string[] {
  return [...new Set([...(f.registry === undefined ? [] : [f.registry]), ...f.impact.registries])];
}
export function clustersOf(f: Finding): string[] {
  return [...new Set([...(f.cluster === undefined ? [] : [f.cluster]), ...f.impact.clusters])];
}

/** "app · secret ci-2025": what the subject is, and which of its credentials (or why). */
export function subjectLine(f: Finding): Markup {
  return html`${subjectType(f)}${detail(f) ? html` · ${detail(f)}` : ""}`;
}

export function chips(values: string[], kind: "registry" | "cluster", none: string): Markup {
  if (values.length === 0) return html`<span class="none">${none}</span>`;
  return html`<ul class="chips">${values.map((v) => html`<li class="chip ${kind}">${v}</li>`)}</ul>`;
}

export function header(report: Report): Markup {
  const counts = countBySeverity(report.findings);
  const items = SEVERITIES.map(
    (s) => html`<li class="count sev-${s}${counts[s] === 0 ? " zero" : ""}">${severityIcon(s)}<strong>${counts[s]}</strong> ${s}</li>`,
  );
  return html`<header class="top">
<div><h1>credwatch report</h1>
<p class="meta">Tenant <code>${report.tenantId}</code> · swept <time datetime="${report.sweptAt}">${utc(report.sweptAt)}</time></p></div>
<ul class="counts" aria-label="Findings by severity">${items}</ul>
</header>`;
}

function errorItem(e: CollectionError): Markup {
  return html`<li><span class="source">${e.source}</span> <code>${e.scope}</code>${e.status === null ? "" : html` <span class="http">HTTP ${e.status}</span>`}<span class="message">${e.message}</span></li>`;
}

/** Suppressed findings stay in the report; say how many, and which rules need a look. */
function suppressions(report: Report): Markup {
  const n = suppressedCount(report);
  const stale = staleRuleNotes(report);
  return html`${n > 0 ? html`<p class="coverage">${n === 1 ? "1 finding is" : `${n} findings are`} suppressed: reported, but not alerted.</p>` : ""}${
    stale.length > 0 ? html`<ul class="notes">${stale.map((note) => html`<li>${note}</li>`)}</ul>` : ""
  }`;
}

/** Coverage, and what could not be read. Never "all clear" unless complete with no findings. */
export function status(report: Report): Markup {
  const complete = isComplete(report);
  const coverage = html`<p class="coverage"><strong>Read:</strong> ${coverageSummary(report)}.</p>${suppressions(report)}`;
  if (complete) {
    const title = report.findings.length === 0 ? "All clear: every scope was read and nothing was found." : "Complete: every scope was read.";
    return html`<section class="status complete" id="status" aria-labelledby="status-title"><h2 id="status-title">${title}</h2>${coverage}</section>`;
  }
  const n = report.errors.length;
  const shown = report.errors.slice(0, ERRORS_SHOWN).map(errorItem);
  const rest = report.errors.slice(ERRORS_SHOWN).map(errorItem);
  const what = n === 0 ? "The sweep did not read everything" : n === 1 ? "1 scope could not be read" : `${n} scopes could not be read`;
  return html`<section class="status incomplete" id="status" aria-labelledby="status-title">
<h2 id="status-title"><span class="flag">Incomplete</span> ${what}: problems there are not in this report.</h2>
${n > 0 ? html`<ul class="errors">${shown}</ul>` : ""}
${rest.length > 0 ? html`<details class="more-errors"><summary>${rest.length} more</summary><ul class="errors">${rest}</ul></details>` : ""}
${report.findings.length === 0 ? html`<p><strong>No findings in what could be read. This is not an all-clear.</strong></p>` : ""}
${coverage}</section>`;
}

function blastRow({ n, finding: f }: NumberedFinding): Markup {
  // A critical finding without a credential (no pull role, firewall) is failing pulls already.
  const due = when(f) || "failing now";
  return html`<tr data-critical="${n}">
<td class="due">${due}</td>
<td class="kind">${KIND_LABEL[f.kind]}${f.suppressed ? html` <span class="suppressed">(suppressed)</span>` : ""}</td>
<td><strong>${f.subject.name}</strong> <span class="muted">${subjectLine(f)}</span></td>
<td>${chips(registriesOf(f), "registry", "none known")}</td>
<td>${chips(clustersOf(f), "cluster", "none known")}</td>
<td><a href="#f-${n}">#${n}</a></td>
</tr>`;
}

/** credential → registries → clusters for every critical finding, soonest first. */
export function blastRadius(critical: NumberedFinding[]): Markup {
  const title = html`<h2 id="critical-title">${severityIcon("critical")} Critical: what breaks next, and where (${critical.length})</h2>`;
  if (critical.length === 0) {
    return html`<section id="critical" aria-labelledby="critical-title">${title}<p class="muted">No critical findings.</p></section>`;
  }
  return html`<section id="critical" aria-labelledby="critical-title">${title}
<table class="blast">
<thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Credential or cause</th><th scope="col">→ Registries it breaks</th><th scope="col">→ Clusters that stop pulling</th><th scope="col">Fix</th></tr></thead>
<tbody>${critical.map(blastRow)}</tbody>
</table></section>`;
}
