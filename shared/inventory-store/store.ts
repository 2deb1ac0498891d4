// The inventory store: what an incremental sweep needs of the previous ones — the Graph delta links
// and the compact directory records (collect/directory-records.ts) of every application and service
// principal, with the owners of those that had findings. One port, two adapters: a file
// (file-store.ts) and Azure Table Storage (table-store.ts).
//
// Layout, in both adapters: a *base* written by a full sweep (a new generation each time, made
// current by one atomic switch of the state), and an *overlay* of the records incremental sweeps
// changed since (a record, or a removal). Readers see base + overlay. A full sweep starts a new
// generation and drops the old one, so the overlay never outgrows the interval between full sweeps.
//
// Consistency: the state names the delta links and the generation together; a crash before the
// switch leaves the previous state whole. Records newer than the stored delta links are harmless:
// the next round replays those changes, and applying a change twice gives the same record.
import type { StoredSubject } from "../collect/directory-records.js";

export const STORE_VERSION = 1;

export interface StoreState {
  version: typeof STORE_VERSION;
  /** The tenant the records belong to; another tenant's store is not used. */
  tenantId: string;
  graphEndpoint: string;
  /** Where the next round of changes starts; null when the last full sweep could not get them. */
  deltaLinks: { applications: string; servicePrincipals: string } | null;
  /** The sweep clock of the last full sweep (ISO). */
  lastFullSweepAt: string;
  /** The sweep clock of the last sweep that updated the store (ISO). */
  lastSweepAt: string;
}

export interface StoredInventory {
  state: StoreState;
  /** Every stored record (base with the overlay applied), streamed. Throws StoreCorruptError on a bad one. */
  subjects(): AsyncIterable<StoredSubject>;
}

export interface InventoryChanges {
  /** Records to add or replace. */
  put: StoredSubject[];
  /** Keys (subjectKey) of records to remove. */
  remove: string[];
}

export interface FullInventoryWrite {
  /**
   * Queues records of the new generation (written in the background; failures surface at commit).
   * Returns a promise when the writer is behind: awaiting it keeps what is queued bounded.
   */
  add(subjects: readonly StoredSubject[]): void | Promise<void>;
  /** Finishes the generation and makes it current with this state. */
  commit(state: StoreState): Promise<void>;
  /** Drops the generation. */
  abort(): Promise<void>;
}

export interface InventoryStore {
  /** Where it lives, for logs (never a secret). */
  readonly location: string;
  /** The current inventory, or null when there is none. Throws StoreCorruptError when unreadable. */
  read(): Promise<StoredInventory | null>;
  beginFull(): Promise<FullInventoryWrite>;
  /** Records changes over `base` (as read) with the new state. Throws StoreConflictError when another sweep got there first. */
  commitChanges(base: StoredInventory, changes: InventoryChanges, state: StoreState): Promise<void>;
}

/** The store holds something credwatch cannot read: a full sweep replaces it. */
export class StoreCorruptError extends Error {
  override readonly name = "StoreCorruptError";
}

/** Another sweep changed the store since it was read: this sweep's update is dropped (the other's stands). */
export class StoreConflictError extends Error {
  override readonly name = "StoreConflictError";
}

/** Base records with an overlay applied: replaced in place, removed, or added at the end. */
export async function* applyOverlay(
  base: AsyncIterable<StoredSubject>,
  overlay: ReadonlyMap<string, StoredSubject | null>,
  keyOf: (subject: StoredSubject) => string,
): AsyncIterable<StoredSubject> {
  const pending = new Map(overlay);
  for await (const subject of base) {
    const key = keyOf(subject);
    if (!pending.has(key)) {
      yield subject;
      continue;
    }
    const replacement = pending.get(key);
    pending.delete(key);
    if (replacement) yield replacement;
  }
  for (const replacement of pending.values()) if (replacement) yield replacement;
}

/** A generation name: sortable by time, unique enough across concurrent runs. */
export function newGeneration(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export function isStoreState(value: unknown): value is StoreState {
  const v = value as Partial<StoreState> | null;
  const links = v?.deltaLinks as { applications?: unknown; servicePrincipals?: unknown } | null | undefined;
  return (
    typeof v === "object" &&
    v !== null &&
    v.version === STORE_VERSION &&
    typeof v.tenantId === "string" &&
    typeof v.graphEndpoint === "string" &&
    typeof v.lastFullSweepAt === "string" &&
    !Number.isNaN(Date.parse(v.lastFullSweepAt)) &&
    typeof v.lastSweepAt === "string" &&
    (links === null || (typeof links === "object" && typeof links?.applications === "string" && typeof links?.servicePrincipals === "string"))
  );
}
