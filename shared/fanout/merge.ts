// The last step of a fan-out sweep: every shard back into one Inventory — in the order a sweep in one
// instance collects it (collect/inventory.ts) — then the very report-building of runSweep
// (reportInventory): analysis, owners, suppressions, report.
import type { Client as GraphClient } from "@microsoft/microsoft-graph-client";
import type { CollectionError, Inventory, Policy, Report, Subscription } from "../model.js";
import type { SubscriptionRead } from "../collect/inventory.js";
import { reportInventory } from "../sweep.js";
import type { SuppressionRule } from "../suppress/rules.js";
import type { StoredShard, SweepMeta } from "./records.js";
import { parseDirectorySnapshot, restoreDirectory, unreadDirectory } from "./snapshot.js";

/** What a subscription shard stores: the subscription as listed, and what was read of it. */
export interface SubscriptionShard {
  subscription: Subscription;
  read: SubscriptionRead;
}

export interface MergeOptions {
  policy: Policy;
  graphEndpoint: string;
  suppressions: SuppressionRule[];
}

export async function mergeShards(graph: GraphClient, meta: SweepMeta, shards: StoredShard[], options: MergeOptions): Promise<Report> {
  const now = new Date(meta.now);
  const directoryShard = shards.find((s) => s.kind === "directory");
  const snapshot = directoryShard ? parseDirectorySnapshot(directoryShard.value) : unreadDirectory("the directory shard of this sweep is missing");
  const directory = restoreDirectory(snapshot, options.policy, now);
  const subscriptions = shards.filter((s) => s.kind === "subscription").map((s) => s.value as SubscriptionShard);

  const errors: CollectionError[] = [...directory.errors, ...meta.listingErrors];
  const unreadable = new Set<string>();
  for (const { subscription, read } of subscriptions) {
    if (read.errors.length > 0) unreadable.add(subscription.subscriptionId);
    errors.push(...read.errors);
  }
  const reads = subscriptions.map((s) => s.read);
  const managedClusters = reads.flatMap((r) => r.managedClusters);
  const screened = directory.screen.finish(managedClusters);
  const inventory: Inventory = {
    tenantId: meta.tenantId,
    applications: screened.applications,
    servicePrincipals: screened.servicePrincipals,
    subscriptions: subscriptions.map((s) => s.subscription).filter((s) => !unreadable.has(s.subscriptionId)),
    unreadableSubscriptions: [...unreadable],
    registries: reads.flatMap((r) => r.registries),
    tokens: reads.flatMap((r) => r.tokens),
    roleAssignments: reads.flatMap((r) => r.roleAssignments),
    activityEvents: reads.flatMap((r) => r.activityEvents),
    managedClusters,
  };
  return reportInventory(graph, {
    tenantId: meta.tenantId,
    now,
    policy: options.policy,
    graphEndpoint: options.graphEndpoint,
    suppressions: options.suppressions,
    inventory,
    counts: directory.counts,
    errors,
    directory: directory.owners,
  });
}
