// What the human-facing renderers (table, markdown, csv) say the same way: finding order,
// numbering, and the wording of subjects, dates and impact. Every string returned is clean().
import { SEVERITIES, type Finding, type Report, type Severity, type SubjectType } from "../model.js";
import { clean } from "./text.js";

export interface NumberedFinding {
  /** 1-based position in the report, so a table row and its fix commands can point at each other. */
  n: number;
  finding: Finding;
}

export interface SeverityGroup {
  severity: Severity;
  findings: NumberedFinding[];
}

/** Most urgent first within a severity; the rest of the key only makes the order independent of
 *  the order findings were collected in. */
function compare(a: Finding, b: Finding): number {
  const left = (f: Finding) => f.credential?.daysLeft ?? Number.POSITIVE_INFINITY;
  return left(a) - left(b) || a.kind.localeCompare(b.kind) || a.subject.name.localeCompare(b.subject.name) || a.id.localeCompare(b.id);
}

/** Non-empty severity groups, critical first, numbered across the whole report. */
export function groupBySeverity(findings: Finding[]): SeverityGroup[] {
  let n = 0;
  return SEVERITIES.flatMap((severity) => {
    const group = findings.filter((f) => f.severity === severity).sort(compare);
    return group.length === 0 ? [] : [{ severity, findings: group.map((finding) => ({ n: ++n, finding })) }];
  });
}

/** Complete only when the sweep says so and named no unread scope: silence must not be ambiguous. */
export function isComplete(report: Report): boolean {
  return report.complete && report.errors.length === 0;
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** "1 critical, 0 high, 2 medium, 0 low" */
export function severitySummary(findings: Finding[]): string {
  const counts = countBySeverity(findings);
  return SEVERITIES.map((s) => `${counts[s]} ${s}`).join(", ");
}

export function coverageSummary(report: Report): string {
  const c = report.coverage;
  return (
    `${c.applications} applications, ${c.servicePrincipals} service principals, ${c.subscriptions} subscriptions, ` +
    `${c.registries} registries, ${c.tokens} tokens, ${c.managedClusters} AKS clusters; ${c.credentials} credentials examined`
  );
}

const SUBJECT_LABEL: Record<SubjectType, string> = {
  application: "app",
  servicePrincipal: "service principal",
  acrToken: "ACR token",
  registry: "registry",
  managedCluster: "AKS cluster",
};

export function subjectType(f: Finding): string {
  return SUBJECT_LABEL[f.subject.type];
}

/** What the finding is about beyond its kind: the credential, or the role-gap reason. */
export function detail(f: Finding): string {
  const c = f.credential;
  if (c) {
    const name = c.name ? ` ${clean(c.name)}` : ` ${clean(c.id)}`;
    return `${c.type}${name}${c.rotated ? " (rotated)" : ""}`;
  }
  return f.reason ?? "";
}

function isoDate(value: string): string {
  return /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0] ?? clean(value);
}

/**
 * "in 5 d (2026-11-30)", "expired 2026-11-23", "no expiry"; "" when no credential. An expired
 * credential shows its date, not a count: daysLeft is floored (-2 for 1.5 days ago), and "2 d ago"
 * beside a message saying "1 day ago" would read as a contradiction.
 */
export function when(f: Finding): string {
  const c = f.credential;
  if (!c) return "";
  if (c.endDateTime === null) return "no expiry";
  const date = isoDate(c.endDateTime);
  const d = c.daysLeft;
  if (d === null) return date;
  if (f.kind === "credential-expired" || d < 0) return `expired ${date}`;
  return d === 0 ? `in <1 d (${date})` : `in ${d} d (${date})`;
}

export function names(values: string[]): string {
  return values.map(clean).join(", ");
}

/** One line for a log: findings by severity, what was read, and what was not. */
export function summarizeReport(report: Report): string {
  const unread = [...new Set(report.errors.map((e) => clean(e.scope)))];
  const status = isComplete(report) ? "complete" : `INCOMPLETE, could not read: ${unread.join(", ")}`;
  return `credwatch sweep of tenant ${clean(report.tenantId)}: ${report.findings.length} findings (${severitySummary(report.findings)}); read ${coverageSummary(report)}; ${status}`;
}

/** "suppressed by rule 1: Entra Connect rotates it (until 2027-06-30, by alice)"; "" when not suppressed. */
export function suppressionNote(f: Finding): string {
  const s = f.suppressed;
  if (!s) return "";
  const extras = [s.until ? `until ${isoDate(s.until)}` : null, s.by ? `by ${clean(s.by)}` : null].filter(Boolean);
  return `suppressed by ${clean(s.source)}: ${clean(s.reason)}${extras.length > 0 ? ` (${extras.join(", ")})` : ""}`;
}

export function suppressedCount(report: Report): number {
  return report.findings.filter((f) => f.suppressed).length;
}

/** Rules worth a person's attention: those that matched nothing, and those past their date. */
export function staleRuleNotes(report: Report): string[] {
  return (report.suppressions ?? []).flatMap((rule) => {
    if (rule.expired) return [`Suppression rule ${rule.index} (${clean(rule.reason)}) expired on ${isoDate(rule.until ?? "")}: its findings alert again; remove or renew it.`];
    if (rule.matched === 0) return [`Suppression rule ${rule.index} (${clean(rule.reason)}) matched nothing: remove it if it is stale.`];
    return [];
  });
}
