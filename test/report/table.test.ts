import { describe, expect, it } from "vitest";
import { renderTable } from "../../shared/report/table.js";
import { aCredential, aFinding, anError, aReport, everyKind } from "./builders.js";

const ESC = "\x1b";
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

describe("renderTable", () => {
  const report = aReport({ findings: everyKind() });

  it("starts with the tenant, time, coverage and status", () => {
    const lines = renderTable(report, { color: false }).split("\n");
    expect(lines[0]).toBe("credwatch report for tenant 44444444-4444-4444-4444-444444444444, swept at 2026-11-25T06:00:00Z");
    expect(lines[1]).toContain("12 applications, 14 service principals, 2 subscriptions, 3 registries, 2 tokens, 2 AKS clusters; 40 credentials");
    expect(lines[2]).toBe("Status: COMPLETE. Findings: 6 (2 critical, 1 high, 2 medium, 1 low).");
  });

  it("groups findings by severity, critical first, most urgent first within a group", () => {
    const text = renderTable(report, { color: false });
    const headings = text.split("\n").filter((line) => /^(CRITICAL|HIGH|MEDIUM|LOW) \(\d+\)$/.test(line));
    expect(headings).toEqual(["CRITICAL (2)", "HIGH (1)", "MEDIUM (2)", "LOW (1)"]);
    expect(text.indexOf("│ #1 ")).toBeLessThan(text.indexOf("│ #2 "));
    expect(text).toMatch(/│ #1 +│ CRITICAL │ credential-expiring/);
    expect(text).toMatch(/│ #2 +│ CRITICAL │ network-blocked/);
    expect(text).toMatch(/│ #6 +│ LOW +│ credential-long-lived/);
  });

  it("shows when, impact, and every fix command unwrapped under the table", () => {
    const text = renderTable(report, { color: false });
    expect(text).toMatch(/in 5 d +│[^\n]*\n[^\n]*\(2026-11-30\)/);
    expect(text).toMatch(/expired +│[^\n]*\n[^\n]*2026-11-23/);
    expect(text).toContain("no expiry");
    expect(text).toContain("ACR: acrprod");
    expect(text).toContain("AKS: aks-prod");
    for (const command of everyKind().flatMap((f) => f.fix)) {
      expect(text.split("\n")).toContain(`    ${command}`);
    }
    expect(text).toContain("    owners: alice@contoso.example");
  });

  it.each([
    [{ daysLeft: 0, endDateTime: "2026-11-25T12:00:00Z" }, "in <1 d"],
    [{ daysLeft: 12, window: 14, rotated: true }, "(rotated)"],
  ])("words edge cases: %j", (credential, expected) => {
    expect(renderTable(aReport({ findings: [aFinding({ credential: aCredential(credential) })] }), { color: false })).toContain(expected);
  });

  it.each([100, 120])("fits its tables in %i columns", (width) => {
    const many = aReport({
      findings: [
        ...everyKind(),
        aFinding({ id: "long", subject: { type: "application", id: "x", name: "a".repeat(80) }, impact: { registries: ["r".repeat(60)], clusters: [] } }),
      ],
    });
    const text = renderTable(many, { color: false, width });
    const tableLines = text.split("\n").filter((line) => /^[┌│├└]/.test(line));
    expect(tableLines.length).toBeGreaterThan(10);
    for (const line of tableLines) expect(line.length).toBeLessThanOrEqual(width);
    expect(text).not.toContain("…");
  });

  it("puts an incomplete sweep's unread scopes first, and says so again at the end", () => {
    const text = renderTable(aReport({ complete: false, errors: [anError()], findings: [aFinding()] }), { color: false });
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("INCOMPLETE: 1 scope(s) could not be read; problems there are not in this report.");
    expect(lines[1]).toBe(
      "  - arm /subscriptions/33333333-3333-3333-3333-333333333333 (HTTP 403): AuthorizationFailed: the client cannot read role assignments",
    );
    expect(text).toContain("Status: INCOMPLETE.");
    expect(lines.at(-1)).toMatch(/^INCOMPLETE/);
  });

  it("says all clear only for a complete sweep", () => {
    expect(renderTable(aReport(), { color: false })).toContain("No findings: all clear.");
    const incomplete = renderTable(aReport({ complete: false, errors: [anError({ status: null })] }), { color: false });
    expect(incomplete).toContain("No findings in what could be read. This is not an all-clear");
    expect(incomplete).not.toContain("all clear.");
    expect(incomplete).not.toContain("(HTTP");
  });

  it("treats errors without complete: false as incomplete all the same", () => {
    expect(renderTable(aReport({ complete: true, errors: [anError()] }), { color: false })).toMatch(/^INCOMPLETE/);
  });

  it("uses no ANSI codes without color", () => {
    expect(renderTable(report, { color: false })).not.toContain(ESC);
  });

  it("colors severities with the word still printed", () => {
    const text = renderTable(report, { color: true });
    expect(text).toContain(ESC);
    expect(text).toMatch(/\x1b\[[0-9;]+mCRITICAL\x1b\[0m/);
    expect(text).toMatch(/\x1b\[[0-9;]+mLOW\x1b\[0m/);
    expect(plain(text)).toBe(renderTable(report, { color: false }));
  });

  it("strips escapes and control characters from untrusted strings", () => {
    for (const color of [false, true]) {
      const text = renderTable(aReport({ findings: everyKind(), tenantId: "t\x1b]0;title\x07", errors: [anError({ message: "no\x1b[2J" })], complete: false }), { color });
      expect(plain(text)).not.toContain(ESC);
      expect(text).not.toContain("[2J");
      expect(text).not.toMatch(/[\x00-\x09\x0b-\x1a\x1c-\x1f\x7f-\x9f]/);
    }
    expect(renderTable(report, { color: false })).toContain('=HYPERLINK("https://evil.example","x")');
  });
});
