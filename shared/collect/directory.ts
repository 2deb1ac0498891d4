// Reads the directory (applications and service principals) into a DirectoryScreen, page by page,
// either in full or — with an inventory store — incrementally:
//
//   full         $deltatoken=latest for both collections (so nothing that changes while listing is
//                missed later), then both listings at $top=999, each page screened as it arrives;
//                with a store, every record streams into a new generation, committed at the end
//                with the owners of the subjects that have findings.
//   incremental  one delta round per collection from the stored links (usually one request each),
//                then the stored records stream back with the changes applied, through the same
//                screen; only the changed records, removals and newly looked-up owners are written.
//
// A sweep is full when there is no store, no usable inventory in it (missing, unreadable, another
// tenant, no delta links), when the last full sweep is CREDWATCH_FULL_SWEEP_DAYS old, or when the
// delta links no longer work (expired after seven days, reset: 400 syncStateNotFound / 410 Gone).
// Owners of subjects with findings are fetched while the directory is still being read; an
// incremental sweep reuses the owners stored with unchanged subjects (refreshed at every full sweep).
import type { Client } from "@microsoft/microsoft-graph-client";
import type { CollectionError, Owner, Policy } from "../model.js";
import { createDirectoryScreen, type DirectoryScreen } from "../analyze/directory-screen.js";
import { DAY_MS } from "../analyze/dates.js";
import {
  StoreConflictError,
  StoreCorruptError,
  STORE_VERSION,
  type FullInventoryWrite,
  type InventoryStore,
  type StoreState,
  type StoredInventory,
} from "../inventory-store/store.js";
import {
  collectionOf,
  keyOf,
  mergeDelta,
  ownersOf,
  storedOwners,
  subjectKey,
  toApplication,
  toServicePrincipal,
  type DeltaItem,
  type DirectoryCollection,
  type StoredSubject,
} from "./directory-records.js";
import { latestDeltaLink, readDeltaRound } from "./graph-delta.js";
import { streamApplications, streamServicePrincipals } from "./graph-directory.js";
import { createOwnerFetcher, type OwnerFetcher, type OwnerLookup } from "./graph-owners.js";

export const DEFAULT_FULL_SWEEP_DAYS = 7;

export interface DirectoryOptions {
  tenantId: string;
  now: Date;
  policy: Policy;
  graphEndpoint: string;
  /** Where incremental sweeps keep their state; null: every sweep is full. */
  store: InventoryStore | null;
  /** A full sweep at least this often (days). */
  fullSweepDays?: number;
  /** $batch requests of owner look-ups in flight at once. */
  ownerConcurrency?: number;
  log?: (message: string) => void;
  /** Told as soon as the sweep knows whether it reads the directory in full or its changes only. */
  onPlan?: (mode: "full" | "incremental") => void;
}

export interface DirectoryRead {
  screen: DirectoryScreen;
  errors: CollectionError[];
  mode: "full" | "incremental";
  /** Why the sweep is full or incremental, for the log. */
  reason: string;
  /** Owners of the subjects with findings: the look-ups started while reading, plus those kept in the store. */
  owners(): Promise<OwnerLookup>;
  /** Subject ids whose owners are looked up or known (the rest, if any, must be looked up by the caller). */
  ownersCovered(id: string): boolean;
  /** Saves the inventory with the owners found (no-op without a store). Never throws: problems are logged. */
  save(owners: ReadonlyMap<string, Owner[]>): Promise<void>;
}

type Plan = { kind: "full"; reason: string } | { kind: "incremental"; base: StoredInventory; reason: string };

export async function collectDirectory(graph: Client, options: DirectoryOptions): Promise<DirectoryRead> {
  const log = options.log ?? (() => {});
  const plan = await planSweep(options);
  options.onPlan?.(plan.kind);
  if (plan.kind === "incremental") {
    const incremental = await readIncremental(graph, plan.base, options);
    if (incremental.kind === "read") return { ...incremental.read, reason: plan.reason };
    log(`${incremental.reason}: reading the directory in full`);
    options.onPlan?.("full");
    return readFull(graph, options, incremental.reason);
  }
  if (options.store) log(`${plan.reason}: reading the directory in full`);
  return readFull(graph, options, plan.reason);
}

async function planSweep(options: DirectoryOptions): Promise<Plan> {
  const store = options.store;
  if (!store) return { kind: "full", reason: "no inventory store" };
  let base: StoredInventory | null;
  try {
    base = await store.read();
  } catch (error) {
    const why = error instanceof StoreCorruptError ? "is unreadable" : "cannot be read";
    return { kind: "full", reason: `the inventory store (${store.location}) ${why}: ${(error as Error).message}` };
  }
  if (!base) return { kind: "full", reason: `no inventory in ${store.location} yet` };
  const state = base.state;
  if (state.tenantId !== options.tenantId || state.graphEndpoint !== options.graphEndpoint) {
    return { kind: "full", reason: `the inventory in ${store.location} belongs to another tenant or cloud` };
  }
  if (!state.deltaLinks) return { kind: "full", reason: "the last full sweep stored no delta links" };
  const days = options.fullSweepDays ?? DEFAULT_FULL_SWEEP_DAYS;
  const age = options.now.getTime() - Date.parse(state.lastFullSweepAt);
  if (age >= days * DAY_MS) {
    return { kind: "full", reason: `the last full sweep was ${Math.floor(age / DAY_MS)} days ago (a full sweep every ${days} days)` };
  }
  return { kind: "incremental", base, reason: `changes since ${state.lastSweepAt} (last full sweep ${state.lastFullSweepAt})` };
}

