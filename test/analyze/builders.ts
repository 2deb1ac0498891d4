// Small builders for analysis tests: plain records with sensible defaults, and scenario inventories
// named after what they show. Time is always explicit: NOW is the sweep clock of every scenario.

import type {
  ActivityEvent,
  Application,
  DirectoryCredential,
  Inventory,
  ManagedCluster,
  Policy,
  Registry,
  RegistryToken,
  RoleAssignment,
  ServicePrincipal,
  TokenPassword,
} from "../../shared/model.js";
import { ROLE } from "../../shared/analyze/pull-roles.js";

export const NOW = new Date("2026-06-01T12:00:00Z");
export const DAY = 86_400_000;
export const POLICY: Policy = { thresholds: [30, 14, 7, 1], maxLifetimeDays: 730, adminEventLookbackDays: 7 };

export const SUB = "11111111-1111-1111-1111-111111111111";
export const SUB2 = "22222222-2222-2222-2222-222222222222";

/** ISO timestamp `days` (may be fractional or negative) from NOW; `ms` extra milliseconds. */
export function at(days: number, ms = 0): string {
  return new Date(NOW.getTime() + days * DAY + ms).toISOString();
}

export function emptyInventory(overrides: Partial<Inventory> = {}): Inventory {
  return {
    tenantId: "tenant",
    applications: [],
    servicePrincipals: [],
    subscriptions: [
      { subscriptionId: SUB, displayName: "Production", state: "Enabled" },
      { subscriptionId: SUB2, displayName: "Development", state: "Enabled" },
    ],
    unreadableSubscriptions: [],
    registries: [],
    tokens: [],
    roleAssignments: [],
    activityEvents: [],
    managedClusters: [],
    ...overrides,
  };
}

let seq = 0;
function guid(prefix: string): string {
  seq += 1;
  return `${prefix}-0000-4000-8000-${String(seq).padStart(12, "0")}`;
}

export function secret(end: string | null, o: Partial<DirectoryCredential> = {}): DirectoryCredential {
  return { type: "secret", keyId: guid("5ec0e7aa"), displayName: "secret", startDateTime: at(-365), endDateTime: end, usage: null, ...o };
}

export function certificate(end: string | null, o: Partial<DirectoryCredential> = {}): DirectoryCredential {
  return { type: "certificate", keyId: guid("ce47aaaa"), displayName: "CN=cert", startDateTime: at(-365), endDateTime: end, usage: "Verify", ...o };
}

export function app(name: string, credentials: DirectoryCredential[] = [], o: Partial<Application> = {}): Application {
  return { id: guid("a9900000"), appId: guid("a9910000"), displayName: name, credentials, ...o };
}

/** The service principal of an application (same appId). */
export function spFor(application: Application, o: Partial<ServicePrincipal> = {}): ServicePrincipal {
  return {
    id: guid("59000000"),
    appId: application.appId,
    displayName: application.displayName,
    servicePrincipalType: "Application",
    accountEnabled: true,
    credentials: [],
    ...o,
  };
}

export function managedIdentity(name: string, o: Partial<ServicePrincipal> = {}): ServicePrincipal {
  return {
    id: guid("41000000"),
    appId: guid("41100000"),
    displayName: name,
    servicePrincipalType: "ManagedIdentity",
    accountEnabled: true,
    credentials: [],
    ...o,
  };
}

export function registry(name: string, o: Partial<Registry> = {}): Registry {
  const subscriptionId = o.subscriptionId ?? SUB;
  const resourceGroup = o.resourceGroup ?? "rg-registry";
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${name}`,
    name,
    subscriptionId,
    resourceGroup,
    location: "westeurope",
    sku: "Standard",
    adminUserEnabled: false,
    publicNetworkAccess: "Enabled",
    roleAssignmentMode: null,
    networkRuleSet: null,
    privateEndpointConnections: [],
    tags: {},
    ...o,
  };
}

export function token(reg: Registry, name: string, passwords: TokenPassword[], o: Partial<RegistryToken> = {}): RegistryToken {
  return {
    id: `${reg.id}/tokens/${name}`,
    name,
    registryId: reg.id,
    registryName: reg.name,
    subscriptionId: reg.subscriptionId,
    resourceGroup: reg.resourceGroup,
    status: "enabled",
    scopeMapId: `${reg.id}/scopeMaps/_repositories_pull`,
    creationDate: at(-100),
    passwords,
    ...o,
  };
}

export function password(name: "password1" | "password2", expiry: string | null): TokenPassword {
  return { name, creationTime: at(-100), expiry };
}

export function roleDefinitionId(guidValue: string, subscriptionId = SUB): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guidValue}`;
}

