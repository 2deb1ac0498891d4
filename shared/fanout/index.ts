// Fan-out sweeps from a validated Config: the one place that builds their storage (the Functions
// host's queue and a table beside it) and the clients, for the HTTP sweep and the timer (start), the
// queue-triggered worker (work) and the status route (status).
//
// A tenant with thousands of subscriptions does not fit one instance's time limit. Fanned out, each
// subscription is one queue message (and the directory one more), which the Functions scale
// controller hands to as many instances as the queue's length calls for; the shards meet in Table
// Storage, and whoever stores the last one merges them into the report a single instance would
// have made (shared/fanout/merge.ts).
import type { TokenCredential } from "@azure/identity";
import { QueueServiceClient, type QueueClient } from "@azure/storage-queue";
import type { Config, FanoutStorage } from "../config/index.js";
import { createAzureClients, createCredential, type ClientOptions } from "../azure/clients.js";
import { alertReport, describeNotifySummary, notifyFailed } from "../alert-tenant.js";
import { openInventoryStore } from "../inventory-store/open.js";
import type { Report } from "../model.js";
import { SHARD_QUEUE, SWEEP_ID, describeShard, parseShardMessage } from "./message.js";
import { SWEEP_TABLE, SweepRecords } from "./records.js";
import { planSweep, startFanout, type StartedSweep } from "./start.js";
import { processShard, type ShardOutcome } from "./worker.js";

export { SHARD_QUEUE, MAX_SHARD_ATTEMPTS } from "./message.js";
export type { StartedSweep } from "./start.js";

export interface FanoutStorageClients {
  records: SweepRecords;
  queue: QueueClient;
}

/** The queue and the sweep records, in the Functions host's storage account. */
export function openFanoutStorage(storage: FanoutStorage, credential: TokenCredential): FanoutStorageClients {
  if (storage.kind === "connection-string") {
    return {
      records: SweepRecords.fromConnectionString(storage.connectionString, SWEEP_TABLE),
      queue: QueueServiceClient.fromConnectionString(storage.connectionString).getQueueClient(SHARD_QUEUE),
    };
  }
  return {
    records: SweepRecords.fromUrl(storage.tableUrl, SWEEP_TABLE, credential),
    queue: new QueueServiceClient(storage.queueUrl, credential).getQueueClient(SHARD_QUEUE),
  };
}

export type FanoutMode = "auto" | "fanout";

export interface FanoutStartOptions {
  now: Date;
  /** Narrows CREDWATCH_SUBSCRIPTIONS (HTTP `subscriptions=`). */
  subscriptions?: string[] | null;
  /** auto: only beyond CREDWATCH_FANOUT_SUBSCRIPTIONS subscriptions; fanout: whatever the count. */
  mode: FanoutMode;
  /** Alert on the merged report (sent by the worker that merges). */
  notify: boolean;
  log?: (message: string) => void;
  clientOptions?: ClientOptions;
}

/**
 * Starts a fan-out sweep when asked to, or when the sweep covers more subscriptions than
 * CREDWATCH_FANOUT_SUBSCRIPTIONS; null when the sweep should run in this instance instead (small
 * enough, fan-out off, or no token: the sweep in one instance reports that). Throws when fan-out is
 * asked for without the host's storage.
 */
export async function startFanoutIfWanted(config: Config, options: FanoutStartOptions): Promise<StartedSweep | null> {
  const { storage, subscriptions: threshold } = config.fanout;
  if (!storage) {
    if (options.mode === "fanout") throw new Error("fan-out needs the Functions host's storage (AzureWebJobsStorage)");
    return null;
  }
  if (options.mode === "auto" && threshold === 0) return null;
  const clients = createAzureClients(config, options.clientOptions);
  try {
    const plan = await planSweep(clients, {
      tenantId: config.tenantId,
      subscriptionFilter: options.subscriptions ?? config.subscriptions,
      armEndpoint: config.cloud.armEndpoint,
    });
    if (!plan) return null;
    if (options.mode === "auto" && plan.subscriptions.length <= threshold) return null;
    return await startFanout(openFanoutStorage(storage, clients.credential), plan, {
      now: options.now,
      notify: options.notify,
      ...(options.log ? { log: options.log } : {}),
    });
  } finally {
    await clients.close();
  }
}

export interface WorkOptions {
  /** triggerMetadata.dequeueCount of this delivery. */
  dequeueCount: number;
  log?: (message: string) => void;
  clientOptions?: ClientOptions;
}

/** One delivery of a shard message, as the queue trigger hands it over. A message that is none of credwatch's is dropped. */
export async function workShard(config: Config, item: unknown, options: WorkOptions): Promise<ShardOutcome | null> {
  const log = options.log ?? (() => {});
  const message = parseShardMessage(item);
  if (!message) {
    log(`${SHARD_QUEUE}: a message that is not a credwatch shard was dropped`);
    return null;
  }
  if (!config.fanout.storage) throw new Error(`${describeShard(message)}: no Functions host storage (AzureWebJobsStorage) to record it in`);
  const clients = createAzureClients(config, options.clientOptions);
  try {
    const { records } = openFanoutStorage(config.fanout.storage, clients.credential);
    return await processShard(message, {
      records,
      clients,
      policy: config.policy,
      graphEndpoint: config.cloud.graphEndpoint,
      armEndpoint: config.cloud.armEndpoint,
      suppressions: config.suppressions,
      store: config.incremental.enabled ? openInventoryStore(config.ledger, clients.credential) : null,
      fullSweepDays: config.incremental.fullSweepDays,
      dequeueCount: options.dequeueCount,
      log,
      alert: async (report, meta) => {
        const alerts = await alertReport(config, report, { now: new Date(meta.now), log });
        if (alerts) log(`sweep ${meta.id} alerts: ${describeNotifySummary(alerts)}`);
        // Undelivered alerts fail the delivery, so monitoring sees it; the next delivery sends them.
        if (notifyFailed(alerts)) throw new Error(`alerts were not delivered: ${describeNotifySummary(alerts!)}`);
      },
    });
  } finally {
    await clients.close();
  }
}

export type SweepState =
  | { status: "running"; shardsDone: number; shardsTotal: number }
  | { status: "done"; shardsDone: number; shardsTotal: number; report: Report }
  | { status: "failed"; shardsDone: number; shardsTotal: number; message: string };

/** Where a fan-out sweep is; null for an unknown id. */
export async function sweepStatus(config: Config, id: string): Promise<SweepState | null> {
  if (!SWEEP_ID.test(id) || !config.fanout.storage) return null;
  const { records } = openFanoutStorage(config.fanout.storage, createCredential(config));
  const meta = await records.meta(id);
  if (!meta) return null;
  const counts = { shardsDone: meta.shardsDone, shardsTotal: meta.shardsTotal };
  if (meta.status === "failed") return { status: "failed", ...counts, message: meta.message ?? "the sweep failed" };
  if (meta.status === "done") {
    const report = await records.report(id);
    if (report) return { status: "done", ...counts, report };
  }
  return { status: "running", ...counts };
}
