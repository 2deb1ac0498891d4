import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, renderCsv } from "../../shared/report/csv.js";
import { aCredential, aFinding, aReport, everyKind, FORMULA } from "./builders.js";
import { parseCsv } from "./csv-parse.js";

function rowsOf(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual([...CSV_COLUMNS]);
  return rows.map((row) => {
    expect(row).toHaveLength(CSV_COLUMNS.length);
    return Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, row[i]!]));
  });
}

describe("renderCsv", () => {
  it("writes a header and one CRLF-terminated record per finding, by severity", () => {
    const text = renderCsv(aReport({ findings: everyKind() }));
    const rows = rowsOf(text);
    expect(rows.map((r) => r.severity)).toEqual(["critical", "critical", "high", "medium", "medium", "low"]);
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it("writes only the header when there are no findings", () => {
    expect(rowsOf(renderCsv(aReport()))).toEqual([]);
  });

  it("reads back every column of a credential finding", () => {
    const finding = aFinding({ owners: ["alice@contoso.example", "bob@contoso.example"] });
    const [row] = rowsOf(renderCsv(aReport({ findings: [finding] })));
    expect(row).toEqual({
      id: finding.id,
      kind: "credential-expiring",
      severity: "critical",
      subject_type: "application",
      subject_name: "ci-pull",
      subject_id: "app-object-1",
      app_id: finding.subject.appId,
      credential_type: "secret",
      credential_id: finding.credential!.id,
      credential_name: "ci-2025",
      end_date_time: "2026-11-30T00:00:00Z",
      days_left: "5",
      window: "7",
      rotated: "false",
      registry: "",
      cluster: "",
      reason: "",
      impact_registries: "acrprod",
      impact_clusters: "aks-prod",
      owners: "alice@contoso.example;bob@contoso.example",
      message: finding.message,
      fix: finding.fix.join("\n"),
      suppressed: "",
    });
  });

  it("leaves credential columns empty for other findings and fills registry, cluster, reason", () => {
    const row = rowsOf(renderCsv(aReport({ findings: everyKind() }))).find((r) => r.kind === "role-gap")!;
    expect(row).toMatchObject({ credential_type: "", days_left: "", rotated: "", registry: "acr|missing", cluster: "aks-dev", reason: "unknown-registry", fix: "" });
  });

  it("guards cells a spreadsheet would run as formulas", () => {
    const findings = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", FORMULA].map((name, i) =>
      aFinding({ id: `f${i}`, subject: { type: "application", id: `o${i}`, name }, message: name }),
    );
    const rows = rowsOf(renderCsv(aReport({ findings })));
    expect(rows.map((r) => r.subject_name).sort()).toEqual(["'+1", "'-1", "'=1", "'=1+1", `'${FORMULA}`, "'@SUM(A1)"].sort());
    for (const r of rows) expect(r.message).toMatch(/^'/);
  });

  it("keeps negative numbers as numbers", () => {
    const finding = aFinding({ kind: "credential-expired", credential: aCredential({ daysLeft: -2, window: null }) });
    const [row] = rowsOf(renderCsv(aReport({ findings: [finding] })));
    expect(row!.days_left).toBe("-2");
    expect(row!.window).toBe("");
  });

  it("strips terminal escapes before guarding, so an escape cannot hide a formula", () => {
    const row = rowsOf(renderCsv(aReport({ findings: everyKind() }))).find((r) => r.kind === "credential-long-lived")!;
    expect(row.subject_name).toBe(`'${FORMULA}`);
    expect(renderCsv(aReport({ findings: everyKind() }))).not.toMatch(/[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]/);
  });

  it("quotes hostile markup as plain data", () => {
    const row = rowsOf(renderCsv(aReport({ findings: everyKind() }))).find((r) => r.kind === "credential-expired")!;
    expect(row.subject_name).toBe("<!channel> *urgent* & <https://evil.example|click here>");
    expect(row.credential_name).toBe("");
    expect(row.owners).toBe("");
  });
});

describe("renderCsv of a suppressed finding", () => {
  it("says who suppressed it, why and until when", () => {
    const finding = aFinding({ suppressed: { reason: "accepted risk", until: "2027-06-30T23:59:59.999Z", by: "alice", source: "rule 2" } });
    const [row] = rowsOf(renderCsv(aReport({ findings: [finding] })));
    expect(row!.suppressed).toBe("suppressed by rule 2: accepted risk (until 2027-06-30, by alice)");
  });
});
