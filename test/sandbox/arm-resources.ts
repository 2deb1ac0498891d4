// Fixture records as Azure Resource Manager serves them. Each shape names the spec it follows
// (Azure/azure-rest-api-specs, the api-version the SDKs in package.json use); test/sandbox/wire-schemas
// holds the JSON Schemas derived from those specs, and wire-conformance.test.ts checks every shape.
import type {
  Fixture,
  FixtureActivityEvent,
  FixtureManagedCluster,
  FixtureRegistry,
  FixtureRoleAssignment,
  FixtureSubscription,
  FixtureToken,
} from "./fixture-schema.js";
import { roleDefinitionGuid } from "./built-in-roles.js";
import { stableGuid } from "./ids.js";
import { SYSTEM_SCOPE_MAPS } from "./system-scope-maps.js";
import { parseTimestamp } from "./timestamps.js";

type Wire = Record<string, unknown>;
const DAY_MS = 86_400_000;

/** A date-time `days` before the fixture's clock, for what ARM always has but the fixture does not say. */
function daysBeforeNow(fixture: Fixture, days: number): string {
  return new Date(parseTimestamp(fixture.now) - days * DAY_MS).toISOString();
}

// specification/resources/resource-manager/Microsoft.Resources/stable/2022-12-01/subscriptions.json, Subscription.
export function subscriptionResource(s: FixtureSubscription, fixture: Fixture): Wire {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: fixture.tenantId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" },
  };
}

function registryId(s: FixtureSubscription, r: FixtureRegistry): string {
  return `/subscriptions/${s.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${r.name}`;
}

// containerregistry .../Registry/stable/2025-11-01/containerregistry.json, Registry; property set and
// order as in its example RegistryList.json. Every SKU reports a networkRuleSet (the example's Standard
// registry does); only Premium enforces it.
export function registryResource(s: FixtureSubscription, r: FixtureRegistry, fixture: Fixture): Wire {
  const id = registryId(s, r);
  return {
    id,
    name: r.name,
    type: "Microsoft.ContainerRegistry/registries",
    location: r.location,
    tags: r.tags ?? {},
    sku: { name: r.sku, tier: r.sku },
    properties: {
      loginServer: `${r.name.toLowerCase()}.azurecr.io`,
      creationDate: daysBeforeNow(fixture, 365),
      provisioningState: "Succeeded",
      adminUserEnabled: r.adminUserEnabled,
      networkRuleSet: {
        defaultAction: r.networkRuleSet?.defaultAction ?? "Allow",
        ipRules: (r.networkRuleSet?.ipRules ?? []).map((rule) => ({ action: rule.action ?? "Allow", value: rule.value })),
      },
      policies: {
        quarantinePolicy: { status: "disabled" },
        trustPolicy: { type: "Notary", status: "disabled" },
        retentionPolicy: { days: 7, lastUpdatedTime: daysBeforeNow(fixture, 365), status: "disabled" },
        exportPolicy: { status: "enabled" },
        azureADAuthenticationAsArmPolicy: { status: "enabled" },
      },
      encryption: { status: "disabled" },
      status: null,
      dataEndpointEnabled: false,
      dataEndpointHostNames: [],
      privateEndpointConnections: (r.privateEndpointConnections ?? []).map((pec) => ({
        id: `${id}/privateEndpointConnections/${pec.name}`,
        name: pec.name,
        type: "Microsoft.ContainerRegistry/registries/privateEndpointConnections",
        properties: {
          privateEndpoint: { id: `/subscriptions/${s.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.Network/privateEndpoints/${pec.name}` },
          privateLinkServiceConnectionState: { status: pec.status, description: "", actionsRequired: "None" },
          provisioningState: "Succeeded",
        },
      })),
      publicNetworkAccess: r.publicNetworkAccess,
      networkRuleBypassOptions: "AzureServices",
      networkRuleBypassAllowedForTasks: false,
      zoneRedundancy: "Disabled",
      anonymousPullEnabled: false,
      roleAssignmentMode: r.roleAssignmentMode,
    },
  };
}

// Same spec, Token (example TokenGet.json): passwords carry name, creationTime and expiry; a password
// that never expires has no expiry at all, and no password ever carries its value on a read.
export function tokenResource(s: FixtureSubscription, r: FixtureRegistry, t: FixtureToken): Wire {
  const id = registryId(s, r);
  return {
    id: `${id}/tokens/${t.name}`,
    name: t.name,
    type: "Microsoft.ContainerRegistry/registries/tokens",
    properties: {
      ...(t.creationDate ? { creationDate: t.creationDate } : {}),
      scopeMapId: `${id}/scopeMaps/${t.scopeMapName}`,
      provisioningState: "Succeeded",
      status: t.status,
      credentials: {
        certificates: [],
        passwords: (t.passwords ?? []).map((p) => ({
          ...(p.creationTime ? { creationTime: p.creationTime } : {}),
          ...(p.expiry ? { expiry: p.expiry } : {}),
          name: p.name,
        })),
      },
    },
  };
}

