// The alert ledger: what each channel was told about each finding, and the intent of a send in
// flight. One port, two adapters (Table Storage in Azure, a JSON file for the CLI).
//
// Records, per channel (channels are independent: Teams failing never re-sends to Slack):
// - entries: one per finding notified on the channel and not yet resolved — the step last told
//   (stage, severity), when, by which run, and the read scope that decides a later resolved note.
// - state: when the channel last received a digest (heartbeats and coverage notes: once a day).
// - intent: at most one; written before a send, removed by the write that records its outcome. It
//   is also the channel's lock: a second run cannot write one while it exists.
//
// Suppressed findings (rules, snoozes) send nothing, and their entries are forgotten: an intent
// carries them as "forget" alerts, and the outcome write removes their entries with the rest — or,
// when there is nothing to send, a *silent* intent (no send, channel state untouched) does. So when
// the suppression ends, the plan finds no entry and says "new"; no resolved note is ever posted.
//
// Beside the channels, the ledger keeps snoozes (SnoozeStore): the latest snooze or acknowledgement
// per finding, made from Slack's buttons, channel-independent (a snooze silences Teams too).
//
// Concurrency is optimistic: every record read carries an etag (Table Storage's, or a version
// number in the file); writes name the etag they expect and fail with LedgerConflictError otherwise.
import type { TokenCredential } from "@azure/identity";
import type { LedgerLocation } from "../config/schema.js";
import type { Snooze } from "../suppress/snooze.js";
import type { AlertReason, Channel, NotifiedFinding } from "./types.js";
import type { ReadScope } from "./scope.js";

export type ChannelName = Channel["name"];

/** What a channel was last told about one finding. */
export interface LedgerEntry {
  channel: ChannelName;
  findingId: string;
  /** Where the finding's subject is read from: no resolved note unless a sweep read it. */
  scope: ReadScope;
  /** As last sent: gives "previous" and the resolved note. Its severity is the one told. */
  notified: NotifiedFinding;
  /** The stage told (window in days, 0 expired, null not counting down); lower is closer. */
  stage: number | null;
  /** ISO time of the run that last told it. */
  notifiedAt: string;
  runId: string;
  /** Set on entries read from the ledger; absent on entries never stored. */
  etag?: string;
}

/** What an intent does with an entry: an alert's reason, or "forget" (a suppressed finding's entry, removed unannounced). */
export type IntentReason = AlertReason | "forget";

/** One alert of an intent, with what its entry becomes once the digest is delivered. */
export interface IntentAlert {
  id: string;
  reason: IntentReason;
  /** The entry's new content; null for "resolved" and "forget" (the entry is removed). */
  record: Pick<LedgerEntry, "scope" | "notified" | "stage"> | null;
}

/** A send in flight: written before channel.send, removed when its outcome is recorded. */
export interface Intent {
  runId: string;
  channel: ChannelName;
  /** ISO time the run started sending (its `now`); also the notifiedAt it records. */
  at: string;
  /** Empty for a digest without alerts (heartbeat, coverage note). */
  alerts: IntentAlert[];
  /** Nothing is sent: the intent only forgets suppressed findings' entries; its outcome leaves the
   *  channel state alone (it was no digest). */
  silent?: true;
  etag?: string;
}

export interface ChannelState {
  channel: ChannelName;
  /** ISO time of the last delivered digest, alerts or not. */
  lastDigestAt: string;
  lastRunId: string;
  etag?: string;
}

/** Everything the ledger holds for one channel, read at once. */
export interface ChannelLedger {
  entries: LedgerEntry[];
  state: ChannelState | null;
  intent: Intent | null;
}

/** A delivered intent, to be written down: entries first, the intent's removal last. */
export interface Outcome {
  /** The intent as held (with its etag): removed only if nobody else changed it. */
  intent: Intent;
  /** Created when they have no etag, else replaced if their etag still matches. */
  put: LedgerEntry[];
  remove: LedgerEntry[];
  /** Null for a silent intent: no digest went out, the state stays as it is. */
  state: ChannelState | null;
}

export interface Ledger {
  /** Where it lives, for messages (never a key or connection string). */
  readonly location: string;
  read(channel: ChannelName): Promise<ChannelLedger>;
  /** Writes a new intent; LedgerConflictError when the channel already has one. Returns it with its etag. */
  putIntent(intent: Intent): Promise<Intent>;
  /** Removes an intent that was not (or will not be) delivered; LedgerConflictError if it changed. */
  clearIntent(intent: Intent): Promise<void>;
  /** Records a delivered intent. Idempotent per entry: recovery may write what a crash half-wrote. */
  recordOutcome(outcome: Outcome): Promise<void>;
}

/** Snoozes and acknowledgements from Slack, beside the channels' records. */
export interface SnoozeStore {
  /** Every snooze kept (the latest per finding), ended ones included: application decides. */
  readSnoozes(): Promise<Snooze[]>;
  /** Keeps `snooze` as its finding's latest, replacing any earlier one. */
  putSnooze(snooze: Snooze): Promise<void>;
}

/** Someone else wrote first: re-read and decide again, or give up loudly. */
export class LedgerConflictError extends Error {
  override readonly name = "LedgerConflictError";
}

/** The ledger's storage holds something that is not a ledger; it is never reset silently. */
export class LedgerFormatError extends Error {
  override readonly name = "LedgerFormatError";
}

export interface OpenLedgerOptions {
  /** For a table service URL (managed identity in Azure). */
  credential?: TokenCredential;
  /** The file used when no location is configured (the CLI's .credwatch/ledger.json). */
  defaultFile: string;
}

/** The ledger at a configured location. Adapters load lazily: the CLI's file ledger never loads the Tables SDK. */
export async function openLedger(location: LedgerLocation | null, options: OpenLedgerOptions): Promise<Ledger & SnoozeStore> {
  if (location === null || location.kind === "file") {
    const { FileLedger } = await import("./ledger-file.js");
    return new FileLedger(location?.path ?? options.defaultFile);
  }
  const { TableLedger } = await import("./ledger-table.js");
  if (location.kind === "connection-string") return TableLedger.fromConnectionString(location.connectionString, location.table);
  if (!options.credential) throw new Error(`the ledger at ${location.url} needs a credential (managed identity) to sign in`);
  return TableLedger.fromUrl(location.url, location.table, options.credential);
}
