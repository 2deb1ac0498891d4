// One entry point for every report format.
import type { Report } from "../model.js";
import { renderCsv } from "./csv.js";
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import { renderTable } from "./table.js";

export const FORMATS = ["table", "json", "markdown", "csv", "html"] as const;
export type ReportFormat = (typeof FORMATS)[number];

export interface RenderOptions {
  /** Table only: ANSI colors (default false). */
  color?: boolean;
  /** Table only: terminal columns (default 100). */
  width?: number;
}

export function renderReport(report: Report, format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case "table":
      return renderTable(report, { color: options.color ?? false, width: options.width });
    case "json":
      return renderJson(report);
    case "markdown":
      return renderMarkdown(report);
    case "csv":
      return renderCsv(report);
    case "html":
      return renderHtml(report);
  }
}

export { renderCsv, renderHtml, renderJson, renderMarkdown, renderTable };
export { CSV_COLUMNS } from "./csv.js";
export type { TableOptions } from "./table.js";
