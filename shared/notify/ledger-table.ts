// The ledger in Azure Table Storage (Azurite locally). One partition per channel, so one query
// reads a channel and its writes can share a transaction (entity group transactions stay inside a
// partition):
//   PartitionKey  RowKey                     properties
//   slack         f.<encoded finding id>     findingId, runId, notifiedAt, severity, stage?, notified (JSON), scope (JSON)
//   slack         state                      lastDigestAt, lastRunId
//   slack         intent                     active, runId, at, parts, alertCount
//   slack         intent.<encoded runId>.<n> at, c0..cK: the intent's alerts as ASCII JSON, in pieces
//   snoozes       s.<encoded finding id>     findingId, action, until, by, reason, at (the latest per finding)
// The intent row is the channel's lock and is never deleted, only switched active/inactive, so that
// every write of an outcome can be guarded by its etag inside the same transaction (the SDK cannot
// make a delete in a transaction conditional). Alerts go into separate rows because a big first
// run outgrows one entity (1 MiB, 64 KiB a property).
import { odata, type TableClient, type TableEntity, type TransactionAction } from "@azure/data-tables";
import { openTableClient, tableCreator } from "../storage/tables.js";
import type { TokenCredential } from "@azure/identity";
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
import { asciiJson, encodeKey, joinPieces, pieceRows as pieceBags } from "./table-keys.js";
import type { Snooze } from "../suppress/snooze.js";

/** Azurite's well-known development account (public, documented by Microsoft). */
const ENTRY_PREFIX = "f.";
const INTENT = "intent";
const STATE = "state";
/** The partition of snoozes: no channel is called that. */
const SNOOZES = "snoozes";
const SNOOZE_PREFIX = "s.";
/** Operations per entity group transaction. */
const MAX_BATCH = 100;
/** Pieces of intents whose run died before taking the channel are swept after this long. */
const ORPHAN_MS = 60 * 60_000;

/** A listed entity, keys required. */
type Row = Record<string, unknown> & { partitionKey: string; rowKey: string; etag: string };

export class TableLedger implements Ledger, SnoozeStore {

  /** The table is created on first use. */
  private readonly ensureTable: () => Promise<void>;

  private constructor(
    private readonly client: TableClient,
    readonly location: string,
  ) {
    this.ensureTable = tableCreator(client);
  }

  /** From a connection string (UseDevelopmentStorage=true included). http only to loopback (Azurite). */
  static fromConnectionString(connectionString: string, table: string): TableLedger {
    const { client, location } = openTableClient({ connectionString }, table);
    return new TableLedger(client, location);
  }

  /** From a table service URL and a credential (managed identity in Azure). */
  static fromUrl(url: string, table: string, credential: TokenCredential): TableLedger {
    const { client, location } = openTableClient({ url, credential }, table);
    return new TableLedger(client, location);
  }

  async read(channel: ChannelName): Promise<ChannelLedger> {
    return this.view(channel, await this.rows(channel));
  }

  async putIntent(intent: Intent): Promise<Intent> {
    const rows = await this.rows(intent.channel);
    const header = rows.find((row) => row.rowKey === INTENT);
    if (header?.active === true) {
      throw new LedgerConflictError(`${intent.channel}: run ${String(header.runId)} holds the channel (intent of ${String(header.at)})`);
    }
    await this.sweepOrphans(intent.channel, rows, intent.at);
    const parts = pieceRows(intent);
    for (const part of parts) await this.client.upsertEntity(part, "Replace");
    const entity = headerEntity(intent, true, parts.length);
    try {
      const response = header
        ? await this.client.updateEntity(entity, "Replace", { etag: header.etag })
        : await this.client.createEntity(entity);
      return { ...intent, etag: requireEtag(response.etag) };
    } catch (error) {
      await this.deleteRows(intent.channel, parts.map((part) => part.rowKey));
      throw asConflict(error, `${intent.channel}: another run took the channel first`);
    }
  }

  async clearIntent(intent: Intent): Promise<void> {
    await this.ensureTable();
    try {
      await this.client.updateEntity(headerEntity(intent, false, 0), "Replace", { etag: requireEtag(intent.etag) });
    } catch (error) {
      throw asConflict(error, `${intent.channel}: the intent of run ${intent.runId} changed since it was read`);
    }
    await this.deleteRows(intent.channel, await this.pieceKeys(intent));
  }

