// The record of fan-out sweeps in Azure Table Storage (Azurite locally), one partition per sweep:
//   PartitionKey  RowKey                      properties
//   <sweep id>    meta                        status (running|done|failed), tenantId, now, created, shardsTotal,
//                                             shardsDone, notify, alerted, message, parts, attempt, c0..cK:
//                                             the parameters (subscription filter, listing errors) as JSON
//   <sweep id>    s.000000 ... s.NNNNNN       kind, parts, attempt, c0..cK: one finished shard (JSON)
//   <sweep id>    f.NNNNNN                    message: the last failure of a shard still being retried
//   <sweep id>    report                      parts, attempt, c0..cK: the merged report (JSON)
//   <sweep id>    x.<row>.<attempt>.<n>       c0..cK: the rest of a value too big for its row (n = 1, 2, ...)
// Big JSON is cut as the ledger cuts it (notify/table-keys.ts). A shard row is created in one entity
// group transaction with the meta row's shardsDone + 1, guarded by the meta row's etag: a shard is
// counted exactly once however often its message is delivered, and exactly one worker sees the
// count reach shardsTotal. A value's overflow rows are written first, under an attempt id of their
// own, so that two deliveries of one message racing cannot mix their pieces.
import { randomBytes } from "node:crypto";
import { odata, type TableClient, type TableEntity, type TransactionAction } from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";
import pLimit from "p-limit";
import type { CollectionError, Report } from "../model.js";
import { openTableClient, tableCreator } from "../storage/tables.js";
import { asciiJson, joinPieces, pieceRows } from "../notify/table-keys.js";

export const SWEEP_TABLE = "credwatchsweeps";

const META = "meta";
const REPORT = "report";
/** Operations per entity group transaction (the service's limit is 100). */
const MAX_BATCH = 100;
/** Rounds of the optimistic count before giving up (each round loses only to another shard's count). */
const MAX_COUNT_ROUNDS = 200;

export type SweepStatus = "running" | "done" | "failed";
export type ShardKind = "directory" | "subscription";

/** What a sweep was started with; the workers read it rather than their own clock or request. */
export interface SweepParameters {
  tenantId: string;
  /** The sweep's clock (ISO): every shard and the report are as of this instant. */
  now: string;
  /** The subscription filter the sweep was started with (request or CREDWATCH_SUBSCRIPTIONS); null: all. */
  subscriptionFilter: string[] | null;
  /** Errors of the subscription listing, which the starter read. */
  listingErrors: CollectionError[];
  /** Alert on the merged report (the nightly timer, notify=true). */
  notify: boolean;
}

export interface SweepMeta extends SweepParameters {
  id: string;
  status: SweepStatus;
  created: string;
  shardsTotal: number;
  shardsDone: number;
  alerted: boolean;
  /** Why the sweep failed; null unless it did. */
  message: string | null;
}

export interface StoredShard {
  shard: number;
  kind: ShardKind;
  value: unknown;
}

type Row = TableEntity<Record<string, unknown>> & { etag?: string };

export class SweepRecords {

  /** The table is created on first use. */
  private readonly ensureTable: () => Promise<void>;

  private constructor(
    private readonly client: TableClient,
    readonly location: string,
  ) {
    this.ensureTable = tableCreator(client);
  }

  static fromConnectionString(connectionString: string, table: string = SWEEP_TABLE): SweepRecords {
    const { client, location } = openTableClient({ connectionString }, table);
    return new SweepRecords(client, location);
  }

  static fromUrl(url: string, table: string, credential: TokenCredential): SweepRecords {
    const { client, location } = openTableClient({ url, credential }, table);
    return new SweepRecords(client, location);
  }

  /** Records a new sweep, running, with no shard done. */
  async create(id: string, parameters: SweepParameters, shardsTotal: number, created: Date): Promise<void> {
    await this.ensureTable();
    const { tenantId, now, notify, subscriptionFilter, listingErrors } = parameters;
    const head = await this.writeValue(id, META, { subscriptionFilter, listingErrors });
    await this.client.createEntity({
      ...head,
      status: "running",
      tenantId,
      now,
      created: created.toISOString(),
      shardsTotal,
      shardsDone: 0,
      notify,
      alerted: false,
      message: "",
    });
  }

