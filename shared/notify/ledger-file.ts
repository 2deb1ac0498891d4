// The ledger as one JSON file, for the CLI. Every change is a locked read-modify-write: a lock file
// keeps two runs from interleaving, the file is replaced atomically, and each record carries the
// file version that last wrote it (`rev`), which is its etag. A file that is not a ledger is an
// error naming it: resetting it would re-send every alert. Snoozes from Slack sit beside the
// channels, one per finding (`snoozes`, absent in files written before there were any).
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { SEVERITIES } from "../model.js";
import type { Snooze } from "../suppress/snooze.js";
import { writeFileAtomic } from "../write-file-atomic.js";
import { withFileLock, type FileLockOptions } from "./file-lock.js";
import {
  LedgerConflictError,
  LedgerFormatError,
  type ChannelLedger,
  type ChannelName,
  type ChannelState,
  type Intent,
  type Ledger,
  type LedgerEntry,
  type Outcome,
  type SnoozeStore,
} from "./ledger.js";

const FORMAT = 1;
const CHANNELS = ["slack", "teams"] as const satisfies readonly ChannelName[];

const scopeSchema = z.union([
  z.object({ source: z.literal("graph"), objectId: z.string() }),
  z.object({ source: z.literal("arm"), subscriptionId: z.string().nullable(), resourceId: z.string() }),
]);
const notifiedSchema = z.object({
  id: z.string(),
  kind: z.string(),
  severity: z.enum(SEVERITIES),
  subjectType: z.string(),
  subjectName: z.string(),
  message: z.string(),
  registry: z.string().optional(),
  cluster: z.string().optional(),
});
const recordSchema = z.object({ scope: scopeSchema, notified: notifiedSchema, stage: z.number().nullable() });
const rev = z.number().int().nonnegative();
const entrySchema = recordSchema.extend({ findingId: z.string(), notifiedAt: z.string(), runId: z.string(), rev });
const intentSchema = z.object({
  runId: z.string(),
  at: z.string(),
  alerts: z.array(z.object({ id: z.string(), reason: z.enum(["new", "escalated", "repeat", "resolved", "forget"]), record: recordSchema.nullable() })),
  silent: z.literal(true).optional(),
  rev,
});
const stateSchema = z.object({ lastDigestAt: z.string(), lastRunId: z.string(), rev });
const channelSchema = z.object({
  entries: z.record(z.string(), entrySchema),
  state: stateSchema.nullable(),
  intent: intentSchema.nullable(),
});
const snoozeSchema = z.object({
  action: z.enum(["snooze", "acknowledge"]),
  until: z.string(),
  by: z.string(),
  reason: z.string(),
  at: z.string(),
  rev,
});
const fileSchema = z.object({
  credwatchLedger: z.literal(FORMAT),
  /** Bumped by every write; a record's rev is the version that wrote it. */
  version: rev,
  channels: z.object(Object.fromEntries(CHANNELS.map((c) => [c, channelSchema.optional()])) as Record<ChannelName, z.ZodOptional<typeof channelSchema>>),
  /** Finding id → its latest snooze. */
  snoozes: z.record(z.string(), snoozeSchema).optional(),
});

type FileData = z.infer<typeof fileSchema>;
type ChannelData = z.infer<typeof channelSchema>;

export class FileLedger implements Ledger, SnoozeStore {
  readonly location: string;

  constructor(
    readonly path: string,
    private readonly lockOptions: FileLockOptions = {},
  ) {
    this.location = path;
  }

  async read(channel: ChannelName): Promise<ChannelLedger> {
    return toView(channel, (await this.load()).channels[channel]);
  }

  async putIntent(intent: Intent): Promise<Intent> {
    return this.change((data, version) => {
      const stored = channelOf(data, intent.channel);
      if (stored.intent) {
        throw new LedgerConflictError(`${intent.channel}: run ${stored.intent.runId} holds the channel (intent of ${stored.intent.at})`);
      }
      stored.intent = { runId: intent.runId, at: intent.at, alerts: intent.alerts, ...(intent.silent ? { silent: true as const } : {}), rev: version };
      return { ...intent, etag: String(version) };
    });
  }

