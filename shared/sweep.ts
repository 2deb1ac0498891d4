// One sweep: collect → analyze → owners for the subjects with findings → report.
// Dependencies arrive as plain parameters; the clock is an argument, never read here.
import type { AzureClients } from "./azure/clients.js";
import type { CollectionError, Coverage, Finding, Inventory, Policy, Report } from "./model.js";
import { resolveTenantId } from "./azure/tenant.js";
import { collectInventory } from "./collect/inventory.js";
import { collectOwners, ownerContact, type OwnerSubject } from "./collect/graph-owners.js";
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
    return buildReport({ tenantId: options.tenantId ?? "unknown", now: options.now, inventory: null, findings: [], errors: [failure] });
  }

  log(`sweeping tenant ${tenantId}`);
  const collected = await collectInventory(clients, {
    tenantId,
    now: options.now,
    adminEventLookbackDays: options.policy.adminEventLookbackDays,
    subscriptionFilter: options.subscriptionFilter,
    graphEndpoint: options.graphEndpoint,
    armEndpoint: options.armEndpoint,
  });
  const { inventory } = collected;
  log(
    `read ${inventory.applications.length} applications, ${inventory.servicePrincipals.length} service principals, ` +
      `${inventory.subscriptions.length + inventory.unreadableSubscriptions.length} subscriptions, ${inventory.registries.length} registries, ` +
      `${inventory.managedClusters.length} clusters`,
  );

  const analysis = analyze(inventory, options.policy, options.now);
  const owners = await collectOwners(clients.graph, ownerSubjects(analysis.findings), { endpoint: options.graphEndpoint });
  const withOwnerContacts = analysis.findings.map((finding) => withOwners(finding, owners.owners));
  const rules = options.suppressions ?? [];
  const suppressed = applySuppressions(withOwnerContacts, rules, options.now);
  const report = buildReport({
    tenantId,
    now: options.now,
    inventory,
    findings: suppressed.findings,
    errors: [...collected.errors, ...analysis.errors, ...owners.errors],
  });
  return rules.length > 0 ? { ...report, suppressions: suppressed.rules } : report;
}

/** Owners are looked up only for subjects that have findings: an application's, or an SP's own. */
function ownerSubjects(findings: Finding[]): OwnerSubject[] {
  return findings.flatMap((f) =>
    f.subject.type === "application" || f.subject.type === "servicePrincipal" ? [{ type: f.subject.type, id: f.subject.id }] : [],
  );
}

function withOwners(finding: Finding, owners: Map<string, import("./model.js").Owner[]>): Finding {
  const found = owners.get(finding.subject.id);
  if (!found) return finding;
  const contacts = [...new Set(found.map(ownerContact).filter((c): c is string => c !== null))];
  return { ...finding, owners: contacts };
}

function buildReport(parts: {
  tenantId: string;
  now: Date;
  inventory: Inventory | null;
  findings: Finding[];
  errors: CollectionError[];
}): Report {
  return {
    schemaVersion: 1,
    sweptAt: parts.now.toISOString(),
    tenantId: parts.tenantId,
    complete: parts.errors.length === 0,
    coverage: coverageOf(parts.inventory),
    findings: parts.findings,
    errors: parts.errors,
  };
}

function coverageOf(inventory: Inventory | null): Coverage {
  if (!inventory) {
    return { applications: 0, servicePrincipals: 0, subscriptions: 0, registries: 0, tokens: 0, managedClusters: 0, credentials: 0 };
  }
  return {
    applications: inventory.applications.length,
    servicePrincipals: inventory.servicePrincipals.length,
    subscriptions: inventory.subscriptions.length,
    registries: inventory.registries.length,
    tokens: inventory.tokens.length,
    managedClusters: inventory.managedClusters.length,
    credentials: countCredentialsInScope(inventory),
  };
}