// Same spec, ScopeMap (example ScopeMapList.json). The system-defined maps come first, as ACR lists them.
export function scopeMapResources(s: FixtureSubscription, r: FixtureRegistry, fixture: Fixture): Wire[] {
  const id = registryId(s, r);
  const userDefined = new Set((r.scopeMaps ?? []).map((m) => m.name));
  const maps = [
    ...SYSTEM_SCOPE_MAPS.filter((m) => !userDefined.has(m.name)).map((m) => ({ ...m, type: "SystemDefined" })),
    ...(r.scopeMaps ?? []).map((m) => ({ name: m.name, description: m.description, actions: m.actions, type: "UserDefined" })),
  ];
  return maps.map((m) => ({
    id: `${id}/scopeMaps/${m.name}`,
    name: m.name,
    type: "Microsoft.ContainerRegistry/registries/scopeMaps",
    properties: {
      ...(m.description === undefined ? {} : { description: m.description }),
      type: m.type,
      creationDate: daysBeforeNow(fixture, 365),
      provisioningState: "Succeeded",
      actions: m.actions,
    },
  }));
}

function nodeResourceGroup(c: FixtureManagedCluster): string {
  return `MC_${c.resourceGroup}_${c.name}_${c.location}`;
}

export interface PublicIp {
  resourceGroup: string;
  name: string;
  address: string;
  location: string;
}

/** The egress public IPs of a cluster: AKS creates them in its node resource group, named by GUID. */
export function clusterPublicIps(s: FixtureSubscription, c: FixtureManagedCluster): PublicIp[] {
  return (c.outboundIPs ?? []).map((address) => ({
    resourceGroup: nodeResourceGroup(c),
    name: stableGuid("public-ip", s.subscriptionId, c.resourceGroup, c.name, address),
    address,
    location: c.location,
  }));
}

function publicIpId(s: FixtureSubscription, ip: PublicIp): string {
  return `/subscriptions/${s.subscriptionId}/resourceGroups/${ip.resourceGroup}/providers/Microsoft.Network/publicIPAddresses/${ip.name}`;
}

// network .../stable/2025-07-01/publicIpAddress.json, PublicIPAddress (GET), as AKS's outbound IPs look.
export function publicIpResource(s: FixtureSubscription, ip: PublicIp): Wire {
  return {
    name: ip.name,
    id: publicIpId(s, ip),
    etag: `W/"${stableGuid("etag", publicIpId(s, ip))}"`,
    location: ip.location,
    tags: { "aks-managed-type": "aks-slb-managed-outbound-ip" },
    type: "Microsoft.Network/publicIPAddresses",
    sku: { name: "Standard", tier: "Regional" },
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: stableGuid("public-ip-guid", publicIpId(s, ip)),
      ipAddress: ip.address,
      publicIPAddressVersion: "IPv4",
      publicIPAllocationMethod: "Static",
      idleTimeoutInMinutes: 4,
      ipTags: [],
    },
  };
}

// containerservice .../aks/stable/2026-10-01/managedClusters.json, ManagedCluster. AKS writes
// "resourcegroups" in lower case in the ids it returns; clients must compare ids case-insensitively.
export function managedClusterResource(s: FixtureSubscription, c: FixtureManagedCluster, fixture: Fixture): Wire {
  const nodeRg = nodeResourceGroup(c);
  const kubelet = c.identityProfile?.kubeletidentity;
  const usesManagedIdentity = c.servicePrincipalProfile.clientId === "msi";
  return {
    id: `/subscriptions/${s.subscriptionId}/resourcegroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.name}`,
    location: c.location,
    name: c.name,
    tags: c.tags ?? {},
    type: "Microsoft.ContainerService/ManagedClusters",
    sku: { name: "Base", tier: "Free" },
    ...(usesManagedIdentity
      ? { identity: { type: "SystemAssigned", principalId: stableGuid("cluster-identity", s.subscriptionId, c.resourceGroup, c.name), tenantId: fixture.tenantId } }
      : {}),
    properties: {
      provisioningState: "Succeeded",
      powerState: { code: "Running" },
      kubernetesVersion: "1.32",
      currentKubernetesVersion: "1.32.7",
      dnsPrefix: `${c.name}-dns`,
      fqdn: `${c.name}-dns-${stableGuid("fqdn", c.name).slice(0, 8)}.hcp.${c.location}.azmk8s.io`,
      agentPoolProfiles: [
        { name: "nodepool1", count: 3, vmSize: "Standard_D4ds_v5", osType: "Linux", mode: "System", type: "VirtualMachineScaleSets", provisioningState: "Succeeded" },
      ],
      servicePrincipalProfile: { clientId: c.servicePrincipalProfile.clientId },
      ...(kubelet
        ? {
            identityProfile: {
              kubeletidentity: {
                resourceId:
                  kubelet.resourceId ?? `/subscriptions/${s.subscriptionId}/resourcegroups/${nodeRg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${c.name}-agentpool`,
                clientId: kubelet.clientId,
                objectId: kubelet.objectId,
              },
            },
          }
        : {}),
      nodeResourceGroup: nodeRg,
      enableRBAC: true,
      networkProfile: {
        networkPlugin: "azure",
        loadBalancerSku: "standard",
        outboundType: "loadBalancer",
        loadBalancerProfile: {
          managedOutboundIPs: { count: Math.max(1, c.outboundIPs?.length ?? 1) },
          // Absent when the fixture does not say: the egress IPs are then unknown, not "none".
          ...(c.outboundIPs ? { effectiveOutboundIPs: clusterPublicIps(s, c).map((ip) => ({ id: publicIpId(s, ip) })) } : {}),
        },
      },
    },
  };
}

