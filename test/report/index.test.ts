import { describe, expect, it } from "vitest";
import { FORMATS, renderCsv, renderHtml, renderJson, renderMarkdown, renderReport, renderTable } from "../../shared/report/index.js";
import { aReport, everyKind } from "./builders.js";

describe("renderReport", () => {
  const report = aReport({ findings: everyKind() });

  it("offers the five formats", () => {
    expect([...FORMATS].sort()).toEqual(["csv", "html", "json", "markdown", "table"]);
  });

  it("dispatches to each renderer", () => {
    expect(renderReport(report, "json")).toBe(renderJson(report));
    expect(renderReport(report, "markdown")).toBe(renderMarkdown(report));
    expect(renderReport(report, "csv")).toBe(renderCsv(report));
    expect(renderReport(report, "html")).toBe(renderHtml(report));
    expect(renderReport(report, "table")).toBe(renderTable(report, { color: false }));
    expect(renderReport(report, "table", { color: true, width: 120 })).toBe(renderTable(report, { color: true, width: 120 }));
  });
});