  async recordOutcome(outcome: Outcome): Promise<void> {
    const { intent } = outcome;
    const partition = intent.channel;
    const writes: TransactionAction[] = [
      ...outcome.remove.map((entry): TransactionAction => ["delete", { partitionKey: partition, rowKey: entryKey(entry.findingId) }]),
      ...outcome.put.map((entry): TransactionAction =>
        entry.etag === undefined ? ["create", entryEntity(entry)] : ["update", entryEntity(entry), "Replace", { etag: entry.etag }],
      ),
      ...(outcome.state === null
        ? []
        : [outcome.state.etag === undefined ? (["create", stateEntity(outcome.state)] as TransactionAction) : (["update", stateEntity(outcome.state), "Replace", { etag: outcome.state.etag }] as TransactionAction)]),
    ];
    const pieces = (await this.pieceKeys(intent)).map((rowKey): TransactionAction => ["delete", { partitionKey: partition, rowKey }]);
    // Every batch carries the intent row, updated by etag: a run that lost the channel (its lease ran
    // out and another run took over) cannot write. The last batch also releases the channel.
    let etag = requireEtag(intent.etag);
    let rest = writes;
    try {
      while (rest.length + pieces.length + 1 > MAX_BATCH) {
        const batch = rest.slice(0, MAX_BATCH - 1);
        rest = rest.slice(MAX_BATCH - 1);
        const response = await this.client.submitTransaction([["update", headerEntity(intent, true, pieces.length), "Replace", { etag }], ...batch]);
        etag = requireEtag(response.subResponses[0]?.etag);
      }
      await this.client.submitTransaction([["update", headerEntity(intent, false, 0), "Replace", { etag }], ...rest, ...pieces]);
    } catch (error) {
      throw asConflict(error, `${partition}: the ledger changed while recording run ${intent.runId}`);
    }
  }

  async readSnoozes(): Promise<Snooze[]> {
    const snoozes: Snooze[] = [];
    for (const row of await this.rows(SNOOZES)) {
      if (!row.rowKey.startsWith(SNOOZE_PREFIX)) continue;
      const action = text(row, "action");
      if (action !== "snooze" && action !== "acknowledge") throw new LedgerFormatError(`${this.location}: row ${SNOOZES}/${row.rowKey} has action ${action}`);
      snoozes.push({ findingId: text(row, "findingId"), action, until: text(row, "until"), by: text(row, "by"), reason: text(row, "reason"), at: text(row, "at") });
    }
    return snoozes;
  }

  async putSnooze(snooze: Snooze): Promise<void> {
    await this.ensureTable();
    await this.client.upsertEntity({ partitionKey: SNOOZES, rowKey: `${SNOOZE_PREFIX}${encodeKey(snooze.findingId)}`, ...snooze }, "Replace");
  }

