// The per-finding state machine: given a finding (or its absence) and what a channel was last told
// about it, which step — if any — is worth telling now. Pure; the clock is an argument.
import type { Finding, Report } from "../model.js";
import { severityRank } from "../analyze/severity.js";
import type { LedgerEntry } from "./ledger.js";
import { wasRead } from "./scope.js";
import type { AlertReason, NotifiedFinding } from "./types.js";

/** The stage of an expired credential: below every window (thresholds are at least 1 day). */
export const EXPIRED_STAGE = 0;

/**
 * How close a finding is to breaking: the expiry window it is in (days; the thresholds are
 * whatever analysis used), EXPIRED_STAGE once expired, null when it is not counting down.
 */
export function stageOf(finding: Finding): number | null {
  if (finding.kind === "credential-expired") return EXPIRED_STAGE;
  if (finding.kind === "credential-expiring") return finding.credential?.window ?? null;
  return null;
}

/** Whether `stage` is closer to breaking than `told` (not counting down counts as farthest). */
export function isCloser(stage: number | null, told: number | null): boolean {
  return stage !== null && (told === null || stage < told);
}

/** The UTC calendar day of a time, "YYYY-MM-DD": repeats and heartbeats are once per such day. */
export function utcDay(time: Date | string): string {
  return (typeof time === "string" ? new Date(time) : time).toISOString().slice(0, 10);
}

/** Whether `time` falls on a UTC day before the day of `now` (a clock gone backwards is not). */
export function onEarlierDay(time: string, now: Date): boolean {
  return utcDay(time) < utcDay(now);
}

/** What is remembered of a finding as sent. */
export function snapshotOf(finding: Finding): NotifiedFinding {
  return {
    id: finding.id,
    kind: finding.kind,
    severity: finding.severity,
    subjectType: finding.subject.type,
    subjectName: finding.subject.name,
    message: finding.message,
    ...(finding.registry !== undefined ? { registry: finding.registry } : {}),
    ...(finding.cluster !== undefined ? { cluster: finding.cluster } : {}),
  };
}

/** The step to tell about a present finding, given the channel's entry for it (if any). */
export function stepFor(finding: Finding, entry: LedgerEntry | undefined, now: Date): Exclude<AlertReason, "resolved"> | null {
  if (!entry) return "new";
  const worse = isCloser(stageOf(finding), entry.stage) || severityRank(finding.severity) < severityRank(entry.notified.severity);
  if (worse) return "escalated";
  if (finding.severity === "critical" && onEarlierDay(entry.notifiedAt, now)) return "repeat";
  return null;
}

/** Whether a told finding that is missing from the report is gone: only if its scope was read. */
export function isResolved(entry: LedgerEntry, report: Pick<Report, "errors" | "subscriptionsRead">): boolean {
  return wasRead(entry.scope, report.errors, report.subscriptionsRead);
}
