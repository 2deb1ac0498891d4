// Starting a fan-out sweep: the tenant and its subscriptions are worked out here (one token, one
// subscription listing), the sweep is recorded, and one message per shard is queued — shard 0 the
// directory, shards 1..N the subscriptions in listing order.
import type { QueueClient } from "@azure/storage-queue";
import pLimit from "p-limit";
import type { AzureClients } from "../azure/clients.js";
import { resolveTenantId } from "../azure/tenant.js";
import { collectSubscriptions } from "../collect/arm-subscriptions.js";
import type { CollectionError, Subscription } from "../model.js";
import { encodeShardMessage, newSweepId, type ShardMessage } from "./message.js";
import type { SweepRecords } from "./records.js";

/** Records of sweeps older than this are dropped when a new one starts. */
export const KEEP_SWEEPS_DAYS = 7;
const SEND_CONCURRENCY = 16;

export interface SweepPlan {
  tenantId: string;
  subscriptionFilter: string[] | null;
  subscriptions: Subscription[];
  listingErrors: CollectionError[];
}

/**
 * The tenant and the subscriptions a sweep would read. Null when no token can be had: a sweep in one
 * instance then reports that (runSweep), which is the same answer sooner.
 */
export async function planSweep(
  clients: AzureClients,
  options: { tenantId: string | null; subscriptionFilter: string[] | null; armEndpoint: string },
): Promise<SweepPlan | null> {
  let tenantId: string;
  try {
    tenantId = await resolveTenantId(clients.credential, clients.graphScope, options.tenantId);
  } catch {
    return null;
  }
  const listing = await collectSubscriptions(clients.subscriptions, options.subscriptionFilter, options.armEndpoint);
  return { tenantId, subscriptionFilter: options.subscriptionFilter, subscriptions: listing.subscriptions, listingErrors: listing.errors };
}

export interface StartedSweep {
  id: string;
  shardsTotal: number;
}

export async function startFanout(
  storage: { records: SweepRecords; queue: QueueClient },
  plan: SweepPlan,
  options: { now: Date; notify: boolean; log?: (message: string) => void },
): Promise<StartedSweep> {
  const log = options.log ?? (() => {});
  const { records, queue } = storage;
  const cutoff = new Date(options.now.getTime() - KEEP_SWEEPS_DAYS * 86_400_000);
  await records.dropCreatedBefore(cutoff).then(
    (n) => n > 0 && log(`dropped the records of ${n} sweep(s) older than ${KEEP_SWEEPS_DAYS} days`),
    (error: unknown) => log(`could not drop old sweep records: ${error instanceof Error ? error.message : String(error)}`),
  );

  const id = newSweepId();
  const messages: ShardMessage[] = [
    { v: 1, sweep: id, shard: 0, kind: "directory" },
    ...plan.subscriptions.map((subscription, i): ShardMessage => ({ v: 1, sweep: id, shard: i + 1, kind: "subscription", subscription })),
  ];
  await records.create(
    id,
    { tenantId: plan.tenantId, now: options.now.toISOString(), subscriptionFilter: plan.subscriptionFilter, listingErrors: plan.listingErrors, notify: options.notify },
    messages.length,
    options.now,
  );
  try {
    await queue.createIfNotExists();
    const limit = pLimit(SEND_CONCURRENCY);
    await Promise.all(messages.map((message) => limit(() => queue.sendMessage(encodeShardMessage(message)))));
  } catch (error) {
    // Shards that never reach the queue would leave the sweep running for ever.
    await records.fail(id, `could not queue the shards: ${error instanceof Error ? error.message : String(error)}`).catch(() => {});
    throw error;
  }
  log(`sweep ${id}: fanned out to ${messages.length} shards (the directory and ${plan.subscriptions.length} subscriptions)`);
  return { id, shardsTotal: messages.length };
}
