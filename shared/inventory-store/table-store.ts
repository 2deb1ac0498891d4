// The inventory store in Azure Table Storage (Azurite locally), in its own table:
//   PartitionKey   RowKey        properties
//   state          current       version, generation, tenantId, graphEndpoint, deltaLinks, lastFullSweepAt, lastSweepAt
//   b-<gen>        000001 ...    n, p0..pN: a chunk of the base, records one a line, cut into string pieces
//   x-<gen>        a:<id>        n, p0..pN: one overlay record; or removed: true
// Strings are cut into pieces of 30,000 characters (a property holds 64 KiB of UTF-16); a chunk
// holds a few pieces, so that a page of entities stays small while the base is streamed back. The
// state row is written with its etag (If-Match), or created when there is none: two sweeps cannot
// both switch it.
import { odata, type TableClient, type TransactionAction } from "@azure/data-tables";
import { openTableClient, tableCreator } from "../storage/tables.js";
import type { TokenCredential } from "@azure/identity";
import pLimit from "p-limit";
import { parseStoredSubject, subjectKey, type StoredSubject } from "../collect/directory-records.js";
import {
  STORE_VERSION,
  StoreConflictError,
  StoreCorruptError,
  applyOverlay,
  isStoreState,
  newGeneration,
  type FullInventoryWrite,
  type InventoryChanges,
  type InventoryStore,
  type StoreState,
  type StoredInventory,
} from "./store.js";

export const INVENTORY_TABLE = "credwatchinventory";

const STATE = { partitionKey: "state", rowKey: "current" } as const;
const PIECE = 30_000;
/** Pieces per base chunk: ~120,000 characters, a few hundred records. */
const CHUNK_PIECES = 4;
/** Base chunks read per request while streaming. */
const READ_PAGE = 8;
/** Operations per entity group transaction (the service's limit is 100). */
const MAX_BATCH = 100;
const WRITE_CONCURRENCY = 4;

/** Azurite's well-known development account (public, documented by Microsoft). */

type Row = Record<string, unknown> & { partitionKey: string; rowKey: string; etag?: string };

interface TableInventory extends StoredInventory {
  etag: string;
  generation: string;
  overlay: Map<string, StoredSubject | null>;
}

export class TableInventoryStore implements InventoryStore {

  /** The table is created on first use. */
  private readonly ensureTable: () => Promise<void>;

  private constructor(
    private readonly client: TableClient,
    readonly location: string,
  ) {
    this.ensureTable = tableCreator(client);
  }

  /** From a connection string (UseDevelopmentStorage=true included). Plain http only to loopback (Azurite). */
  static fromConnectionString(connectionString: string, table: string = INVENTORY_TABLE): TableInventoryStore {
    const { client, location } = openTableClient({ connectionString }, table);
    return new TableInventoryStore(client, location);
  }

  /** From a table service URL and a credential (managed identity in Azure). */
  static fromUrl(url: string, table: string, credential: TokenCredential): TableInventoryStore {
    const { client, location } = openTableClient({ url, credential }, table);
    return new TableInventoryStore(client, location);
  }

