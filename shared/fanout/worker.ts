// The worker of a fan-out sweep: one shard message in, its shard read and stored; the worker that
// stores the last shard merges them into the report.
//
// Every delivery of a message is safe to repeat: a shard already stored is neither read nor counted
// again, a sweep already finished is left alone (but for alerts still owed), and the merge may run
// twice without harm. A shard that keeps failing is retried by the queue; after MAX_SHARD_ATTEMPTS
// deliveries it is stored as an error of the report instead, so the sweep always ends.
import pLimit from "p-limit";
import type { AzureClients } from "../azure/clients.js";
import type { CollectionError, Policy, Report } from "../model.js";
import { collectDirectory } from "../collect/directory.js";
import { armReader, DEFAULT_ARM_CONCURRENCY, readSubscription } from "../collect/inventory.js";
import type { InventoryStore } from "../inventory-store/store.js";
import type { SuppressionRule } from "../suppress/rules.js";
import { MAX_SHARD_ATTEMPTS, describeShard, type ShardMessage } from "./message.js";
import { mergeShards } from "./merge.js";
import type { SubscriptionShard } from "../collect/inventory.js";
import type { SweepMeta, SweepRecords } from "./records.js";
import { snapshotDirectory, unreadDirectory, type DirectorySnapshot } from "./snapshot.js";

export interface ShardDeps {
  records: SweepRecords;
  clients: AzureClients;
  policy: Policy;
  graphEndpoint: string;
  armEndpoint: string;
  suppressions: SuppressionRule[];
  /** Inventory store of incremental sweeps, for the directory shard; null: the directory is read in full. */
  store: InventoryStore | null;
  fullSweepDays?: number;
  /** How many times the queue has delivered this message, this delivery included (triggerMetadata.dequeueCount). */
  dequeueCount: number;
  log?: (message: string) => void;
  /** Sends the alerts of a merged sweep that asks for them; a throw leaves them to the message's next delivery. */
  alert?: (report: Report, meta: SweepMeta) => Promise<void>;
}

export type ShardOutcome =
  /** Stored; other shards are still to come. */
  | { outcome: "recorded" }
  /** Already stored by an earlier delivery. */
  | { outcome: "duplicate" }
  /** The last shard: the sweep is merged and done. */
  | { outcome: "merged"; report: Report }
  /** The sweep had ended (done or failed), or does not exist: nothing to do. */
  | { outcome: "ended" }
  /** The last delivery failed too: the sweep is marked failed (or its alerts given up). */
  | { outcome: "gave-up"; error: string };

export async function processShard(message: ShardMessage, deps: ShardDeps): Promise<ShardOutcome> {
  const log = deps.log ?? (() => {});
  const { records } = deps;
  const what = describeShard(message);
  const meta = await records.meta(message.sweep);
  if (!meta) {
    log(`${what}: no such sweep in ${records.location}; message dropped`);
    return { outcome: "ended" };
  }
  const lastDelivery = deps.dequeueCount > MAX_SHARD_ATTEMPTS;
  try {
    if (meta.status === "failed") return { outcome: "ended" };
    if (meta.status === "done") {
      await alertOnce(meta, null, deps);
      return { outcome: "ended" };
    }
    let count: { recorded: boolean; done: number; total: number };
    if (await records.hasShard(meta.id, message.shard)) {
      count = { recorded: false, done: meta.shardsDone, total: meta.shardsTotal };
    } else {
      const value = lastDelivery ? await givenUp(message, records, meta) : await readShard(message, meta, deps);
      count = await records.recordShard(meta.id, message.shard, message.kind, value);
      log(`${what}: stored (${count.done} of ${count.total})`);
    }
    if (count.done < count.total) return { outcome: count.recorded ? "recorded" : "duplicate" };

    const report = await mergeShards(deps.clients.graph, meta, await records.shards(meta.id), {
      policy: deps.policy,
      graphEndpoint: deps.graphEndpoint,
      suppressions: deps.suppressions,
    });
    await records.finish(meta.id, report);
    log(`sweep ${meta.id}: merged ${count.total} shards, ${report.findings.length} findings, complete=${report.complete}`);
    await alertOnce({ ...meta, status: "done" }, report, deps);
    return { outcome: "merged", report };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (!lastDelivery) {
      await records.noteFailure(meta.id, message.shard, text).catch(() => {});
      throw error;
    }
    // Nothing more will come of this message: a sweep still running ends failed rather than never.
    log(`${what}: failed on its last delivery (${text})`);
    await records.fail(meta.id, `${what}: ${text}`);
    return { outcome: "gave-up", error: text };
  }
}

async function readShard(message: ShardMessage, meta: SweepMeta, deps: ShardDeps): Promise<DirectorySnapshot | SubscriptionShard> {
  const now = new Date(meta.now);
  const { clients } = deps;
  if (message.kind === "directory") {
    const read = await collectDirectory(clients.graph, {
      tenantId: meta.tenantId,
      now,
      policy: deps.policy,
      graphEndpoint: deps.graphEndpoint,
      store: deps.store,
      ...(deps.fullSweepDays !== undefined ? { fullSweepDays: deps.fullSweepDays } : {}),
      ...(deps.log ? { log: deps.log } : {}),
    });
    const owners = await read.owners();
    await read.save(owners.owners);
    return snapshotDirectory(read.screen, read.errors, owners);
  }
  const subscriptionId = message.subscription.subscriptionId;
  const read = await readSubscription(clients, armReader(clients, pLimit(DEFAULT_ARM_CONCURRENCY)), subscriptionId, {
    tenantId: meta.tenantId,
    now,
    policy: deps.policy,
    adminEventLookbackDays: deps.policy.adminEventLookbackDays,
    subscriptionFilter: meta.subscriptionFilter,
    graphEndpoint: deps.graphEndpoint,
    armEndpoint: deps.armEndpoint,
  });
  return { subscription: message.subscription, read };
}

/** What a shard given up stores: an error in place of what it would have read. */
async function givenUp(message: ShardMessage, records: SweepRecords, meta: SweepMeta): Promise<DirectorySnapshot | SubscriptionShard> {
  const last = await records.lastFailure(meta.id, message.shard);
  const text =
    `not read: the fan-out worker gave up after ${MAX_SHARD_ATTEMPTS} deliveries of this shard` +
    (last ? ` (last error: ${last})` : " (no attempt finished: each timed out or was stopped)");
  if (message.kind === "directory") return unreadDirectory(text);
  const error: CollectionError = { source: "arm", scope: message.subscription.subscriptionId, status: null, message: text };
  return {
    subscription: message.subscription,
    read: { registries: [], tokens: [], roleAssignments: [], activityEvents: [], managedClusters: [], errors: [error] },
  };
}

async function alertOnce(meta: SweepMeta, report: Report | null, deps: ShardDeps): Promise<void> {
  if (!meta.notify || meta.alerted || !deps.alert) return;
  const merged = report ?? (await deps.records.report(meta.id));
  if (!merged) return;
  await deps.alert(merged, meta);
  await deps.records.markAlerted(meta.id);
}
