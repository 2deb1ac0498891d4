// What one channel should be told in this run, from the report and the channel's ledger entries.
// Pure: no I/O, the clock is an argument.
import type { Report } from "../model.js";
import { severityRank } from "../analyze/severity.js";
import type { ChannelState, LedgerEntry } from "./ledger.js";
import { isResolved, onEarlierDay, stepFor } from "./steps.js";
import type { Alert, AlertReason } from "./types.js";

const REASON_ORDER: Record<AlertReason, number> = { escalated: 0, new: 1, repeat: 2, resolved: 3 };

export interface ChannelPlan {
  /** What to tell, most urgent first. */
  alerts: Alert[];
  /** Entries of suppressed findings, to remove unannounced: when the suppression ends, the finding is new. */
  forget: LedgerEntry[];
}

/**
 * The plan for one channel: each finding at most once, for the step that matters (new, escalated,
 * still critical on a later UTC day); each told finding that is gone from a sweep that read its
 * scope, resolved. Alerts are ordered most urgent first (severity, then reason, then id) for stable
 * digests. A suppressed finding is present (never resolved) but tells nothing; its entry, if the
 * channel has one, is forgotten.
 */
export function planChannel(report: Report, entries: LedgerEntry[], now: Date): ChannelPlan {
  const told = new Map(entries.map((entry) => [entry.findingId, entry]));
  const alerts: Alert[] = [];
  const forget: LedgerEntry[] = [];
  const present = new Set<string>();
  for (const finding of report.findings) {
    if (present.has(finding.id)) continue;
    present.add(finding.id);
    const entry = told.get(finding.id);
    if (finding.suppressed) {
      if (entry) forget.push(entry);
      continue;
    }
    const reason = stepFor(finding, entry, now);
    if (reason === null) continue;
    alerts.push({ id: finding.id, reason, finding, ...(entry ? { previous: entry.notified } : {}) });
  }
  for (const entry of entries) {
    if (present.has(entry.findingId) || !isResolved(entry, report)) continue;
    alerts.push({ id: entry.findingId, reason: "resolved", previous: entry.notified });
  }
  return { alerts: alerts.sort(byUrgency), forget };
}

/** The alerts of planChannel. */
export function planAlerts(report: Report, entries: LedgerEntry[], now: Date): Alert[] {
  return planChannel(report, entries, now).alerts;
}

/** Resolved notes last; the rest by severity, then reason, then id. */
function byUrgency(a: Alert, b: Alert): number {
  const resolved = Number(a.reason === "resolved") - Number(b.reason === "resolved");
  const severity = (alert: Alert) => severityRank((alert.finding ?? alert.previous)!.severity);
  return resolved || severity(a) - severity(b) || REASON_ORDER[a.reason] - REASON_ORDER[b.reason] || compareText(a.id, b.id);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether to send a digest with no alerts: a heartbeat when asked for, or — heartbeat or not — a
 * note that the sweep was incomplete (silence must not be ambiguous, DESIGN §5). Once per UTC day
 * per channel: a same-day re-run, or a day that already had a digest, says nothing more.
 */
export function wantsEmptyDigest(report: Report, heartbeat: boolean, state: ChannelState | null, now: Date): boolean {
  if (!heartbeat && report.complete) return false;
  return state === null || onEarlierDay(state.lastDigestAt, now);
}
