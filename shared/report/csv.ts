// One CSV row per finding (RFC 4180: CRLF between records, quoted fields where needed), for
// spreadsheets. Cells that a spreadsheet would run as a formula get a leading ' (OWASP CSV
// injection); numbers are written as numbers, so a days_left of -2 stays -2.
import { stringify } from "csv-stringify/sync";
import type { Finding, Report } from "../model.js";
import { groupBySeverity, suppressionNote } from "./present.js";
import { clean } from "./text.js";

export const CSV_COLUMNS = [
  "id",
  "kind",
  "severity",
  "subject_type",
  "subject_name",
  "subject_id",
  "app_id",
  "credential_type",
  "credential_id",
  "credential_name",
  "end_date_time",
  "days_left",
  "window",
  "rotated",
  "registry",
  "cluster",
  "reason",
  "impact_registries",
  "impact_clusters",
  "owners",
  "message",
  "fix",
  "suppressed",
] as const;

type Cell = string | number | null | undefined;

/** Lists inside one cell. */
const joined = (values: string[] | undefined) => (values ?? []).map(clean).join(";");

function record(f: Finding): Record<(typeof CSV_COLUMNS)[number], Cell> {
  const c = f.credential;
  const text = (value: string | null | undefined) => (value == null ? null : clean(value));
  return {
    id: text(f.id),
    kind: f.kind,
    severity: f.severity,
    subject_type: f.subject.type,
    subject_name: text(f.subject.name),
    subject_id: text(f.subject.id),
    app_id: text(f.subject.appId),
    credential_type: c?.type,
    credential_id: text(c?.id),
    credential_name: text(c?.name),
    end_date_time: text(c?.endDateTime),
    days_left: c?.daysLeft,
    window: c?.window,
    rotated: c ? String(c.rotated) : null,
    registry: text(f.registry),
    cluster: text(f.cluster),
    reason: f.reason,
    impact_registries: joined(f.impact.registries),
    impact_clusters: joined(f.impact.clusters),
    owners: joined(f.owners),
    message: text(f.message),
    // One command per line: the reset must not run together with the delete that follows it
    // once consumers have moved, which is what `&&` would suggest.
    fix: f.fix.map(clean).join("\n"),
    suppressed: suppressionNote(f),
  };
}

export function renderCsv(report: Report): string {
  const findings = groupBySeverity(report.findings).flatMap((group) => group.findings.map((n) => n.finding));
  return stringify(findings.map(record), {
    header: true,
    columns: [...CSV_COLUMNS],
    record_delimiter: "windows",
    // Giving record_delimiter turns this off; fix cells hold \n and must still be quoted.
    quote_record_delimiter: true,
    escape_formulas: true,
  });
}
