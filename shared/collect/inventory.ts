// Reads the whole tenant into an Inventory: Graph and ARM concurrently, ARM work per subscription
// with bounded concurrency. Every read that fails becomes a CollectionError naming its scope; the
// rest of the sweep goes on.
import pLimit from "p-limit";
import type { AzureClients, SubscriptionClients } from "../azure/clients.js";
import type { CollectionError, Inventory, ManagedCluster, Registry, RegistryToken, RoleAssignment, ActivityEvent } from "../model.js";
import { parseResourceId } from "../arm-ids.js";
import { toCollectionError } from "./errors.js";
import { collectApplications, collectServicePrincipals } from "./graph-directory.js";
import { collectSubscriptions } from "./arm-subscriptions.js";
import { listRegistries, listTokens } from "./acr-registries.js";
import { listRoleAssignments } from "./role-assignments.js";
import { listRegistryEvents } from "./activity-log.js";
import { attachEgressIps, listClusters } from "./aks.js";
import { listPublicIpAddresses } from "./public-ips.js";

export interface CollectOptions {
  tenantId: string;
  now: Date;
  adminEventLookbackDays: number;
  subscriptionFilter: string[] | null;
  graphEndpoint: string;
  armEndpoint: string;
  /** Subscriptions read at once; each runs a handful of requests in parallel. */
  subscriptionConcurrency?: number;
}

export interface Collected {
  inventory: Inventory;
  errors: CollectionError[];
}

interface SubscriptionRead {
  registries: Registry[];
  tokens: RegistryToken[];
  roleAssignments: RoleAssignment[];
  activityEvents: ActivityEvent[];
  managedClusters: ManagedCluster[];
  errors: CollectionError[];
}

export async function collectInventory(clients: AzureClients, options: CollectOptions): Promise<Collected> {
  const [applications, servicePrincipals, subscriptionListing] = await Promise.all([
    collectApplications(clients.graph, options.graphEndpoint),
    collectServicePrincipals(clients.graph, options.graphEndpoint),
    collectSubscriptions(clients.subscriptions, options.subscriptionFilter, options.armEndpoint),
  ]);
  const limit = pLimit(options.subscriptionConcurrency ?? 8);
  const reads = await Promise.all(
    subscriptionListing.subscriptions.map((s) => limit(() => readSubscription(clients, s.subscriptionId, options))),
  );

  const errors = [...applications.errors, ...servicePrincipals.errors, ...subscriptionListing.errors];
  const unreadable = new Set<string>();
  reads.forEach((read, index) => {
    const id = subscriptionListing.subscriptions[index]!.subscriptionId;
    if (read.errors.length > 0) unreadable.add(id);
    errors.push(...read.errors);
  });
  return {
    inventory: {
      tenantId: options.tenantId,
      applications: applications.items,
      servicePrincipals: servicePrincipals.items,
      subscriptions: subscriptionListing.subscriptions.filter((s) => !unreadable.has(s.subscriptionId)),
      unreadableSubscriptions: [...unreadable],
      registries: reads.flatMap((r) => r.registries),
      tokens: reads.flatMap((r) => r.tokens),
      roleAssignments: reads.flatMap((r) => r.roleAssignments),
      activityEvents: reads.flatMap((r) => r.activityEvents),
      managedClusters: reads.flatMap((r) => r.managedClusters),
    },
    errors,
  };
}

async function readSubscription(clients: AzureClients, subscriptionId: string, options: CollectOptions): Promise<SubscriptionRead> {
  const sub = clients.forSubscription(subscriptionId);
  const failures: { what: string; error: unknown }[] = [];
  const attempt = async <T>(what: string, read: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      failures.push({ what, error });
      return fallback;
    }
  };

  const [registries, roleAssignments, activityEvents, clusterListing] = await Promise.all([
    attempt("registries", () => listRegistries(sub.registries, subscriptionId), [] as Registry[]),
    attempt("role assignments", () => listRoleAssignments(sub.authorization, subscriptionId), [] as RoleAssignment[]),
    attempt(
      "activity log",
      () => listRegistryEvents(sub.monitor, subscriptionId, options.now, options.adminEventLookbackDays),
      [] as ActivityEvent[],
    ),
    attempt("AKS clusters", () => listClusters(sub.containerService, subscriptionId), null),
  ]);
  const errors = subscriptionErrors(subscriptionId, failures, options.armEndpoint);

  const [tokenListings, managedClusters] = await Promise.all([
    Promise.all(registries.map((registry) => readTokens(sub, registry, options.armEndpoint))),
    clusterListing ? resolveEgress(clients, subscriptionId, clusterListing, options.armEndpoint) : { clusters: [], errors: [] },
  ]);
  for (const listing of tokenListings) errors.push(...listing.errors);
  errors.push(...managedClusters.errors);
  return {
    registries,
    tokens: tokenListings.flatMap((t) => t.tokens),
    roleAssignments,
    activityEvents,
    managedClusters: managedClusters.clusters,
    errors,
  };
}

/**
 * One error per subscription when every read failed with the same status (a subscription the
 * identity cannot read says so once, with the most informative of the service's messages), else
 * one per failed read.
 */
function subscriptionErrors(subscriptionId: string, failures: { what: string; error: unknown }[], endpoint: string): CollectionError[] {
  const errors = failures.map((f) => ({ what: f.what, error: toCollectionError("arm", subscriptionId, f.error, endpoint) }));
  const first = errors[0];
  const allReads = 4;
  if (errors.length === allReads && first && errors.every((e) => e.error.status === first.error.status)) {
    const fullest = errors.reduce((a, b) => (b.error.message.length > a.error.message.length ? b : a));
    return [{ ...fullest.error, message: `every read failed: ${fullest.error.message}` }];
  }
  return errors.map((e) => ({ ...e.error, message: `${e.what}: ${e.error.message}` }));
}

async function readTokens(sub: SubscriptionClients, registry: Registry, endpoint: string) {
  try {
    return await listTokens(sub.registries, registry);
  } catch (error) {
    const failure = toCollectionError("arm", registry.id, error, endpoint);
    return { tokens: [], errors: [{ ...failure, message: `scoped tokens: ${failure.message}` }] };
  }
}

async function resolveEgress(
  clients: AzureClients,
  subscriptionId: string,
  listing: Awaited<ReturnType<typeof listClusters>>,
  endpoint: string,
): Promise<{ clusters: ManagedCluster[]; errors: CollectionError[] }> {
  // Egress IPs normally live in the cluster's node resource group, in the same subscription; a
  // bring-your-own IP may sit in another, so list every subscription the references point into.
  const owning = new Set<string>();
  for (const refs of listing.egressRefs.values()) {
    for (const ref of refs) owning.add((parseResourceId(ref).subscriptionId ?? subscriptionId).toLowerCase());
  }
  const addresses = new Map<string, string>();
  const errors: CollectionError[] = [];
  await Promise.all(
    [...owning].map(async (owner) => {
      try {
        for (const [id, ip] of await listPublicIpAddresses(clients.forSubscription(owner).network)) addresses.set(id, ip);
      } catch (error) {
        const failure = toCollectionError("arm", owner, error, endpoint);
        errors.push({ ...failure, message: `public IP addresses (cluster egress): ${failure.message}` });
      }
    }),
  );
  return { clusters: attachEgressIps(listing.clusters, listing.egressRefs, addresses), errors };
}
