// The contract between alert planning (ledger), and the channels that deliver alerts (Slack, Teams).
import type { Finding, Report, Severity } from "../model.js";

/** Why a finding is being told about in this run (DESIGN §5). */
export type AlertReason =
  /** Not notified before (or notified, resolved, and back again). */
  | "new"
  /** Crossed into a lower window (30 → 14 → 7 → 1 → expired), or its severity rose. */
  | "escalated"
  /** Still critical, last told about on an earlier UTC day: once a day. */
  | "repeat"
  /** Notified before, and gone from a sweep that read its scope. */
  | "resolved";

/** What is remembered of a finding that was notified, enough to write its resolved note. */
export interface NotifiedFinding {
  id: string;
  kind: Finding["kind"];
  severity: Severity;
  subjectType: Finding["subject"]["type"];
  subjectName: string;
  /** The one-line message as last sent. */
  message: string;
  registry?: string;
  cluster?: string;
}

export interface Alert {
  /** The finding id (ledger key). */
  id: string;
  reason: AlertReason;
  /** The current finding; absent for "resolved". */
  finding?: Finding;
  /** What was last sent for it; present for escalated, repeat and resolved. */
  previous?: NotifiedFinding;
}

/** One run's worth of alerts for the channels to render. */
export interface Digest {
  /** Unique per notification run; channels tag their messages with it so delivery can be verified. */
  runId: string;
  now: Date;
  report: Report;
  /** May be empty: notify() then sends for a heartbeat (heartbeat on) or, heartbeat or not, for an
   *  incomplete sweep, which must say what it could not read — at most once per UTC day per channel. */
  alerts: Alert[];
  /** Findings held back by suppressions (counted, never sent). */
  suppressed: number;
  /** Post "all clear, N credentials checked" when there is nothing to say and the sweep was complete. */
  heartbeat: boolean;
}

export type DeliveryOutcome =
  | { delivered: true; detail?: string }
  | {
      delivered: false;
      retryable: boolean;
      error: string;
      /** Why, when the channel can tell: a setting to fix (token, channel, webhook URL), a passing
       *  failure (rate limit, 5xx, network), or the service refusing this message. */
      kind?: "configuration" | "transient" | "rejected";
    };

export interface Channel {
  readonly name: "slack" | "teams";
  /** Sends the digest. Never throws for delivery failures: reports them. Never echoes tokens or webhook URLs. */
  send(digest: Digest): Promise<DeliveryOutcome>;
  /**
   * Whether a digest of `runId` already reached the channel (after a crash between sending and
   * recording the outcome). null: the channel cannot tell (Teams webhooks have no read-back).
   */
  wasDelivered(runId: string, since: Date): Promise<boolean | null>;
}
