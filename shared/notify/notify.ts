// The notification run: for each channel on its own — recover what a crashed run left, plan, write
// the intent, send, write the outcome. A channel that fails is retried by the next run without
// re-sending to the channels that succeeded, because each channel has its own ledger records.
// Suppressed findings send nothing; the channel's entries for them are forgotten in the same outcome
// write as the digest's, or by a silent intent when there is nothing to send (ledger.ts).
import { randomUUID } from "node:crypto";
import type { Report } from "../model.js";
import { suppressedCount } from "../report/present.js";
import { LedgerConflictError, type ChannelLedger, type ChannelName, type Intent, type Ledger } from "./ledger.js";
import { DEFAULT_LEASE_MS, intentFor, isSilent, outcomeFor, partlyRecorded, recoveryFor } from "./outcome.js";
import { planChannel, wantsEmptyDigest } from "./plan.js";
import type { Alert, Channel, Digest } from "./types.js";

export interface NotifyDeps {
  ledger: Ledger;
  channels: Channel[];
  now: Date;
  /** Tags this run's messages; must be unique per notify() call. Default: a random UUID. */
  runId?: string;
  heartbeat: boolean;
  log?: (message: string) => void;
  /** How long an unfinished intent is presumed to belong to a live run. Default 10 minutes. */
  leaseMs?: number;
}

export type ChannelRunOutcome =
  | { status: "delivered"; detail?: string }
  | { status: "failed"; retryable: boolean; error: string; kind?: "configuration" | "transient" | "rejected" }
  /** Nothing to say this run. */
  | { status: "quiet" }
  /** Another run's intent holds the channel (it may be sending now); try again after `until`. */
  | { status: "busy"; until: string }
  /** The ledger could not be read or written; nothing was sent unless `sent` says so. */
  | { status: "error"; error: string };

export interface ChannelSummary {
  name: ChannelName;
  /** Alerts delivered by this run (0 for a digest without alerts). */
  sent: number;
  outcome: ChannelRunOutcome;
  /** What happened to an intent a previous run left: its outcome recorded, or dropped and resent. */
  recovered?: "recorded" | "discarded";
  /** The alerts this run tried to deliver on the channel. */
  alerts: Alert[];
  /** Entries of suppressed findings this run forgot (they alert as new once the suppression ends). */
  forgotten?: number;
}

export interface NotifySummary {
  perChannel: ChannelSummary[];
  /** Every alert any channel tried to deliver, once per finding and reason. */
  alerts: Alert[];
}

/** How often to plan again when the ledger changed between planning and taking the channel. */
const MAX_ATTEMPTS = 3;

export async function notify(report: Report, deps: NotifyDeps): Promise<NotifySummary> {
  const runId = deps.runId ?? randomUUID();
  const log = deps.log ?? (() => {});
  const perChannel = await Promise.all(
    deps.channels.map((channel) =>
      notifyChannel(report, channel, { ...deps, runId, log }).catch((error: unknown): ChannelSummary => {
        const message = error instanceof Error ? error.message : String(error);
        log(`${channel.name}: ${message}`);
        return { name: channel.name, sent: 0, outcome: { status: "error", error: message }, alerts: [] };
      }),
    ),
  );
  const alerts = new Map<string, Alert>();
  for (const summary of perChannel) for (const alert of summary.alerts) alerts.set(`${alert.reason}\u0000${alert.id}`, alert);
  return { perChannel, alerts: [...alerts.values()] };
}

type RunDeps = NotifyDeps & { runId: string; log: (message: string) => void };