  async clearIntent(intent: Intent): Promise<void> {
    await this.change((data) => {
      const stored = channelOf(data, intent.channel);
      expect(stored.intent?.rev, intent.etag, `${intent.channel} intent of run ${intent.runId}`);
      stored.intent = null;
    });
  }

  async recordOutcome(outcome: Outcome): Promise<void> {
    const channel = outcome.intent.channel;
    await this.change((data, version) => {
      const stored = channelOf(data, channel);
      // Check everything before changing anything: the write is all or nothing.
      expect(stored.intent?.rev, outcome.intent.etag, `${channel} intent of run ${outcome.intent.runId}`);
      for (const entry of [...outcome.put, ...outcome.remove]) {
        expect(stored.entries[entry.findingId]?.rev, entry.etag, `${channel} entry ${entry.findingId}`);
      }
      if (outcome.state) expect(stored.state?.rev, outcome.state.etag, `${channel} state`);
      for (const entry of outcome.remove) delete stored.entries[entry.findingId];
      for (const entry of outcome.put) {
        const { channel: _channel, etag: _etag, ...record } = entry;
        stored.entries[entry.findingId] = { ...record, rev: version };
      }
      if (outcome.state) stored.state = { lastDigestAt: outcome.state.lastDigestAt, lastRunId: outcome.state.lastRunId, rev: version };
      stored.intent = null;
    });
  }

  async readSnoozes(): Promise<Snooze[]> {
    const snoozes = (await this.load()).snoozes ?? {};
    return Object.entries(snoozes).map(([findingId, { rev: _rev, ...snooze }]) => ({ findingId, ...snooze }));
  }

  async putSnooze(snooze: Snooze): Promise<void> {
    await this.change((data, version) => {
      const { findingId, ...record } = snooze;
      (data.snoozes ??= {})[findingId] = { ...record, rev: version };
    });
  }

  private async load(): Promise<FileData> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { credwatchLedger: FORMAT, version: 0, channels: {} };
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw this.formatError(`it is not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw this.formatError(`${issue ? `${issue.path.join(".") || "(top level)"}: ${issue.message}` : "unexpected shape"}`);
    }
    return parsed.data;
  }

  private formatError(why: string): LedgerFormatError {
    return new LedgerFormatError(
      `alert ledger ${this.path} is not a credwatch ledger: ${why}. It was left as it is: fix it, or move it aside to start afresh (every open finding is then announced again).`,
    );
  }

  /** One locked read-modify-write; `fn` gets the new version number to stamp on what it writes. */
  private async change<T>(fn: (data: FileData, version: number) => T): Promise<T> {
    return withFileLock(
      this.path,
      async () => {
        const data = await this.load();
        const version = data.version + 1;
        const result = fn(data, version);
        data.version = version;
        await writeFileAtomic(this.path, `${JSON.stringify(data, null, 2)}\n`);
        return result;
      },
      this.lockOptions,
    );
  }
}

function channelOf(data: FileData, channel: ChannelName): ChannelData {
  return (data.channels[channel] ??= { entries: {}, state: null, intent: null });
}

/** Optimistic concurrency: the record's rev must be the etag the writer read (absent: must not exist). */
function expect(actual: number | undefined, etag: string | undefined, what: string): void {
  const found = actual === undefined ? undefined : String(actual);
  if (found !== etag) {
    throw new LedgerConflictError(`${what} changed since it was read (expected ${etag ?? "none"}, found ${found ?? "none"})`);
  }
}

function toView(channel: ChannelName, stored: ChannelData | undefined): ChannelLedger {
  if (!stored) return { entries: [], state: null, intent: null };
  const entries = Object.values(stored.entries).map(({ rev: version, ...entry }): LedgerEntry => ({
    ...(entry as Omit<LedgerEntry, "channel" | "etag">),
    channel,
    etag: String(version),
  }));
  const state: ChannelState | null = stored.state
    ? { channel, lastDigestAt: stored.state.lastDigestAt, lastRunId: stored.state.lastRunId, etag: String(stored.state.rev) }
    : null;
  const intent: Intent | null = stored.intent
    ? {
        channel,
        runId: stored.intent.runId,
        at: stored.intent.at,
        alerts: stored.intent.alerts as Intent["alerts"],
        ...(stored.intent.silent ? { silent: true as const } : {}),
        etag: String(stored.intent.rev),
      }
    : null;
  return { entries, state, intent };
}