export function roleAssignmentId(a: FixtureRoleAssignment): string {
  const name = a.name ?? stableGuid("role-assignment", a.scope, a.principalId, a.role);
  return `${a.scope === "/" ? "" : a.scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
}

// authorization .../stable/2022-04-01/authorization-RoleAssignmentsCalls.json, RoleAssignment.
export function roleAssignmentResource(s: FixtureSubscription, a: FixtureRoleAssignment, fixture: Fixture): Wire {
  const id = roleAssignmentId(a);
  return {
    properties: {
      roleDefinitionId: `/subscriptions/${s.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleDefinitionGuid(a.role)}`,
      principalId: a.principalId,
      principalType: a.principalType,
      scope: a.scope,
      condition: null,
      conditionVersion: null,
      createdOn: daysBeforeNow(fixture, 30),
      updatedOn: daysBeforeNow(fixture, 30),
      createdBy: null,
      updatedBy: null,
      delegatedManagedIdentityResourceId: null,
      description: null,
    },
    id,
    type: "Microsoft.Authorization/roleAssignments",
    name: id.split("/").pop(),
  };
}

/** The parts of a resource id an event is filed under. */
function resourceParts(resourceId: string): { resourceGroup: string | null; provider: string | null; type: string | null } {
  const rg = /\/resourceGroups\/([^/]+)/i.exec(resourceId)?.[1] ?? null;
  const provider = /\/providers\/([^/]+)\/([^/]+)/i.exec(resourceId);
  return { resourceGroup: rg, provider: provider?.[1] ?? null, type: provider ? `${provider[1]}/${provider[2]}` : null };
}

/** The resource provider namespace an event belongs to (what `resourceProvider eq` matches). */
export function eventProvider(e: FixtureActivityEvent): string | null {
  return resourceParts(e.resourceId).provider;
}

export function eventResourceGroup(e: FixtureActivityEvent): string | null {
  return resourceParts(e.resourceId).resourceGroup;
}

export function eventCorrelationId(s: FixtureSubscription, e: FixtureActivityEvent): string {
  return stableGuid("correlation", s.subscriptionId, e.resourceId, e.operationName, e.eventTimestamp);
}

const localizable = (value: string) => ({ value, localizedValue: value });

// monitor .../stable/2015-04-01/activityLogs_API.json, EventData (example GetActivityLogsFiltered.json).
export function activityEventResource(s: FixtureSubscription, e: FixtureActivityEvent, fixture: Fixture): Wire {
  const parts = resourceParts(e.resourceId);
  const eventDataId = stableGuid("event", s.subscriptionId, e.resourceId, e.operationName, e.eventTimestamp, e.status);
  const correlationId = eventCorrelationId(s, e);
  const eventMs = parseTimestamp(e.eventTimestamp);
  // .NET ticks (100 ns since 0001-01-01), as the service writes them into event ids.
  const ticks = (BigInt(eventMs) * 10_000n + 621_355_968_000_000_000n).toString();
  const begins = e.status === "Started" || e.status === "Accepted";
  return {
    authorization: { action: e.operationName, scope: e.resourceId },
    caller: e.caller ?? null,
    channels: "Operation",
    claims: {},
    correlationId,
    description: "",
    eventDataId,
    eventName: begins ? { value: "BeginRequest", localizedValue: "Begin request" } : { value: "EndRequest", localizedValue: "End request" },
    category: localizable("Administrative"),
    id: `${e.resourceId}/events/${eventDataId}/ticks/${ticks}`,
    level: e.status === "Failed" ? "Error" : "Informational",
    resourceGroupName: parts.resourceGroup,
    resourceProviderName: localizable(parts.provider ?? ""),
    resourceId: e.resourceId,
    resourceType: localizable(parts.type ?? ""),
    operationId: correlationId,
    operationName: localizable(e.operationName),
    properties: { eventCategory: "Administrative", entity: e.resourceId, message: e.operationName, hierarchy: fixture.tenantId },
    status: localizable(e.status),
    subStatus: localizable(""),
    eventTimestamp: new Date(eventMs).toISOString(),
    submissionTimestamp: new Date(eventMs + 15_000).toISOString(),
    subscriptionId: s.subscriptionId,
    tenantId: fixture.tenantId,
  };
}