/** What a screened subject needs: its domain record screened, an error if unreadable, its owners looked up or reused. */
class Intake {
  readonly screen: DirectoryScreen;
  readonly fetcher: OwnerFetcher;
  readonly errors: CollectionError[] = [];
  /** Owners kept in the store for unchanged subjects with findings. */
  readonly cached = new Map<string, Owner[]>();
  /** Records of subjects with findings, to be saved with their owners (only when there is a store to save to). */
  readonly withFindings = new Map<string, StoredSubject>();
  private readonly idsWithFindings = new Set<string>();

  constructor(
    graph: Client,
    options: DirectoryOptions,
    private readonly keepRecords: boolean,
  ) {
    this.screen = createDirectoryScreen(options.policy, options.now);
    this.fetcher = createOwnerFetcher(graph, { endpoint: options.graphEndpoint, ...(options.ownerConcurrency ? { concurrency: options.ownerConcurrency } : {}) });
  }

  /** Screens one record; true when it has findings (then it is held until owners are known). */
  take(subject: StoredSubject, reuseOwners: boolean): boolean {
    if (subject.k === "x") {
      const collection = collectionOf(subject.c);
      this.errors.push({ source: "graph", scope: `${collection}/${subject.id}`, status: null, message: subject.m });
      return false;
    }
    const verdict = subject.k === "a" ? this.screen.application(toApplication(subject)) : this.screen.servicePrincipal(toServicePrincipal(subject));
    if (!verdict.hasFindings) return false;
    if (this.keepRecords) this.withFindings.set(subjectKey(subject), subject);
    this.idsWithFindings.add(subject.id);
    if (reuseOwners && subject.o) this.cached.set(subject.id, ownersOf(subject.o));
    else this.fetcher.add({ type: subject.k === "a" ? "application" : "servicePrincipal", id: subject.id });
    return true;
  }

  async owners(): Promise<OwnerLookup> {
    const fetched = await this.fetcher.finish();
    const owners = new Map(this.cached);
    for (const [id, list] of fetched.owners) owners.set(id, list);
    return { owners, errors: fetched.errors };
  }

  covers(id: string): boolean {
    return this.idsWithFindings.has(id);
  }
}

function ownersPromise(intake: Intake): () => Promise<OwnerLookup> {
  let result: Promise<OwnerLookup> | null = null;
  return () => (result ??= intake.owners());
}

function withOwners(subject: StoredSubject, owners: ReadonlyMap<string, Owner[]>): StoredSubject {
  if (subject.k === "x") return subject;
  const found = owners.get(subject.id);
  return found ? { ...subject, o: storedOwners(found) } : subject;
}

async function readFull(graph: Client, options: DirectoryOptions, reason: string): Promise<DirectoryRead> {
  const log = options.log ?? (() => {});
  const store = options.store;
  // The links come first: whatever changes while the listing runs shows up in the next round.
  const links = store
    ? await Promise.all([latestDeltaLink(graph, "applications", options.graphEndpoint), latestDeltaLink(graph, "servicePrincipals", options.graphEndpoint)])
    : null;
  for (const link of links ?? []) if (link.error) log(`no delta link (${link.error.scope}: ${link.error.message}); the next sweep reads the directory in full again`);
  let writer: FullInventoryWrite | null = null;
  if (store && links?.every((l) => l.link)) {
    try {
      writer = await store.beginFull();
    } catch (error) {
      log(`cannot write the inventory store (${store.location}): ${(error as Error).message}`);
    }
  }

  const intake = new Intake(graph, options, writer !== null);
  const take = async (subjects: StoredSubject[]) => {
    const plain: StoredSubject[] = [];
    for (const subject of subjects) if (!intake.take(subject, false)) plain.push(subject);
    await writer?.add(plain);
  };
  const [apps, sps] = await Promise.all([
    streamApplications(graph, options.graphEndpoint, take),
    streamServicePrincipals(graph, options.graphEndpoint, take),
  ]);
  const unreadable: StoredSubject[] = [
    ...apps.unreadable.map((u): StoredSubject => ({ k: "x", c: "a", id: u.id, m: u.error.message })),
    ...sps.unreadable.map((u): StoredSubject => ({ k: "x", c: "s", id: u.id, m: u.error.message })),
  ];
  await writer?.add(unreadable);
  const complete = apps.finished && sps.finished;
  const owners = ownersPromise(intake);

  return {
    screen: intake.screen,
    errors: [...apps.errors, ...sps.errors],
    mode: "full",
    reason,
    owners,
    ownersCovered: (id) => intake.covers(id),
    async save(found) {
      if (!writer || !store) return;
      if (!complete) {
        log("the directory was not read completely: the inventory store keeps its previous state");
        await writer.abort().catch(() => {});
        return;
      }
      await writer.add([...intake.withFindings.values()].map((s) => withOwners(s, found)));
      const at = options.now.toISOString();
      const state: StoreState = {
        version: STORE_VERSION,
        tenantId: options.tenantId,
        graphEndpoint: options.graphEndpoint,
        deltaLinks: { applications: links![0]!.link!, servicePrincipals: links![1]!.link! },
        lastFullSweepAt: at,
        lastSweepAt: at,
      };
      try {
        await writer.commit(state);
      } catch (error) {
        if (error instanceof StoreConflictError) log(`inventory store: ${error.message}; keeping the other sweep's`);
        else log(`cannot save the inventory to ${store.location}: ${(error as Error).message}`);
      }
    },
  };
}

