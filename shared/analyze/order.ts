// Deterministic ordering: code-point comparison (never locale-dependent), and the report order of
// findings — severity, then daysLeft (soonest first; findings without one after), then subject
// name, then id.

import type { Finding } from "../model.js";
import { severityRank } from "./severity.js";

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareFindings(a: Finding, b: Finding): number {
  const bySeverity = severityRank(a.severity) - severityRank(b.severity);
  if (bySeverity !== 0) return bySeverity;
  const da = a.credential?.daysLeft ?? null;
  const db = b.credential?.daysLeft ?? null;
  if (da !== db) {
    if (da === null) return 1;
    if (db === null) return -1;
    return da - db;
  }
  return compareText(a.subject.name, b.subject.name) || compareText(a.id, b.id);
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}
