// How a sweep's outcome maps to HTTP: what a caller (a pipeline, curl) can rely on.
import type { Report } from "../model.js";
import type { ReportFormat } from "../report/index.js";

/** The formats an HTTP caller can ask for (the terminal table is for terminals). */
export const HTTP_FORMATS = ["json", "markdown", "csv", "html"] as const satisfies readonly ReportFormat[];
export type HttpFormat = (typeof HTTP_FORMATS)[number];

export const CONTENT_TYPES: Record<HttpFormat, string> = {
  json: "application/json; charset=utf-8",
  markdown: "text/markdown; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  html: "text/html; charset=utf-8",
};

/** How long a caller polling a fan-out sweep's status is asked to wait between requests (Retry-After). */
export const RETRY_AFTER_SECONDS = 10;

/** Scopes whose failure means the sweep saw nothing of the tenant at all. */
const WHOLE_TENANT_SCOPES = new Set(["authentication"]);
const GRAPH_COLLECTIONS = ["applications", "servicePrincipals"];

/**
 * True when the sweep could read nothing: it could not authenticate, or neither Graph collection
 * nor the subscription listing could be read. Such a report answers 502: a 200 would let a caller
 * mistake an empty report for a clean tenant.
 */
export function readNothing(report: Report): boolean {
  const scopes = new Set(report.errors.filter((e) => e.source !== "config").map((e) => e.scope));
  if ([...scopes].some((s) => WHOLE_TENANT_SCOPES.has(s))) return true;
  return GRAPH_COLLECTIONS.every((c) => scopes.has(c)) && scopes.has("subscriptions");
}
