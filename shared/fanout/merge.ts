// The last step of a fan-out sweep: every shard back into one Inventory — in the order a sweep in one
// instance collects it (collect/inventory.ts) — then the very report-building of runSweep
// (reportInventory): analysis, owners, suppressions, report.
import type { Client as GraphClient } from "@microsoft/microsoft-graph-client";
import type { CollectionError, Policy, Report } from "../model.js";
import { assembleInventory, type SubscriptionShard } from "../collect/inventory.js";
import { reportInventory } from "../sweep.js";
import type { SuppressionRule } from "../suppress/rules.js";
import type { StoredShard, SweepMeta } from "./records.js";
import { parseDirectorySnapshot, restoreDirectory, unreadDirectory } from "./snapshot.js";

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

  const assembled = assembleInventory({ tenantId: meta.tenantId, screen: directory.screen, subscriptions });
  const { inventory } = assembled;
  const errors: CollectionError[] = [...directory.errors, ...meta.listingErrors, ...assembled.errors];
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