type Incremental = { kind: "read"; read: Omit<DirectoryRead, "reason"> } | { kind: "fallback"; reason: string };

async function readIncremental(graph: Client, base: StoredInventory, options: DirectoryOptions): Promise<Incremental> {
  const log = options.log ?? (() => {});
  const store = options.store!;
  const links = base.state.deltaLinks!;
  const [apps, sps] = await Promise.all([
    readDeltaRound(graph, links.applications, "applications", options.graphEndpoint),
    readDeltaRound(graph, links.servicePrincipals, "servicePrincipals", options.graphEndpoint),
  ]);
  for (const round of [apps, sps]) {
    if (round.failure) {
      const { error, expired } = round.failure;
      return { kind: "fallback", reason: `${expired ? "the delta link expired or was reset" : "the delta round failed"} (${error.scope}: ${error.message})` };
    }
  }

  // Changes by subject, in the order Graph gave them (an object may appear more than once).
  const changes = new Map<string, { collection: DirectoryCollection; items: DeltaItem[] }>();
  const note = (collection: DirectoryCollection, items: DeltaItem[]) => {
    for (const item of items) {
      const key = keyOf(collection === "applications" ? "a" : "s", item.id);
      const entry = changes.get(key) ?? { collection, items: [] };
      entry.items.push(item);
      changes.set(key, entry);
    }
  };
  note("applications", apps.items);
  note("servicePrincipals", sps.items);

  const intake = new Intake(graph, options, true);
  const put = new Map<string, StoredSubject>();
  const removed: string[] = [];
  try {
    for await (const stored of base.subjects()) {
      const key = subjectKey(stored);
      const change = changes.get(key);
      if (!change) {
        intake.take(stored, true);
        continue;
      }
      changes.delete(key);
      const next = applyChanges(change.collection, stored, change.items);
      if (next === null) removed.push(key);
      else {
        put.set(key, next);
        intake.take(next, false);
      }
    }
  } catch (error) {
    // The owner look-ups already queued are dropped with this attempt.
    void intake.fetcher.finish().catch(() => {});
    const why = error instanceof StoreCorruptError ? "is unreadable" : "cannot be read";
    return { kind: "fallback", reason: `the inventory store (${store.location}) ${why}: ${(error as Error).message}` };
  }
  for (const [key, change] of changes) {
    const next = applyChanges(change.collection, undefined, change.items);
    if (next === null) continue;
    put.set(key, next);
    intake.take(next, false);
  }
  log(`directory changes: ${apps.items.length} application and ${sps.items.length} service principal change(s), ${removed.length} removal(s)`);
  const owners = ownersPromise(intake);

  return {
    kind: "read",
    read: {
      screen: intake.screen,
      errors: intake.errors,
      mode: "incremental",
      owners,
      ownersCovered: (id) => intake.covers(id),
      async save(found) {
        // Changed records, and unchanged ones whose owners were looked up this time.
        for (const [key, subject] of intake.withFindings) {
          if (subject.k === "x" || (subject.o && !put.has(key))) continue;
          if (found.has(subject.id)) put.set(key, withOwners(subject, found));
        }
        const state: StoreState = {
          ...base.state,
          deltaLinks: { applications: apps.deltaLink!, servicePrincipals: sps.deltaLink! },
          lastSweepAt: options.now.toISOString(),
        };
        try {
          await store.commitChanges(base, { put: [...put.values()], remove: removed }, state);
        } catch (error) {
          if (error instanceof StoreConflictError) log(`inventory store: ${error.message}; keeping the other sweep's`);
          else log(`cannot save the inventory changes to ${store.location}: ${(error as Error).message}`);
        }
      },
    },
  };
}

/** The record after its changes, in order; null when the last of them removes it. */
function applyChanges(collection: DirectoryCollection, stored: StoredSubject | undefined, items: DeltaItem[]): StoredSubject | null {
  let current: StoredSubject | null | undefined = stored;
  for (const item of items) {
    if (item.kind === "removed") current = null;
    else if (item.kind === "unreadable") current = { k: "x", c: collection === "applications" ? "a" : "s", id: item.id, m: item.message };
    else current = mergeDelta(collection, current ?? undefined, item.change as Parameters<typeof mergeDelta>[2]);
  }
  return current ?? null;
}
