// The report as one self-contained HTML page: inline CSS, inline SVG and one inline script, no
// request to anything (it is opened from mail, pipeline artifacts, behind firewalls). A strict CSP
// allows exactly that stylesheet and script by hash, so even markup that slipped past escaping
// could not run or load anything. Every report string goes through html`` (html-escape.ts).
import { createHash } from "node:crypto";
import type { Report } from "../model.js";
import { html, trusted } from "./html-escape.js";
import { findingsTable } from "./html-findings.js";
import { iconDefinitions } from "./html-icons.js";
import { ownersSection } from "./html-owners.js";
import { SCRIPT } from "./html-script.js";
import { STYLE } from "./html-style.js";
import { blastRadius, header, status } from "./html-summary.js";
import { timeline } from "./html-timeline.js";
import { countBySeverity, groupBySeverity, isComplete } from "./present.js";

const hash = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

const CSP = [
  "default-src 'none'",
  `style-src ${hash(STYLE)}`,
  `script-src ${hash(SCRIPT)}`,
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

function title(report: Report): string {
  const state = isComplete(report) ? "" : "INCOMPLETE, ";
  return `credwatch: ${state}${countBySeverity(report.findings).critical} critical, ${report.findings.length} findings (tenant ${report.tenantId})`;
}

export function renderHtml(report: Report): string {
  const findings = groupBySeverity(report.findings).flatMap((group) => group.findings);
  const critical = findings.filter((x) => x.finding.severity === "critical");
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title(report)}</title>
<link rel="icon" href="data:,">
<style>${trusted(STYLE)}</style>
</head>
<body>
${iconDefinitions()}
<a class="skip" href="#findings">Skip to all findings</a>
<main>
${header(report)}
${status(report)}
${blastRadius(critical)}
${timeline(findings, report.sweptAt)}
${findingsTable(findings)}
${ownersSection(findings)}
</main>
<footer>credwatch report, schema version ${report.schemaVersion}. This page is self-contained: it loads nothing from the network.</footer>
<script>${trusted(SCRIPT)}</script>
</body>
</html>
`;
  return page.value;
}