async function notifyChannel(report: Report, channel: Channel, deps: RunDeps): Promise<ChannelSummary> {
  const { ledger, now, log } = deps;
  const name = channel.name;
  let recovered: ChannelSummary["recovered"];
  let view = await ledger.read(name);

  if (view.intent) {
    const leftover = view.intent;
    const recovery = await recover(leftover, view, channel, deps).catch((error: unknown) => {
      // Another run settled or took it first: it is live, leave the channel to it.
      if (error instanceof LedgerConflictError) return { action: "wait" as const, until: new Date(now.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS)) };
      throw error;
    });
    if (recovery.action === "wait") {
      log(`${name}: run ${leftover.runId} started sending at ${leftover.at} and has not finished; leaving the channel to it until ${recovery.until.toISOString()}`);
      return { name, sent: 0, outcome: { status: "busy", until: recovery.until.toISOString() }, alerts: [] };
    }
    recovered = recovery.action === "record" ? "recorded" : "discarded";
    const what = isSilent(leftover)
      ? recovered === "recorded"
        ? "it only forgot suppressed findings, partly written; completed it"
        : "it only forgot suppressed findings; dropped it, planning again"
      : recovered === "recorded"
        ? "it was delivered; recorded it"
        : "it was not delivered (or cannot be told); sending again";
    log(`${name}: run ${leftover.runId} left an unfinished send: ${what}`);
    view = await ledger.read(name);
  }

  for (let attempt = 1; ; attempt++) {
    const { alerts, forget } = planChannel(report, view.entries, now);
    const speaks = alerts.length > 0 || wantsEmptyDigest(report, deps.heartbeat, view.state, now);
    if (!speaks && forget.length === 0) {
      return { name, sent: 0, outcome: { status: "quiet" }, ...(recovered ? { recovered } : {}), alerts: [] };
    }
    let held: Intent;
    try {
      held = await ledger.putIntent(intentFor(name, deps.runId, now, speaks ? alerts : [], forget, { silent: !speaks }));
    } catch (error) {
      if (!(error instanceof LedgerConflictError)) throw error;
      // Another run took the channel between our read and our write: it is live, leave it alone.
      const until = new Date(now.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
      log(`${name}: another run is sending; leaving the channel to it`);
      return { name, sent: 0, outcome: { status: "busy", until }, ...(recovered ? { recovered } : {}), alerts: [] };
    }
    // The plan holds only if nobody recorded anything between our read and taking the channel
    // (a run that finished in between would otherwise be repeated).
    const current = await ledger.read(name);
    if (sameRecords(view, current)) {
      const forgotten = forget.length > 0 ? { forgotten: forget.length } : {};
      if (!speaks) {
        // Nothing to send: only forget, in an outcome that proves no delivery and leaves the state.
        await ledger.recordOutcome(outcomeFor(held, current));
        log(`${name}: forgot ${forget.length} suppressed finding${forget.length === 1 ? "" : "s"} (they alert as new when the suppression ends)`);
        return { name, sent: 0, outcome: { status: "quiet" }, ...(recovered ? { recovered } : {}), alerts: [], ...forgotten };
      }
      const summary = await deliver(report, channel, held, alerts, current, deps);
      return { ...summary, ...(recovered ? { recovered } : {}), ...(summary.outcome.status === "delivered" ? forgotten : {}) };
    }
    await ledger.clearIntent(held);
    if (attempt >= MAX_ATTEMPTS) throw new LedgerConflictError(`${name}: the ledger at ${ledger.location} kept changing while planning; nothing sent`);
    view = await ledger.read(name);
  }
}

async function recover(intent: Intent, view: ChannelLedger, channel: Channel, deps: RunDeps) {
  const { ledger, log } = deps;
  if (partlyRecorded(intent, view)) {
    await ledger.recordOutcome(outcomeFor(intent, view));
    return { action: "record" as const };
  }
  let delivered: boolean | null = null;
  // A silent intent sent nothing: there is nothing to read back.
  if (!isSilent(intent)) {
    try {
      delivered = await channel.wasDelivered(intent.runId, new Date(intent.at));
    } catch (error) {
      log(`${channel.name}: could not check whether run ${intent.runId} was delivered (${error instanceof Error ? error.message : String(error)})`);
      delivered = null;
    }
  }
  const recovery = recoveryFor(intent, delivered, deps.now, deps.leaseMs ?? DEFAULT_LEASE_MS);
  if (recovery.action === "record") await ledger.recordOutcome(outcomeFor(intent, view));
  if (recovery.action === "discard") await ledger.clearIntent(intent);
  return recovery;
}

async function deliver(
  report: Report,
  channel: Channel,
  held: Intent,
  alerts: Alert[],
  view: ChannelLedger,
  deps: RunDeps,
): Promise<ChannelSummary> {
  const name = channel.name;
  const digest: Digest = { runId: deps.runId, now: deps.now, report, alerts, suppressed: suppressedCount(report), heartbeat: deps.heartbeat };
  let result;
  try {
    result = await channel.send(digest);
  } catch (error) {
    // Channels report failures rather than throw; a throw means we cannot know what arrived. The
    // intent stays, and the next run asks the channel (or waits out the lease) before resending.
    const message = error instanceof Error ? error.message : String(error);
    deps.log(`${name}: send failed unexpectedly (${message}); the next run will check whether it arrived`);
    return { name, sent: 0, outcome: { status: "failed", retryable: true, error: message }, alerts };
  }
  if (!result.delivered) {
    await deps.ledger.clearIntent(held);
    deps.log(`${name}: not delivered (${result.error}); the next run tries again`);
    const failed = { status: "failed" as const, retryable: result.retryable, error: result.error, ...(result.kind ? { kind: result.kind } : {}) };
    return { name, sent: 0, outcome: failed, alerts };
  }
  const sent = alerts.length;
  const outcome = { status: "delivered" as const, ...(result.detail !== undefined ? { detail: result.detail } : {}) };
  try {
    await deps.ledger.recordOutcome(outcomeFor(held, view));
  } catch (error) {
    // Delivered but not written down: the intent remains, and the next run records it (Slack) or,
    // past the lease, sends it again (Teams, which cannot tell).
    const message = error instanceof Error ? error.message : String(error);
    deps.log(`${name}: delivered, but recording it failed (${message}); the next run settles it`);
    return { name, sent, outcome: { status: "error", error: `delivered, not recorded: ${message}` }, alerts };
  }
  deps.log(`${name}: delivered ${sent} alert${sent === 1 ? "" : "s"} (run ${deps.runId})`);
  return { name, sent, outcome, alerts };
}

/** Whether two reads of a channel's ledger hold the same entries and state, by etag. */
function sameRecords(a: ChannelLedger, b: ChannelLedger): boolean {
  const tags = (view: ChannelLedger) =>
    [`state\u0000${view.state?.etag ?? ""}`, ...view.entries.map((entry) => `${entry.findingId}\u0000${entry.etag ?? ""}`)].sort().join("\n");
  return tags(a) === tags(b);
}
