// Reads the whole tenant into an Inventory: Graph and ARM concurrently, ARM work per subscription
// with bounded concurrency. The directory is screened page by page (directory.ts): the Inventory
// holds only the applications and service principals analysis can still need, the counts travel in
// the DirectoryRead. Every read that fails becomes a CollectionError naming its scope; the rest of
// the sweep goes on.
import pLimit from "p-limit";
import type { AzureClients, SubscriptionClients } from "../azure/clients.js";
import type { CollectionError, Inventory, ManagedCluster, Policy, Registry, RegistryToken, RoleAssignment, ActivityEvent, Subscription } from "../model.js";
import { parseResourceId } from "../arm-ids.js";
import { toCollectionError } from "./errors.js";
import { collectDirectory, type DirectoryRead } from "./directory.js";
import type { InventoryStore } from "../inventory-store/store.js";
import { collectSubscriptions } from "./arm-subscriptions.js";
import { listRegistries, listTokens } from "./acr-registries.js";
import { listRoleAssignments } from "./role-assignments.js";
import { listRegistryEvents } from "./activity-log.js";
import { attachEgressIps, listClusters } from "./aks.js";
import { listPublicIpAddresses } from "./public-ips.js";

/** Subscriptions read at once by default: ARM limits reads per subscription, so reading many
 *  subscriptions side by side costs no subscription more than reading them one after another. */
export const DEFAULT_SUBSCRIPTION_CONCURRENCY = 32;
/**
 * ARM list operations in flight at once, across subscriptions. Bounded by request rather than by
 * subscription so the pipeline stays full without waves, and so that a burst of ARM answers never
 * queues far ahead of the Graph pages, whose chain is the longest of the sweep.
 */
export const DEFAULT_ARM_CONCURRENCY = 12;

export interface CollectOptions {
  tenantId: string;
  now: Date;
  /** The policy the directory is screened with (credential classification). */
  policy: Policy;
  adminEventLookbackDays: number;
  subscriptionFilter: string[] | null;
  graphEndpoint: string;
  armEndpoint: string;
  /** Subscriptions read at once; each runs a handful of requests in parallel. */
  subscriptionConcurrency?: number;
  /** ARM list operations in flight at once, across subscriptions. */
  armConcurrency?: number;
  /** Inventory store of incremental sweeps; null or absent: the directory is read in full. */
  store?: InventoryStore | null;
  fullSweepDays?: number;
  log?: (message: string) => void;
}

export interface Collected {
  /** applications and servicePrincipals: only those analysis can still need (see DirectoryScreen). */
  inventory: Inventory;
  errors: CollectionError[];
  directory: DirectoryRead;
}

export interface SubscriptionRead {
  registries: Registry[];
  tokens: RegistryToken[];
  roleAssignments: RoleAssignment[];
  activityEvents: ActivityEvent[];
  managedClusters: ManagedCluster[];
  errors: CollectionError[];
}

export async function collectInventory(clients: AzureClients, options: CollectOptions): Promise<Collected> {
  const armConcurrency = options.armConcurrency ?? DEFAULT_ARM_CONCURRENCY;
  const armLimit = pLimit(armConcurrency);
  const readArm = async () => {
    const listing = await collectSubscriptions(clients.subscriptions, options.subscriptionFilter, options.armEndpoint);
    const limit = pLimit(options.subscriptionConcurrency ?? DEFAULT_SUBSCRIPTION_CONCURRENCY);
    const arm = armReader(clients, armLimit);
    const reads = await Promise.all(listing.subscriptions.map((s) => limit(() => readSubscription(clients, arm, s.subscriptionId, options))));
    return { listing, reads };
  };
  const [directory, { listing: subscriptionListing, reads }] = await Promise.all([
    collectDirectory(clients.graph, {
      tenantId: options.tenantId,
      now: options.now,
      policy: options.policy,
      graphEndpoint: options.graphEndpoint,
      store: options.store ?? null,
      ...(options.fullSweepDays !== undefined ? { fullSweepDays: options.fullSweepDays } : {}),
      ...(options.log ? { log: options.log } : {}),
      // Reading only the directory's changes leaves no long chain of Graph pages to keep clear: ARM
      // may then go twice as wide.
      onPlan: (mode) => {
        armLimit.concurrency = mode === "incremental" ? 2 * armConcurrency : armConcurrency;
      },
    }),
    readArm(),
  ]);

  const assembled = assembleInventory({
    tenantId: options.tenantId,
    screen: directory.screen,
    subscriptions: subscriptionListing.subscriptions.map((subscription, index) => ({ subscription, read: reads[index]! })),
  });
  return { directory, inventory: assembled.inventory, errors: [...directory.errors, ...subscriptionListing.errors, ...assembled.errors] };
}

/** What was read of one subscription, beside the subscription as listed. */
export interface SubscriptionShard {
  subscription: Subscription;
  read: SubscriptionRead;
}

/**
 * The Inventory from the screened directory and the subscriptions' reads, in listing order: a
 * subscription with any read error counts as unreadable. One sweep in one instance and the merge of a
 * fan-out sweep (fanout/merge.ts) both build it here, so they report alike.
 */
