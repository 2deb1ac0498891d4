// One sweep: collect → analyze → owners for the subjects with findings → report.
// Dependencies arrive as plain parameters; the clock is an argument, never read here.
//
// The directory is screened while it is read (collect/directory.ts): analysis sees only the
// applications and service principals that can still give a finding, the report's coverage counts
// everything that was read, and owners are looked up while the rest of the tenant is still being
// read. With an inventory store, the directory part is incremental between full sweeps.
import type { Client as GraphClient } from "@microsoft/microsoft-graph-client";
import type { AzureClients } from "./azure/clients.js";
import type { CollectionError, Coverage, Finding, Inventory, Owner, Policy, Report } from "./model.js";
import { resolveTenantId } from "./azure/tenant.js";
import { collectInventory } from "./collect/inventory.js";
import { collectOwners, ownerContact, type OwnerLookup, type OwnerSubject } from "./collect/graph-owners.js";
import type { ScreenCounts } from "./analyze/directory-screen.js";
import type { InventoryStore } from "./inventory-store/store.js";
import { toCollectionError } from "./collect/errors.js";
import { analyze, countCredentialsInScope } from "./analyze/index.js";
import { applySuppressions } from "./suppress/apply.js";
import type { SuppressionRule } from "./suppress/rules.js";

export interface SweepOptions {
  now: Date;
  policy: Policy;
  subscriptionFilter: string[] | null;
  tenantId: string | null;
  graphEndpoint: string;
  armEndpoint: string;
  /** Inventory store of incremental sweeps (CREDWATCH_INCREMENTAL); absent: the directory is read in full. */
  store?: InventoryStore | null;
  /** With a store: a full sweep at least this often, in days (CREDWATCH_FULL_SWEEP_DAYS). */
  fullSweepDays?: number;
  /** Subscriptions read at once. */
  subscriptionConcurrency?: number;
  /** ARM list operations in flight at once. */
  armConcurrency?: number;
  /** Suppression rules, applied after analysis: suppressed findings stay in the report, marked. */
  suppressions?: SuppressionRule[];
  /** Progress for people (stderr in the CLI, the function log in Azure). Never given secrets. */
  log?: (message: string) => void;
}

export async function runSweep(clients: AzureClients, options: SweepOptions): Promise<Report> {
  const log = options.log ?? (() => {});
  let tenantId: string;
  try {
    tenantId = await resolveTenantId(clients.credential, clients.graphScope, options.tenantId);
  } catch (error) {
    // Without a token nothing can be read: say so once rather than once per collection.
    const failure = toCollectionError("graph", "authentication", error, options.graphEndpoint);
    return buildReport({ tenantId: options.tenantId ?? "unknown", now: options.now, inventory: null, directory: null, findings: [], errors: [failure] });
  }

  log(`sweeping tenant ${tenantId}`);
  const collected = await collectInventory(clients, {
    tenantId,
    now: options.now,
    policy: options.policy,
    adminEventLookbackDays: options.policy.adminEventLookbackDays,
    subscriptionFilter: options.subscriptionFilter,
    graphEndpoint: options.graphEndpoint,
    armEndpoint: options.armEndpoint,
    store: options.store ?? null,
    ...(options.fullSweepDays !== undefined ? { fullSweepDays: options.fullSweepDays } : {}),
    ...(options.subscriptionConcurrency !== undefined ? { subscriptionConcurrency: options.subscriptionConcurrency } : {}),
    ...(options.armConcurrency !== undefined ? { armConcurrency: options.armConcurrency } : {}),
    log,
  });
  const { inventory, directory } = collected;
  const counts = directory.screen.counts;
  log(
    `read ${counts.applications} applications, ${counts.servicePrincipals} service principals` +
      `${directory.mode === "incremental" ? " (changes only)" : ""}, ` +
      `${inventory.subscriptions.length + inventory.unreadableSubscriptions.length} subscriptions, ${inventory.registries.length} registries, ` +
      `${inventory.managedClusters.length} clusters`,
  );

  return reportInventory(clients.graph, {
    tenantId,
    now: options.now,
    policy: options.policy,
    graphEndpoint: options.graphEndpoint,
    suppressions: options.suppressions ?? [],
    inventory,
    counts,
    errors: collected.errors,
    directory,
  });
}

