// Intent and outcome records, and what to do with an intent a crashed run left behind. Pure.
//
// Crash safety rests on three facts:
// 1. The intent is written before the send and carries each alert's future entry, so its outcome
//    can be recorded later without the report that produced it.
// 2. The outcome write is idempotent and removes the intent last: entries already carrying the
//    intent's runId (or already removed, for resolved alerts) are skipped, so a half-written
//    outcome is completed, never doubled.
// 3. Any trace of the outcome (an entry or the channel state naming the runId) proves delivery:
//    outcomes are written only after a send succeeded.
// A silent intent (it only forgets suppressed findings' entries) sends nothing: its outcome is
// written at once and leaves the channel state alone, so it proves no delivery of anything.
import type { Alert } from "./types.js";
import type { ChannelLedger, ChannelName, ChannelState, Intent, IntentAlert, LedgerEntry, Outcome } from "./ledger.js";
import { findingScope } from "./scope.js";
import { snapshotOf, stageOf } from "./steps.js";

/** Past this age an unfinished intent is presumed abandoned (its run crashed or gave up). */
export const DEFAULT_LEASE_MS = 10 * 60_000;

/**
 * The intent of a run on a channel: its alerts, then the entries it forgets. `silent`: nothing is
 * to be sent (the alerts are then ignored by the caller and must be empty).
 */
export function intentFor(
  channel: ChannelName,
  runId: string,
  now: Date,
  alerts: readonly Alert[],
  forget: readonly Pick<LedgerEntry, "findingId">[] = [],
  options: { silent?: boolean } = {},
): Intent {
  const forgotten: IntentAlert[] = forget.map((entry) => ({ id: entry.findingId, reason: "forget", record: null }));
  return {
    runId,
    channel,
    at: now.toISOString(),
    alerts: [...alerts.map(intentAlert), ...forgotten],
    ...(options.silent ? { silent: true as const } : {}),
  };
}

/** Whether the intent sends nothing. */
export function isSilent(intent: Intent): boolean {
  return intent.silent === true;
}

function intentAlert(alert: Alert): IntentAlert {
  const finding = alert.reason === "resolved" ? undefined : alert.finding;
  return {
    id: alert.id,
    reason: alert.reason,
    record: finding ? { scope: findingScope(finding), notified: snapshotOf(finding), stage: stageOf(finding) } : null,
  };
}

/** The writes that record `intent` as delivered, given the channel's ledger as it is now. */
export function outcomeFor(intent: Intent, ledger: Pick<ChannelLedger, "entries" | "state">): Outcome {
  const told = new Map(ledger.entries.map((entry) => [entry.findingId, entry]));
  const put: LedgerEntry[] = [];
  const remove: LedgerEntry[] = [];
  for (const alert of intent.alerts) {
    const entry = told.get(alert.id);
    if (alert.record === null) {
      if (entry) remove.push(entry);
      continue;
    }
    if (entry?.runId === intent.runId) continue;
    put.push({
      channel: intent.channel,
      findingId: alert.id,
      ...alert.record,
      notifiedAt: intent.at,
      runId: intent.runId,
      ...(entry?.etag !== undefined ? { etag: entry.etag } : {}),
    });
  }
  const state: ChannelState | null = isSilent(intent)
    ? null
    : {
        channel: intent.channel,
        lastDigestAt: intent.at,
        lastRunId: intent.runId,
        ...(ledger.state?.etag !== undefined ? { etag: ledger.state.etag } : {}),
      };
  return { intent, put, remove, state };
}

/** Whether part of the intent's outcome is already written, which proves it was delivered. */
export function partlyRecorded(intent: Intent, ledger: Pick<ChannelLedger, "entries" | "state">): boolean {
  if (ledger.state?.lastRunId === intent.runId) return true;
  const told = new Map(ledger.entries.map((entry) => [entry.findingId, entry]));
  // A resolved (or forgotten) alert's entry existed when the intent was written, and only this
  // intent's outcome removes it while the intent holds the channel.
  return intent.alerts.some((alert) => (alert.record === null ? !told.has(alert.id) : told.get(alert.id)?.runId === intent.runId));
}

export type Recovery =
  /** It was delivered: write its outcome, do not send again. */
  | { action: "record" }
  /** Not delivered, or unknowable and abandoned: drop it and plan afresh (a resend). */
  | { action: "discard" }
  /** Too young to call abandoned: its run may be sending right now. Leave the channel alone. */
  | { action: "wait"; until: Date };

/**
 * What to do with an intent found on start. `delivered` is the channel's read-back
 * (Channel.wasDelivered): true, false, or null when it cannot tell.
 * - true: record the outcome (Slack's read-back makes its delivery exactly-once).
 * - false or null, within the lease: wait. A live run may be inside channel.send — even Slack's
 *   read-back cannot see a post that has not landed yet — so acting now could send twice.
 * - false, after the lease: it never arrived; resend.
 * - null, after the lease: resend. For Teams (no read-back) this is at-least-once: a crash after
 *   the webhook accepted the card but before the outcome was written sends it again.
 */
export function recoveryFor(intent: Intent, delivered: boolean | null, now: Date, leaseMs: number): Recovery {
  if (delivered === true) return { action: "record" };
  const until = new Date(Date.parse(intent.at) + leaseMs);
  return now.getTime() < until.getTime() ? { action: "wait", until } : { action: "discard" };
}
