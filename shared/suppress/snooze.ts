// Snoozes and acknowledgements from Slack: suppressions someone asked for with a button, kept in the
// alert ledger and applied like rules (source "slack") before alerts are planned. Pure: the ledger
// read and write happen at the edges (alert-tenant.ts, functions/slack-interactions.ts).
//
// How long (docs/suppressions.md). Days are counted in UTC calendar days and end at midnight: a
// snooze made any time on 2026-11-25 ends at 2026-12-02T00:00Z, so the nightly digest of the 7th day
// after the click tells the finding again (as new), whatever the hour of the click.
// - "Snooze 7 days": until midnight UTC 7 days after the click.
// - "Acknowledge until expiry": a credential finding until the credential's end date; a finding with
//   no end date ahead (not a credential, an expired credential, a token password without expiry):
//   30 days.
// - Critical findings: 7 days at most, whatever was asked — also when the finding turns critical
//   only after it was snoozed (checked when the snooze is applied).
// - Nothing longer than 365 days from a button: a longer silence belongs in CREDWATCH_SUPPRESSIONS.
import type { Finding, Report, Severity } from "../model.js";
import { isExpired, markSuppressed } from "./apply.js";

export type SnoozeAction = "snooze" | "acknowledge";

/** One finding snoozed or acknowledged, as the ledger keeps it (the latest per finding). */
export interface Snooze {
  findingId: string;
  action: SnoozeAction;
  /** ISO time it ends: from this instant the finding alerts again (as new). */
  until: string;
  /** Who asked: "@alice (U0ALICE)". */
  by: string;
  /** "snoozed in Slack by @alice" / "acknowledged in Slack by @alice". */
  reason: string;
  /** ISO time it was asked for. */
  at: string;
}

export const SNOOZE_DAYS = 7;
export const ACKNOWLEDGE_DAYS = 30;
export const CRITICAL_MAX_DAYS = 7;
export const MAX_DAYS = 365;

/** What a button knows of its finding (carried in its value). */
export interface SnoozeTarget {
  findingId: string;
  severity: Severity;
  /** The credential's end date; null when the finding is not about a dated credential. */
  credentialEnd: string | null;
}

/** Midnight UTC starting the calendar day `days` after the day of `at`. */
export function daysAfter(at: Date, days: number): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + days));
}

/** What the action asks for, before any cap. */
export function requestedUntil(target: SnoozeTarget, action: SnoozeAction, at: Date): Date {
  if (action === "snooze") return daysAfter(at, SNOOZE_DAYS);
  const end = target.credentialEnd === null ? Number.NaN : Date.parse(target.credentialEnd);
  return Number.isFinite(end) && end > at.getTime() ? new Date(end) : daysAfter(at, ACKNOWLEDGE_DAYS);
}

/** `requested`, cut to the longest a finding of this severity may be silenced from `at`. */
export function capUntil(severity: Severity, at: Date, requested: Date): Date {
  const days = severity === "critical" ? CRITICAL_MAX_DAYS : MAX_DAYS;
  return new Date(Math.min(requested.getTime(), daysAfter(at, days).getTime()));
}

/** The snooze record for a click: what was asked, capped. `who` is how the person is named ("@alice"). */
export function snoozeFor(target: SnoozeTarget, action: SnoozeAction, at: Date, who: { name: string; id: string }): Snooze {
  const until = capUntil(target.severity, at, requestedUntil(target, action, at));
  return {
    findingId: target.findingId,
    action,
    until: until.toISOString(),
    by: who.name === who.id ? who.id : `${who.name} (${who.id})`,
    reason: `${action === "snooze" ? "snoozed" : "acknowledged"} in Slack by ${who.name}`,
    at: at.toISOString(),
  };
}

/** When a snooze ends for the finding as it is now: a finding that is critical now gets 7 days at most. */
export function snoozeEnd(snooze: Snooze, finding: Pick<Finding, "severity">): string {
  const at = new Date(snooze.at);
  return capUntil(finding.severity, at, new Date(snooze.until)).toISOString();
}

/** The latest snooze per finding id. */
export function latestSnoozes(snoozes: readonly Snooze[]): Map<string, Snooze> {
  const latest = new Map<string, Snooze>();
  for (const snooze of snoozes) {
    const held = latest.get(snooze.findingId);
    if (!held || Date.parse(snooze.at) >= Date.parse(held.at)) latest.set(snooze.findingId, snooze);
  }
  return latest;
}

/**
 * Findings with a live snooze marked suppressed (source "slack"). Findings a rule already suppresses
 * keep the rule's mark; a snooze that has ended suppresses nothing, so the finding alerts as new.
 */
export function applySnoozes(findings: readonly Finding[], snoozes: readonly Snooze[], now: Date): Finding[] {
  if (snoozes.length === 0) return [...findings];
  const latest = latestSnoozes(snoozes);
  return markSuppressed(findings, (finding) => {
    const snooze = latest.get(finding.id);
    if (!snooze) return null;
    const until = snoozeEnd(snooze, finding);
    if (isExpired({ until }, now)) return null;
    return { reason: snooze.reason, until, by: snooze.by, source: "slack" };
  });
}

/** "Snoozed until 2026-12-02 by @alice" — what replaces the buttons of the alert that was clicked. */
export function snoozeLine(snooze: Snooze, name: string): string {
  return `${snooze.action === "snooze" ? "Snoozed" : "Acknowledged"} until ${snooze.until.slice(0, 10)} by ${name}`;
}

/** The report with its findings' live snoozes marked. */
export function withSnoozes(report: Report, snoozes: readonly Snooze[], now: Date): Report {
  return snoozes.length === 0 ? report : { ...report, findings: applySnoozes(report.findings, snoozes, now) };
}