export function assign(principalId: string, role: string, scope: string, o: Partial<RoleAssignment> = {}): RoleAssignment {
  return {
    id: `${scope === "/" ? "" : scope}/providers/Microsoft.Authorization/roleAssignments/${guid("7a000000")}`,
    scope,
    principalId,
    principalType: "ServicePrincipal",
    roleDefinitionId: roleDefinitionId(role),
    subscriptionId: SUB,
    ...o,
  };
}

export function rgScope(reg: Registry): string {
  return `/subscriptions/${reg.subscriptionId}/resourceGroups/${reg.resourceGroup}`;
}

export function subScope(reg: Registry): string {
  return `/subscriptions/${reg.subscriptionId}`;
}

export function msiCluster(name: string, kubeletObjectId: string | null, o: Partial<ManagedCluster> = {}): ManagedCluster {
  const subscriptionId = o.subscriptionId ?? SUB;
  const resourceGroup = o.resourceGroup ?? `rg-${name}`;
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`,
    name,
    subscriptionId,
    resourceGroup,
    location: "westeurope",
    tags: {},
    servicePrincipalClientId: "msi",
    kubeletIdentity: kubeletObjectId === null ? null : { clientId: guid("c1100000"), objectId: kubeletObjectId },
    egressIps: ["20.0.0.1"],
    ...o,
  };
}

export function spCluster(name: string, appId: string, o: Partial<ManagedCluster> = {}): ManagedCluster {
  return msiCluster(name, null, { servicePrincipalClientId: appId, kubeletIdentity: null, ...o });
}

export function pullsFrom(...names: string[]): Record<string, string> {
  return { "credwatch-pulls-from": names.join(",") };
}

export function regenerateEvent(reg: Registry, timestamp: string, o: Partial<ActivityEvent> = {}): ActivityEvent {
  return {
    eventTimestamp: timestamp,
    operationName: "Microsoft.ContainerRegistry/registries/regenerateCredential/action",
    status: "Succeeded",
    caller: "alice@contoso.com",
    resourceId: reg.id,
    subscriptionId: reg.subscriptionId,
    ...o,
  };
}

export { ROLE };

// ---------------------------------------------------------------------------------------------
// Scenarios

/** An application holding one credential, with a service principal and nothing that depends on it. */
export function lonelyAppWith(...credentials: DirectoryCredential[]): { inventory: Inventory; application: Application } {
  const application = app("lonely-app", credentials);
  return { application, inventory: emptyInventory({ applications: [application], servicePrincipals: [spFor(application)] }) };
}

/** A legacy AKS cluster running on an application's secret, the SP holding AcrPull at the registry. */
export function spClusterOnAppSecret(credentials: DirectoryCredential[]) {
  const application = app("aks-sp", credentials);
  const sp = spFor(application);
  const reg = registry("acrprod");
  const cluster = spCluster("aks-prod", application.appId, { tags: pullsFrom("acrprod") });
  const inventory = emptyInventory({
    applications: [application],
    servicePrincipals: [sp],
    registries: [reg],
    managedClusters: [cluster],
    roleAssignments: [assign(sp.id, ROLE.AcrPull, reg.id)],
  });
  return { inventory, application, sp, registry: reg, cluster };
}

/** A managed-identity cluster tagged as pulling from one registry; its kubelet identity holds `roles` at `scopeOf`. */
export function msiClusterPulling(
  regOverrides: Partial<Registry> = {},
  grants: { role: string; scope: (r: Registry) => string; subscriptionId?: string }[] = [],
  clusterOverrides: Partial<ManagedCluster> = {},
) {
  const kubelet = managedIdentity("aks-agentpool");
  const reg = registry("acrshared", regOverrides);
  const cluster = msiCluster("aks-blue", kubelet.id, { tags: pullsFrom(reg.name), ...clusterOverrides });
  const inventory = emptyInventory({
    servicePrincipals: [kubelet],
    registries: [reg],
    managedClusters: [cluster],
    roleAssignments: grants.map((g) => assign(kubelet.id, g.role, g.scope(reg), g.subscriptionId ? { subscriptionId: g.subscriptionId } : {})),
  });
  return { inventory, kubelet, registry: reg, cluster };
}

/** A Premium registry behind a firewall and a cluster with the given egress IPs pulling from it. */
export function firewalledRegistry(ipRules: string[], egressIps: string[] | null, regOverrides: Partial<Registry> = {}) {
  return msiClusterPulling(
    {
      sku: "Premium",
      networkRuleSet: { defaultAction: "Deny", ipRules: ipRules.map((value) => ({ value, action: "Allow" })) },
      ...regOverrides,
    },
    [{ role: ROLE.AcrPull, scope: (r) => r.id }],
    { egressIps },
  );
}