  /** The sweep, or null when there is no such sweep. */
  async meta(id: string): Promise<SweepMeta | null> {
    const row = await this.row(id, META);
    if (!row) return null;
    const { subscriptionFilter, listingErrors } = (await this.readValue(id, META, row)) as Pick<SweepParameters, "subscriptionFilter" | "listingErrors">;
    return {
      id,
      status: row.status as SweepStatus,
      tenantId: String(row.tenantId),
      now: String(row.now),
      created: String(row.created),
      shardsTotal: Number(row.shardsTotal),
      shardsDone: Number(row.shardsDone),
      notify: row.notify === true,
      alerted: row.alerted === true,
      message: typeof row.message === "string" && row.message !== "" ? row.message : null,
      subscriptionFilter,
      listingErrors,
    };
  }

  async hasShard(id: string, shard: number): Promise<boolean> {
    return (await this.row(id, shardKey(shard), ["RowKey"])) !== null;
  }

  /**
   * Stores a finished shard and counts it, once: `recorded` is false when the shard was already
   * there (a redelivered or duplicated message). `done` and `total` are the count after this call.
   */
  async recordShard(id: string, shard: number, kind: ShardKind, value: unknown): Promise<{ recorded: boolean; done: number; total: number }> {
    const key = shardKey(shard);
    const head = await this.writeValue(id, key, value);
    for (let round = 0; ; round++) {
      const meta = await this.row(id, META, ["shardsDone", "shardsTotal"]);
      if (!meta) throw new Error(`sweep ${id} is not in ${this.location}`);
      const done = Number(meta.shardsDone);
      const total = Number(meta.shardsTotal);
      if (await this.hasShard(id, shard)) return { recorded: false, done, total };
      const actions: TransactionAction[] = [
        ["create", { ...head, kind }],
        ["update", { partitionKey: id, rowKey: META, shardsDone: done + 1 }, "Merge", { etag: meta.etag! }],
      ];
      try {
        await this.client.submitTransaction(actions);
        return { recorded: true, done: done + 1, total };
      } catch (error) {
        // 412: another shard was counted first; 409: this shard was, by another delivery. Look again.
        if (!isConflict(error) || round >= MAX_COUNT_ROUNDS) throw error;
        await sleep(Math.min(1_000, 20 * 2 ** Math.min(round, 5)) * (0.5 + Math.random()));
      }
    }
  }

  /** Every stored shard, in shard order. */
  async shards(id: string): Promise<StoredShard[]> {
    await this.ensureTable();
    const rows: Row[] = [];
    const filter = odata`PartitionKey eq ${id} and RowKey ge ${"s."} and RowKey lt ${"s/"}`;
    for await (const row of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) rows.push(row as Row);
    const limit = pLimit(8);
    const shards = await Promise.all(
      rows.map((row) =>
        limit(async (): Promise<StoredShard> => ({ shard: Number(row.rowKey.slice(2)), kind: row.kind as ShardKind, value: await this.readValue(id, row.rowKey, row) })),
      ),
    );
    return shards.sort((a, b) => a.shard - b.shard);
  }

  /** Keeps the last failure of a shard that will be retried, for the error it becomes if it never succeeds. */
  async noteFailure(id: string, shard: number, message: string): Promise<void> {
    await this.ensureTable();
    await this.client.upsertEntity({ partitionKey: id, rowKey: failureKey(shard), message: message.slice(0, 2_000) }, "Replace");
  }

  async lastFailure(id: string, shard: number): Promise<string | null> {
    const row = await this.row(id, failureKey(shard));
    return typeof row?.message === "string" ? row.message : null;
  }

  /** Stores the merged report and marks the sweep done. */
  async finish(id: string, report: Report): Promise<void> {
    const head = await this.writeValue(id, REPORT, report);
    await this.client.upsertEntity(head, "Replace");
    await this.client.updateEntity({ partitionKey: id, rowKey: META, status: "done" }, "Merge");
  }

