// The report for a terminal: what could not be read first, then a table per severity, each
// followed by its findings' messages and fix commands. Commands stay outside the table so they
// are never wrapped or framed and copy cleanly.
import Table from "cli-table3";
import type { CollectionError, Finding, Report, Severity } from "../model.js";
import {
  coverageSummary,
  detail,
  groupBySeverity,
  isComplete,
  names,
  severitySummary,
  staleRuleNotes,
  subjectType,
  suppressedCount,
  suppressionNote,
  when,
} from "./present.js";
import { clean } from "./text.js";

export interface TableOptions {
  /** ANSI colors; the severity word is printed either way. */
  color: boolean;
  /** Terminal columns to fit the tables in; default 100. */
  width?: number;
}

const RESET = "\x1b[0m";
const STYLE: Record<Severity | "alert" | "heading", string> = {
  critical: "\x1b[1;97;41m",
  high: "\x1b[1;31m",
  medium: "\x1b[33m",
  low: "\x1b[36m",
  alert: "\x1b[1;31m",
  heading: "\x1b[1m",
};

// # | Severity | Finding | When fit their longest usual content; Subject and Impact share the rest.
const FIXED = { n: 5, severity: 10, finding: 23, when: 18 };
const BORDERS = 7;
const MIN_SHARED = 24;

/** cli-table3 wraps on spaces only and truncates a longer word; names and ids without spaces
 *  are split instead, so nothing is cut off. */
function breakLongWords(text: string, columnWidth: number): string {
  const room = columnWidth - 2;
  return text
    .split("\n")
    .map((line) => line.replace(new RegExp(`\\S{${room + 1},}`, "g"), (word) => word.match(new RegExp(`.{1,${room}}`, "g"))!.join(" ")))
    .join("\n");
}

function errorLine(e: CollectionError): string {
  const status = e.status === null ? "" : ` (HTTP ${e.status})`;
  return `  - ${e.source} ${clean(e.scope)}${status}: ${clean(e.message)}`;
}

function impact(f: Finding): string {
  const { registries, clusters } = f.impact;
  const lines = [];
  if (registries.length > 0) lines.push(`ACR: ${names(registries)}`);
  if (clusters.length > 0) lines.push(`AKS: ${names(clusters)}`);
  return lines.length > 0 ? lines.join("\n") : "none";
}

export function renderTable(report: Report, options: TableOptions): string {
  const paint = (text: string, style: keyof typeof STYLE) => (options.color ? `${STYLE[style]}${text}${RESET}` : text);
  const shared = Math.max(MIN_SHARED, (options.width ?? 100) - BORDERS - FIXED.n - FIXED.severity - FIXED.finding - FIXED.when);
  const widths = [FIXED.n, FIXED.severity, FIXED.finding, Math.ceil(shared / 2), FIXED.when, Math.floor(shared / 2)];
  const complete = isComplete(report);
  const groups = groupBySeverity(report.findings);
  const out: string[] = [];

  if (!complete) {
    out.push(
      paint(`INCOMPLETE: ${report.errors.length} scope(s) could not be read; problems there are not in this report.`, "alert"),
      ...report.errors.map(errorLine),
      "",
    );
  }
  out.push(
    paint(`credwatch report for tenant ${clean(report.tenantId)}, swept at ${clean(report.sweptAt)}`, "heading"),
    `Read: ${coverageSummary(report)}.`,
    `Status: ${complete ? "COMPLETE" : paint("INCOMPLETE", "alert")}. Findings: ${report.findings.length} (${severitySummary(report.findings)})` +
      `${suppressedCount(report) > 0 ? `, ${suppressedCount(report)} suppressed` : ""}.`,
    "",
  );

  if (groups.length === 0) {
    out.push(
      complete
        ? "No findings: all clear."
        : "No findings in what could be read. This is not an all-clear: the scopes listed above were not read.",
    );
  }
  for (const group of groups) {
    const table = new Table({
      head: ["#", "Severity", "Finding", "Subject", "When", "Impact"],
      colWidths: widths,
      wordWrap: true,
      style: { head: [], border: [] },
    });
    for (const n of group.findings) {
      const f = n.finding;
      const cells = [
        `${f.kind}\n${detail(f)}${f.suppressed ? "\n(suppressed)" : ""}`.trim(),
        `${subjectType(f)}\n${clean(f.subject.name)}`,
        when(f) || "—",
        impact(f),
      ].map((text, i) => breakLongWords(text, widths[i + 2]!));
      table.push([`#${n.n}`, paint(f.severity.toUpperCase(), f.severity), ...cells]);
    }
    out.push(paint(`${group.severity.toUpperCase()} (${group.findings.length})`, group.severity), table.toString(), "");
    for (const { n, finding: f } of group.findings) {
      out.push(`#${n}  ${clean(f.message)}`);
      if (f.owners && f.owners.length > 0) out.push(`    owners: ${names(f.owners)}`);
      if (f.suppressed) out.push(`    ${suppressionNote(f)}`);
      out.push(...f.fix.map((command) => `    ${clean(command)}`), "");
    }
  }
  const stale = staleRuleNotes(report);
  if (stale.length > 0) out.push(...stale, "");
  if (!complete && groups.length > 0) {
    out.push(paint(`INCOMPLETE: ${report.errors.length} scope(s) were not read (listed at the top).`, "alert"));
  }
  return `${out.join("\n").trimEnd()}\n`;
}