  async read(): Promise<TableInventory | null> {
    await this.ensureTable();
    let row: Row;
    try {
      row = (await this.client.getEntity<Record<string, unknown>>(STATE.partitionKey, STATE.rowKey)) as Row;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
    const generation = typeof row.generation === "string" ? row.generation : "";
    const state = stateFromRow(row);
    if (!state || !/^[a-z0-9]+$/.test(generation)) throw new StoreCorruptError(`${this.location}: the state row is not a credwatch inventory`);
    const overlay = new Map<string, StoredSubject | null>();
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${overlayPartition(generation)}` } })) {
      const e = entity as Row;
      if (e.removed === true) overlay.set(e.rowKey, null);
      else {
        const subject = parseStoredSubject(parseJson(joinPieces(e), this.location));
        if (!subject) throw new StoreCorruptError(`${this.location}: overlay row ${e.rowKey} is not an inventory record`);
        overlay.set(e.rowKey, subject);
      }
    }
    return {
      state,
      etag: row.etag as string,
      generation,
      overlay,
      subjects: () => applyOverlay(this.readBase(generation), overlay, subjectKey),
    };
  }

  async beginFull(): Promise<FullInventoryWrite> {
    await this.ensureTable();
    // The state this generation replaces: another sweep that switches it first wins.
    const startedFrom = await this.currentState();
    const generation = newGeneration();
    const partition = basePartition(generation);
    const limit = pLimit(WRITE_CONCURRENCY);
    const writes: Promise<void>[] = [];
    let lines: string[] = [];
    let size = 0;
    let chunk = 0;
    let failure: unknown = null;
    const flush = () => {
      if (lines.length === 0) return;
      const text = lines.join("\n");
      lines = [];
      size = 0;
      const entity = { partitionKey: partition, rowKey: String(++chunk).padStart(6, "0"), ...pieces(text) };
      const write = limit(() => this.client.upsertEntity(entity, "Replace")).then(
        () => undefined,
        (error: unknown) => void (failure ??= error),
      );
      writes.push(write);
    };
    return {
      add: (subjects) => {
        const before = writes.length;
        for (const subject of subjects) {
          const line = JSON.stringify(subject);
          if (line.length > CHUNK_PIECES * PIECE) {
            failure ??= new Error(`record ${subjectKey(subject)} is too large for the inventory table (${line.length} characters)`);
            continue;
          }
          if (size + line.length + 1 > CHUNK_PIECES * PIECE) flush();
          lines.push(line);
          size += line.length + 1;
        }
        // Behind by more than a few chunks: let the caller wait for the oldest before adding more.
        if (writes.length > before && writes.length > 2 * WRITE_CONCURRENCY) return writes[writes.length - 2 * WRITE_CONCURRENCY - 1];
      },
      commit: async (state) => {
        flush();
        await Promise.all(writes);
        if (failure) {
          await this.dropPartitions([partition]).catch(() => {});
          throw failure;
        }
        try {
          const row = { ...STATE, ...stateRow(state, generation) };
          if (startedFrom) await this.client.updateEntity(row, "Replace", { etag: startedFrom.etag });
          else await this.client.createEntity(row);
        } catch (error) {
          await this.dropPartitions([partition]).catch(() => {});
          if ([409, 412].includes(statusOf(error) ?? 0)) {
            throw new StoreConflictError(`${this.location}: another sweep switched the inventory first`);
          }
          throw error;
        }
        await this.dropAllBut(generation);
      },
      abort: async () => {
        await Promise.all(writes);
        await this.dropPartitions([partition]);
      },
    };
  }

  async commitChanges(base: StoredInventory, changes: InventoryChanges, state: StoreState): Promise<void> {
    const read = base as TableInventory;
    const partition = overlayPartition(read.generation);
    const actions: TransactionAction[] = [
      ...changes.remove.map((key): TransactionAction => ["upsert", { partitionKey: partition, rowKey: key, removed: true }, "Replace"]),
      ...changes.put.map((subject): TransactionAction => ["upsert", { partitionKey: partition, rowKey: subjectKey(subject), ...pieces(JSON.stringify(subject)) }, "Replace"]),
    ];
    // The same key twice in one transaction is refused: the last action for a key wins.
    const byKey = new Map<string, TransactionAction>();
    for (const action of actions) byKey.set((action[1] as { rowKey: string }).rowKey, action);
    const unique = [...byKey.values()];
    for (let i = 0; i < unique.length; i += MAX_BATCH) await this.client.submitTransaction(unique.slice(i, i + MAX_BATCH));
    try {
      await this.client.updateEntity({ ...STATE, ...stateRow(state, read.generation) }, "Replace", { etag: read.etag });
    } catch (error) {
      if ([404, 412].includes(statusOf(error) ?? 0)) {
        throw new StoreConflictError(`${this.location}: another sweep updated the inventory first`);
      }
      throw error;
    }
  }


  private async currentState(): Promise<{ etag: string } | null> {
    try {
      const row = await this.client.getEntity(STATE.partitionKey, STATE.rowKey, { queryOptions: { select: ["PartitionKey"] } });
      return { etag: row.etag };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  private async *readBase(generation: string): AsyncIterable<StoredSubject> {
    const pages = this.client
      .listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${basePartition(generation)}` } })
      .byPage({ maxPageSize: READ_PAGE });
    for await (const page of pages) {
      for (const entity of page) {
        const text = joinPieces(entity as Row);
        let line = 0;
        for (const json of text.split("\n")) {
          line++;
          if (json === "") continue;
          const subject = parseStoredSubject(parseJson(json, `${this.location} chunk ${entity.rowKey} line ${line}`));
          if (!subject) throw new StoreCorruptError(`${this.location}: chunk ${entity.rowKey} line ${line} is not an inventory record`);
          yield subject;
        }
      }
    }
  }

  /**
   * Deletes every row outside the state and the given generation: older generations, abandoned
   * writes, and a concurrent sweep's generation in the making (its switch then fails on the etag).
   */
  private async dropAllBut(generation: string): Promise<void> {
    const keep = new Set([STATE.partitionKey, basePartition(generation), overlayPartition(generation)]);
    const stale = new Set<string>();
    for await (const row of this.client.listEntities({ queryOptions: { select: ["PartitionKey", "RowKey"] } })) {
      if (row.partitionKey && !keep.has(row.partitionKey)) stale.add(row.partitionKey);
    }
    await this.dropPartitions([...stale]);
  }

  private async dropPartitions(partitions: string[]): Promise<void> {
    for (const partition of partitions) {
      const keys: TransactionAction[] = [];
      for await (const row of this.client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partition}`, select: ["PartitionKey", "RowKey"] } })) {
        keys.push(["delete", { partitionKey: partition, rowKey: row.rowKey as string }]);
      }
      for (let i = 0; i < keys.length; i += MAX_BATCH) await this.client.submitTransaction(keys.slice(i, i + MAX_BATCH));
    }
  }
}

const basePartition = (generation: string) => `b-${generation}`;
const overlayPartition = (generation: string) => `x-${generation}`;

function stateRow(state: StoreState, generation: string): Record<string, unknown> {
  return {
    version: state.version,
    generation,
    tenantId: state.tenantId,
    graphEndpoint: state.graphEndpoint,
    applicationsDeltaLink: state.deltaLinks?.applications ?? "",
    servicePrincipalsDeltaLink: state.deltaLinks?.servicePrincipals ?? "",
    lastFullSweepAt: state.lastFullSweepAt,
    lastSweepAt: state.lastSweepAt,
  };
}

function stateFromRow(row: Row): StoreState | null {
  const apps = row.applicationsDeltaLink;
  const sps = row.servicePrincipalsDeltaLink;
  const state = {
    version: row.version === STORE_VERSION ? STORE_VERSION : row.version,
    tenantId: row.tenantId,
    graphEndpoint: row.graphEndpoint,
    deltaLinks: typeof apps === "string" && apps !== "" && typeof sps === "string" && sps !== "" ? { applications: apps, servicePrincipals: sps } : null,
    lastFullSweepAt: row.lastFullSweepAt,
    lastSweepAt: row.lastSweepAt,
  };
  return isStoreState(state) ? state : null;
}

function pieces(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let n = 0;
  for (let i = 0; i < text.length || n === 0; i += PIECE) out[`p${n++}`] = text.slice(i, i + PIECE);
  out.n = n;
  return out;
}

function joinPieces(row: Row): string {
  const n = typeof row.n === "number" ? row.n : 0;
  let text = "";
  for (let i = 0; i < n; i++) {
    const piece = row[`p${i}`];
    if (typeof piece !== "string") throw new StoreCorruptError(`inventory row ${row.partitionKey}/${row.rowKey} lacks piece ${i}`);
    text += piece;
  }
  return text;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new StoreCorruptError(`${where}: not JSON`);
  }
}


function statusOf(error: unknown): number | null {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : null;
}