/** What a report needs of the directory read besides the inventory: the owners of the subjects with findings. */
export interface DirectoryOwners {
  /** Owners looked up (or kept) for the subjects with findings. */
  owners(): Promise<OwnerLookup>;
  /** Subject ids whose owners owners() covers; the rest are looked up here. */
  ownersCovered(id: string): boolean;
  /** Keeps the owners found with the directory (the inventory store); a no-op where there is none. */
  save(owners: ReadonlyMap<string, Owner[]>): Promise<void>;
}

export interface ReportInput {
  tenantId: string;
  now: Date;
  policy: Policy;
  graphEndpoint: string;
  suppressions: SuppressionRule[];
  /** The collected inventory (directory already screened). */
  inventory: Inventory;
  /** Directory coverage: everything that was read, not just what the inventory kept. */
  counts: Readonly<ScreenCounts>;
  /** Collection errors, in order: directory, subscription listing, subscriptions. */
  errors: CollectionError[];
  directory: DirectoryOwners;
}

/**
 * The second half of every sweep, in one instance (runSweep) or fanned out (shared/fanout/merge.ts):
 * analyze the inventory, attach owners to the findings, apply suppressions, build the report.
 */
export async function reportInventory(graph: GraphClient, input: ReportInput): Promise<Report> {
  const { inventory, directory } = input;
  const analysis = analyze(inventory, input.policy, input.now);
  const owners = await directory.owners();
  // Every subject with credential findings was screened as such, so this is empty; it is a guard.
  const missed = ownerSubjects(analysis.findings).filter((s) => !directory.ownersCovered(s.id));
  if (missed.length > 0) {
    const more = await collectOwners(graph, missed, { endpoint: input.graphEndpoint });
    for (const [id, list] of more.owners) owners.owners.set(id, list);
    owners.errors.push(...more.errors);
  }
  await directory.save(owners.owners);
  const withOwnerContacts = analysis.findings.map((finding) => withOwners(finding, owners.owners));
  const rules = input.suppressions;
  const suppressed = applySuppressions(withOwnerContacts, rules, input.now);
  const report = buildReport({
    tenantId: input.tenantId,
    now: input.now,
    inventory,
    directory: input.counts,
    findings: suppressed.findings,
    errors: [...input.errors, ...analysis.errors, ...owners.errors],
  });
  return rules.length > 0 ? { ...report, suppressions: suppressed.rules } : report;
}

/** Owners are looked up only for subjects that have findings: an application's, or an SP's own. */
function ownerSubjects(findings: Finding[]): OwnerSubject[] {
  return findings.flatMap((f) =>
    f.subject.type === "application" || f.subject.type === "servicePrincipal" ? [{ type: f.subject.type, id: f.subject.id }] : [],
  );
}

function withOwners(finding: Finding, owners: Map<string, Owner[]>): Finding {
  const found = owners.get(finding.subject.id);
  if (!found) return finding;
  const contacts = [...new Set(found.map(ownerContact).filter((c): c is string => c !== null))];
  return { ...finding, owners: contacts };
}

function buildReport(parts: {
  tenantId: string;
  now: Date;
  inventory: Inventory | null;
  directory: Readonly<ScreenCounts> | null;
  findings: Finding[];
  errors: CollectionError[];
}): Report {
  return {
    schemaVersion: 1,
    sweptAt: parts.now.toISOString(),
    tenantId: parts.tenantId,
    complete: parts.errors.length === 0,
    coverage: coverageOf(parts.inventory, parts.directory),
    findings: parts.findings,
    errors: parts.errors,
    subscriptionsRead: (parts.inventory?.subscriptions ?? []).map((s) => s.subscriptionId.toLowerCase()).sort(),
  };
}

/** Directory counts come from the screen (everything read); the rest from the inventory. */
function coverageOf(inventory: Inventory | null, directory: Readonly<ScreenCounts> | null): Coverage {
  if (!inventory || !directory) {
    return { applications: 0, servicePrincipals: 0, subscriptions: 0, registries: 0, tokens: 0, managedClusters: 0, credentials: 0 };
  }
  return {
    applications: directory.applications,
    servicePrincipals: directory.servicePrincipals,
    subscriptions: inventory.subscriptions.length,
    registries: inventory.registries.length,
    tokens: inventory.tokens.length,
    managedClusters: inventory.managedClusters.length,
    credentials: directory.credentials + countCredentialsInScope({ applications: [], servicePrincipals: [], tokens: inventory.tokens }),
  };
}