export function assembleInventory(parts: {
  tenantId: string;
  screen: Pick<DirectoryRead["screen"], "finish">;
  subscriptions: SubscriptionShard[];
}): { inventory: Inventory; errors: CollectionError[] } {
  const unreadable = new Set<string>();
  const errors: CollectionError[] = [];
  for (const { subscription, read } of parts.subscriptions) {
    if (read.errors.length > 0) unreadable.add(subscription.subscriptionId);
    errors.push(...read.errors);
  }
  const reads = parts.subscriptions.map((s) => s.read);
  const managedClusters = reads.flatMap((r) => r.managedClusters);
  const screened = parts.screen.finish(managedClusters);
  return {
    inventory: {
      tenantId: parts.tenantId,
      applications: screened.applications,
      servicePrincipals: screened.servicePrincipals,
      subscriptions: parts.subscriptions.map((s) => s.subscription).filter((s) => !unreadable.has(s.subscriptionId)),
      unreadableSubscriptions: [...unreadable],
      registries: reads.flatMap((r) => r.registries),
      tokens: reads.flatMap((r) => r.tokens),
      roleAssignments: reads.flatMap((r) => r.roleAssignments),
      activityEvents: reads.flatMap((r) => r.activityEvents),
      managedClusters,
    },
    errors,
  };
}

/** The ARM list operations of a sweep, each through one limiter; public IPs listed once per subscription. */
export interface ArmReader {
  limit: <T>(read: () => Promise<T>) => Promise<T>;
  publicIps(subscriptionId: string): Promise<Map<string, string>>;
}

export function armReader(clients: AzureClients, limit: ReturnType<typeof pLimit>): ArmReader {
  const publicIps = new Map<string, Promise<Map<string, string>>>();
  return {
    limit: (read) => limit(read),
    publicIps(subscriptionId) {
      let listing = publicIps.get(subscriptionId);
      if (!listing) {
        listing = limit(() => listPublicIpAddresses(clients.forSubscription(subscriptionId).network));
        publicIps.set(subscriptionId, listing);
      }
      return listing;
    },
  };
}

export async function readSubscription(clients: AzureClients, arm: ArmReader, subscriptionId: string, options: CollectOptions): Promise<SubscriptionRead> {
  const sub = clients.forSubscription(subscriptionId);
  const failures: { what: string; error: unknown }[] = [];
  let attempted = 0;
  const attempt = async <T>(what: string, read: () => Promise<T>, fallback: T): Promise<T> => {
    attempted++;
    try {
      return await arm.limit(read);
    } catch (error) {
      failures.push({ what, error });
      return fallback;
    }
  };

  // Role assignments matter only where they can grant pull on a registry: in a subscription that
  // holds one (assignments at management-group or root scope are listed there too). The activity log
  // matters only for registries with the admin user on (admin-key-regenerated needs both), and a
  // registry's events are logged in its own subscription. Elsewhere neither is read.
  const [registries, clusterListing] = await Promise.all([
    attempt("registries", () => listRegistries(sub.registries, subscriptionId), [] as Registry[]),
    attempt("AKS clusters", () => listClusters(sub.containerService, subscriptionId), null),
  ]);
  const none = Promise.resolve([]);
  const [roleAssignments, activityEvents, tokenListings, managedClusters] = await Promise.all([
    registries.length > 0 ? attempt("role assignments", () => listRoleAssignments(sub.authorization, subscriptionId), [] as RoleAssignment[]) : none,
    registries.some((r) => r.adminUserEnabled)
      ? attempt("activity log", () => listRegistryEvents(sub.monitor, subscriptionId, options.now, options.adminEventLookbackDays), [] as ActivityEvent[])
      : none,
    Promise.all(registries.map((registry) => arm.limit(() => readTokens(sub, registry, options.armEndpoint)))),
    clusterListing ? resolveEgress(arm, subscriptionId, clusterListing, options.armEndpoint) : { clusters: [], errors: [] },
  ]);
  const errors = subscriptionErrors(subscriptionId, failures, attempted, options.armEndpoint);
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
function subscriptionErrors(subscriptionId: string, failures: { what: string; error: unknown }[], attempted: number, endpoint: string): CollectionError[] {
  const errors = failures.map((f) => ({ what: f.what, error: toCollectionError("arm", subscriptionId, f.error, endpoint) }));
  const first = errors[0];
  if (errors.length === attempted && attempted > 1 && first && errors.every((e) => e.error.status === first.error.status)) {
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
  arm: ArmReader,
  subscriptionId: string,
  listing: Awaited<ReturnType<typeof listClusters>>,
  endpoint: string,
): Promise<{ clusters: ManagedCluster[]; errors: CollectionError[] }> {
  // Egress IPs normally live in the cluster's node resource group, in the same subscription; a
  // bring-your-own IP may sit in another, so list every subscription the references point into
  // (each one once per sweep, however many subscriptions' clusters point into it).
  const owning = new Set<string>();
  for (const refs of listing.egressRefs.values()) {
    for (const ref of refs) owning.add((parseResourceId(ref).subscriptionId ?? subscriptionId).toLowerCase());
  }
  const addresses = new Map<string, string>();
  const errors: CollectionError[] = [];
  await Promise.all(
    [...owning].map(async (owner) => {
      try {
        for (const [id, ip] of await arm.publicIps(owner)) addresses.set(id, ip);
      } catch (error) {
        const failure = toCollectionError("arm", owner, error, endpoint);
        errors.push({ ...failure, message: `public IP addresses (cluster egress): ${failure.message}` });
      }
    }),
  );
  return { clusters: attachEgressIps(listing.clusters, listing.egressRefs, addresses), errors };
}