  async report(id: string): Promise<Report | null> {
    const row = await this.row(id, REPORT);
    return row ? ((await this.readValue(id, REPORT, row)) as Report) : null;
  }

  /** Marks a running sweep failed (a sweep another worker finished meanwhile stays done). */
  async fail(id: string, message: string): Promise<void> {
    const meta = await this.row(id, META, ["status"]);
    if (!meta || meta.status !== "running") return;
    try {
      await this.client.updateEntity({ partitionKey: id, rowKey: META, status: "failed", message: message.slice(0, 2_000) }, "Merge", { etag: meta.etag! });
    } catch (error) {
      if (!isConflict(error)) throw error;
      await this.fail(id, message);
    }
  }

  async markAlerted(id: string): Promise<void> {
    await this.client.updateEntity({ partitionKey: id, rowKey: META, alerted: true }, "Merge");
  }

  /** Drops the records of sweeps created before `cutoff`; returns how many. */
  async dropCreatedBefore(cutoff: Date): Promise<number> {
    await this.ensureTable();
    const filter = odata`RowKey eq ${META} and created lt ${cutoff.toISOString()}`;
    const old: string[] = [];
    for await (const row of this.client.listEntities({ queryOptions: { filter, select: ["PartitionKey"] } })) if (row.partitionKey) old.push(row.partitionKey);
    for (const partition of old) {
      const keys: TransactionAction[] = [];
      for await (const row of this.client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partition}`, select: ["RowKey"] } })) {
        keys.push(["delete", { partitionKey: partition, rowKey: row.rowKey as string }]);
      }
      // The meta row last, so that a cut-short clean-up is found and finished next time.
      keys.sort((a, b) => Number((a[1] as Row).rowKey === META) - Number((b[1] as Row).rowKey === META));
      for (let i = 0; i < keys.length; i += MAX_BATCH) await this.client.submitTransaction(keys.slice(i, i + MAX_BATCH));
    }
    return old.length;
  }

  /** Writes a value's overflow rows and returns its head row (keys, parts, attempt, first pieces) for the caller to write. */
  private async writeValue(id: string, rowKey: string, value: unknown): Promise<Row> {
    await this.ensureTable();
    const bags = pieceRows(asciiJson(value));
    const attempt = randomBytes(4).toString("hex");
    const limit = pLimit(4);
    await Promise.all(
      bags.slice(1).map((bag, i) => limit(() => this.client.upsertEntity({ partitionKey: id, rowKey: extraKey(rowKey, attempt, i + 1), ...bag }, "Replace"))),
    );
    return { partitionKey: id, rowKey, parts: bags.length, attempt, ...bags[0] };
  }

  private async readValue(id: string, rowKey: string, head: Row): Promise<unknown> {
    const parts = Number(head.parts);
    let text = joinPieces(head);
    for (let n = 1; n < parts; n++) {
      const extra = await this.row(id, extraKey(rowKey, String(head.attempt), n));
      if (!extra) throw new Error(`${this.location}: ${id}/${rowKey} lacks part ${n} of ${parts}`);
      text += joinPieces(extra);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${this.location}: ${id}/${rowKey} is not JSON`);
    }
  }

  private async row(id: string, rowKey: string, select?: string[]): Promise<Row | null> {
    await this.ensureTable();
    try {
      return (await this.client.getEntity<Record<string, unknown>>(id, rowKey, select ? { queryOptions: { select } } : {})) as Row;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

}

const shardKey = (shard: number) => `s.${String(shard).padStart(6, "0")}`;
const failureKey = (shard: number) => `f.${String(shard).padStart(6, "0")}`;
const extraKey = (rowKey: string, attempt: string, n: number) => `x.${rowKey}.${attempt}.${n}`;

function statusOf(error: unknown): number | null {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : null;
}

function isConflict(error: unknown): boolean {
  return [409, 412].includes(statusOf(error) ?? 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