  private async rows(channel: ChannelName | typeof SNOOZES): Promise<Row[]> {
    await this.ensureTable();
    const rows: Row[] = [];
    for await (const row of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${channel}` } })) {
      rows.push({ ...row, partitionKey: row.partitionKey ?? channel, rowKey: row.rowKey ?? "", etag: row.etag });
    }
    return rows;
  }

  private view(channel: ChannelName, rows: Row[]): ChannelLedger {
    const entries = rows.filter((row) => row.rowKey.startsWith(ENTRY_PREFIX)).map((row) => this.entryOf(channel, row));
    const stateRow = rows.find((row) => row.rowKey === STATE);
    const state: ChannelState | null = stateRow
      ? { channel, lastDigestAt: text(stateRow, "lastDigestAt"), lastRunId: text(stateRow, "lastRunId"), etag: stateRow.etag }
      : null;
    const header = rows.find((row) => row.rowKey === INTENT);
    const intent = header?.active === true ? this.intentOf(channel, header, rows) : null;
    return { entries, state, intent };
  }

  private entryOf(channel: ChannelName, row: Row): LedgerEntry {
    try {
      return {
        channel,
        findingId: text(row, "findingId"),
        scope: JSON.parse(text(row, "scope")) as LedgerEntry["scope"],
        notified: JSON.parse(text(row, "notified")) as LedgerEntry["notified"],
        stage: typeof row.stage === "number" ? row.stage : null,
        notifiedAt: text(row, "notifiedAt"),
        runId: text(row, "runId"),
        etag: row.etag,
      };
    } catch (error) {
      throw new LedgerFormatError(`${this.location}: row ${channel}/${row.rowKey} is not a ledger entry (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  private intentOf(channel: ChannelName, header: Row, rows: Row[]): Intent {
    const runId = text(header, "runId");
    const count = typeof header.parts === "number" ? header.parts : -1;
    const prefix = pieceRowPrefix(runId);
    const parts = rows.filter((row) => row.rowKey.startsWith(prefix)).sort((a, b) => pieceIndex(a) - pieceIndex(b));
    if (parts.length !== count) {
      throw new LedgerFormatError(`${this.location}: the ${channel} intent of run ${runId} has ${parts.length} of ${count} pieces`);
    }
    let alerts: Intent["alerts"];
    try {
      alerts = JSON.parse(parts.map(joinPieces).join("")) as Intent["alerts"];
    } catch (error) {
      throw new LedgerFormatError(`${this.location}: the ${channel} intent of run ${runId} is unreadable (${error instanceof Error ? error.message : String(error)})`);
    }
    return { channel, runId, at: text(header, "at"), alerts, ...(header.silent === true ? { silent: true as const } : {}), etag: header.etag };
  }

  /** Row keys of an intent's pieces (a range query: they share a prefix ending in "."). */
  private async pieceKeys(intent: Intent): Promise<string[]> {
    await this.ensureTable();
    const from = pieceRowPrefix(intent.runId);
    const to = `${from.slice(0, -1)}/`;
    const keys: string[] = [];
    const filter = odata`PartitionKey eq ${intent.channel} and RowKey ge ${from} and RowKey lt ${to}`;
    for await (const row of this.client.listEntities({ queryOptions: { filter, select: ["RowKey"] } })) if (row.rowKey) keys.push(row.rowKey);
    return keys;
  }

  /** Pieces written by runs that died before taking the channel: nobody will read them. */
  private async sweepOrphans(channel: ChannelName, rows: Row[], now: string): Promise<void> {
    const cutoff = Date.parse(now) - ORPHAN_MS;
    const orphans = rows.filter((row) => row.rowKey.startsWith(`${INTENT}.`) && typeof row.at === "string" && Date.parse(row.at) < cutoff);
    await this.deleteRows(channel, orphans.map((row) => row.rowKey));
  }

  /** Best effort: what is left is swept as an orphan by a later intent. */
  private async deleteRows(channel: ChannelName, rowKeys: string[]): Promise<void> {
    for (const rowKey of rowKeys) await this.client.deleteEntity(channel, rowKey).catch(() => {});
  }

}

function entryKey(findingId: string): string {
  return `${ENTRY_PREFIX}${encodeKey(findingId)}`;
}

/** Dots escaped too, so that no run's prefix is the start of another's ("a." vs "a.b."). */
function pieceRowPrefix(runId: string): string {
  return `${INTENT}.${encodeKey(runId).replaceAll(".", "~2E")}.`;
}

function pieceIndex(row: Row): number {
  return Number(row.rowKey.slice(row.rowKey.lastIndexOf(".") + 1));
}

/** The intent's alerts as ASCII JSON (so no piece boundary splits a character), in rows of pieces. */
function pieceRows(intent: Intent): TableEntity<Record<string, unknown>>[] {
  return pieceBags(asciiJson(intent.alerts)).map((pieces, n) => ({ partitionKey: intent.channel, rowKey: `${pieceRowPrefix(intent.runId)}${n}`, at: intent.at, ...pieces }));
}

function headerEntity(intent: Intent, active: boolean, parts: number): TableEntity<Record<string, unknown>> {
  return {
    partitionKey: intent.channel,
    rowKey: INTENT,
    active,
    runId: intent.runId,
    at: intent.at,
    parts,
    alertCount: intent.alerts.length,
    ...(active && intent.silent ? { silent: true } : {}),
  };
}

function entryEntity(entry: LedgerEntry): TableEntity<Record<string, unknown>> {
  return {
    partitionKey: entry.channel,
    rowKey: entryKey(entry.findingId),
    findingId: entry.findingId,
    runId: entry.runId,
    notifiedAt: entry.notifiedAt,
    severity: entry.notified.severity,
    ...(entry.stage !== null ? { stage: entry.stage } : {}),
    notified: JSON.stringify(entry.notified),
    scope: JSON.stringify(entry.scope),
  };
}

function stateEntity(state: ChannelState): TableEntity<Record<string, unknown>> {
  return { partitionKey: state.channel, rowKey: STATE, lastDigestAt: state.lastDigestAt, lastRunId: state.lastRunId };
}

function text(row: Row, property: string): string {
  const value = row[property];
  if (typeof value !== "string") throw new LedgerFormatError(`row ${row.partitionKey}/${row.rowKey} has no ${property}`);
  return value;
}

function requireEtag(etag: string | undefined): string {
  if (!etag) throw new Error("Table Storage returned no etag");
  return etag.trim();
}

/** 409 (exists), 412 (etag mismatch) and 404 (gone) mean someone else wrote first. */
function asConflict(error: unknown, message: string): unknown {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return status === 409 || status === 412 || status === 404 ? new LedgerConflictError(`${message} (${String(status)})`) : error;
}

