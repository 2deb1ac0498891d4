// The report as a Markdown document (GitHub-flavoured: tables). Untrusted strings are either
// code spans (names, ids, scopes: nothing inside a code span is markup) or escaped prose
// (messages), so a display name cannot add links, mentions, HTML, emphasis or table cells.
import { SEVERITIES, type CollectionError, type Report } from "../model.js";
import {
  coverageSummary,
  countBySeverity,
  detail,
  groupBySeverity,
  isComplete,
  staleRuleNotes,
  subjectType,
  suppressedCount,
  suppressionNote,
  when,
  type NumberedFinding,
} from "./present.js";
import { clean } from "./text.js";

const HTML_ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Prose: backslash-escape the inline markup characters (and `|`, which ends a table cell); turn
 *  `&`, `<`, `>` into entities so no HTML, autolink or entity gets through. */
export function escapeText(value: string): string {
  return clean(value)
    .replace(/[\\`*_[\]~|$]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => HTML_ENTITY[c]!);
}

/** A code span fenced with more backticks than the value holds in a row. In a table cell a `|`
 *  still needs its backslash (GFM splits cells before it reads code spans). */
export function codeSpan(value: string, inTable = true): string {
  const text = clean(value);
  if (text === "") return "—";
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const padded = text.startsWith("`") || text.endsWith("`") ? ` ${text} ` : text;
  return `${fence}${inTable ? padded.replace(/\|/g, "\\|") : padded}${fence}`;
}

/** A fenced block longer than any backtick run inside, so a command cannot close it. */
function codeBlock(lines: string[]): string[] {
  const body = lines.map(clean);
  const longest = Math.max(0, ...body.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}sh`, ...body, fence];
}

function list(values: string[]): string {
  return values.length > 0 ? values.map((v) => codeSpan(v)).join(", ") : "—";
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function errorRow(e: CollectionError): string {
  return row([e.source, codeSpan(e.scope), e.status === null ? "—" : String(e.status), escapeText(e.message)]);
}

function findingRow({ n, finding: f }: NumberedFinding): string {
  const impact = [
    f.impact.registries.length > 0 ? `ACR: ${list(f.impact.registries)}` : "",
    f.impact.clusters.length > 0 ? `AKS: ${list(f.impact.clusters)}` : "",
  ].filter(Boolean);
  return row([
    String(n),
    `${f.kind}${detail(f) ? `<br>${escapeText(detail(f))}` : ""}${f.suppressed ? "<br>*(suppressed)*" : ""}`,
    `${subjectType(f)} ${codeSpan(f.subject.name)}`,
    escapeText(when(f)) || "—",
    impact.length > 0 ? impact.join("<br>") : "none",
    f.owners && f.owners.length > 0 ? list(f.owners) : "—",
  ]);
}

function details({ n, finding: f }: NumberedFinding): string[] {
  const lines = [`**#${n}** ${escapeText(f.message)}`, ""];
  if (f.suppressed) lines.push(`*${escapeText(suppressionNote(f))}*`, "");
  return f.fix.length > 0 ? [...lines, ...codeBlock(f.fix), ""] : lines;
}

export function renderMarkdown(report: Report): string {
  const complete = isComplete(report);
  const groups = groupBySeverity(report.findings);
  const counts = countBySeverity(report.findings);
  const out = [
    "# credwatch report",
    "",
    `- Tenant: ${codeSpan(report.tenantId, false)}`,
    `- Swept at: ${codeSpan(report.sweptAt, false)}`,
    `- Status: ${complete ? "complete" : `**INCOMPLETE**: ${report.errors.length} scope(s) could not be read`}`,
    `- Read: ${escapeText(coverageSummary(report))}`,
    "",
  ];
  if (!complete) {
    out.push(
      "## Could not read",
      "",
      "Problems in these scopes are not in this report.",
      "",
      row(["Source", "Scope", "Status", "Error"]),
      row(["---", "---", "---", "---"]),
      ...report.errors.map(errorRow),
      "",
    );
  }
  out.push(
    "## Summary",
    "",
    row(["Severity", "Findings"]),
    row(["---", "---:"]),
    ...SEVERITIES.map((s) => row([s, String(counts[s])])),
    "",
  );
  const suppressed = suppressedCount(report);
  if (suppressed > 0) out.push(`${suppressed} of these findings are suppressed: reported, but not alerted.`, "");
  const stale = staleRuleNotes(report);
  if (stale.length > 0) out.push(...stale.map((note) => `- ${escapeText(note)}`), "");
  if (groups.length === 0) {
    out.push(
      complete
        ? "No findings: all clear."
        : "No findings in what could be read. This is not an all-clear: the scopes above were not read.",
      "",
    );
  }
  for (const group of groups) {
    const title = group.severity[0]!.toUpperCase() + group.severity.slice(1);
    out.push(
      `## ${title} (${group.findings.length})`,
      "",
      row(["#", "Finding", "Subject", "When", "Impact", "Owners"]),
      row(["---:", "---", "---", "---", "---", "---"]),
      ...group.findings.map(findingRow),
      "",
      ...group.findings.flatMap(details),
    );
  }
  return `${out.join("\n").trimEnd()}\n`;
}
