// The baseline: how existing credential-expiry scripts read a tenant, with the same SDK clients,
// for comparison in the benchmark. A reference, not product code:
// - Graph lists at the default page size (no $top: 100 a page) and without $select (every property);
// - the owners of every application, one GET /applications/{id}/owners each (a few at a time:
//   `ownerConcurrency`, 1 for the strictly sequential loop most scripts are);
// - subscriptions one after another, each list after the other.
// The records end up in an Inventory analysed by the same analyze(), so its findings can be compared.
import type { Client } from "@microsoft/microsoft-graph-client";
import pLimit from "p-limit";
import type { AzureClients } from "../shared/azure/clients.js";
import { analyze } from "../shared/analyze/index.js";
import { applicationSchema, servicePrincipalSchema } from "../shared/collect/graph-schemas.js";
import { storedApplication, storedServicePrincipal, toApplication, toServicePrincipal } from "../shared/collect/directory-records.js";
import { listRegistries, listTokens } from "../shared/collect/acr-registries.js";
import { listRoleAssignments } from "../shared/collect/role-assignments.js";
import { listRegistryEvents } from "../shared/collect/activity-log.js";
import { attachEgressIps, listClusters } from "../shared/collect/aks.js";
import { listPublicIpAddresses } from "../shared/collect/public-ips.js";
import { readAll } from "../shared/collect/paging.js";
import type { Analysis, Inventory, Policy } from "../shared/model.js";

export interface BaselineResult {
  analysis: Analysis;
  applications: number;
  servicePrincipals: number;
  ownerLookups: number;
}

async function everyPage(graph: Client, path: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let request = graph.api(path);
  for (;;) {
    const page = (await request.get()) as { value: unknown[]; "@odata.nextLink"?: string };
    items.push(...page.value);
    if (!page["@odata.nextLink"]) return items;
    request = graph.api(page["@odata.nextLink"]);
  }
}

export async function baselineSweep(
  clients: AzureClients,
  options: { tenantId: string; now: Date; policy: Policy; ownerConcurrency: number },
): Promise<BaselineResult> {
  const apps = (await everyPage(clients.graph, "/applications")).flatMap((raw) => {
    const parsed = applicationSchema.safeParse(raw);
    return parsed.success ? [toApplication(storedApplication(parsed.data))] : [];
  });
  const sps = (await everyPage(clients.graph, "/servicePrincipals")).flatMap((raw) => {
    const parsed = servicePrincipalSchema.safeParse(raw);
    return parsed.success ? [toServicePrincipal(storedServicePrincipal(parsed.data))] : [];
  });
  const limit = pLimit(options.ownerConcurrency);
  const owners = await Promise.all(apps.map((app) => limit(() => everyPage(clients.graph, `/applications/${app.id}/owners`))));

  const inventory: Inventory = {
    tenantId: options.tenantId,
    applications: apps,
    servicePrincipals: sps,
    subscriptions: [],
    unreadableSubscriptions: [],
    registries: [],
    tokens: [],
    roleAssignments: [],
    activityEvents: [],
    managedClusters: [],
  };
  const subscriptions = await readAll(clients.subscriptions.subscriptions.list());
  for (const s of subscriptions) {
    const id = s.subscriptionId!.toLowerCase();
    const sub = clients.forSubscription(id);
    inventory.subscriptions.push({ subscriptionId: id, displayName: s.displayName ?? id, state: s.state ?? null });
    const registries = await listRegistries(sub.registries, id);
    inventory.registries.push(...registries);
    for (const registry of registries) inventory.tokens.push(...(await listTokens(sub.registries, registry)).tokens);
    inventory.roleAssignments.push(...(await listRoleAssignments(sub.authorization, id)));
    inventory.activityEvents.push(...(await listRegistryEvents(sub.monitor, id, options.now, options.policy.adminEventLookbackDays)));
    const clusters = await listClusters(sub.containerService, id);
    const addresses = clusters.egressRefs.size > 0 ? await listPublicIpAddresses(sub.network) : new Map<string, string>();
    inventory.managedClusters.push(...attachEgressIps(clusters.clusters, clusters.egressRefs, addresses));
  }
  return {
    analysis: analyze(inventory, options.policy, options.now),
    applications: apps.length,
    servicePrincipals: sps.length,
    ownerLookups: owners.length,
  };
}
