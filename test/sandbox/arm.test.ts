import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DENIED, everyResourceType, PROD, PROD_ACR, wireClient, type WireClient } from "./helpers.js";
import { startSandbox, type Sandbox } from "./index.js";

let sandbox: Sandbox;
let arm: WireClient;

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: await everyResourceType(), armPageSize: 2 });
  arm = await wireClient(sandbox);
});

afterAll(async () => {
  await arm.close();
  await sandbox.close();
});

/** Every item of an ARM list, following nextLink. */
async function listAll(path: string): Promise<any[]> {
  const items: any[] = [];
  for (let next: string | undefined = path; next; ) {
    const page = await arm.get(next);
    expect(page.status, page.text).toBe(200);
    items.push(...page.body.value);
    next = page.body.nextLink;
  }
  return items;
}

const ROLES = `/subscriptions/${PROD}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`;
const guidOf = (a: { properties: { roleDefinitionId: string } }) => a.properties.roleDefinitionId.split("/").pop();

describe("ARM basics", () => {
  it("requires api-version, accepts any version and logs it", async () => {
    const missing = await arm.get("/subscriptions");
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: { code: "MissingApiVersionParameter", message: "The api-version query parameter (?api-version=) is required for all requests." } });
    expect((await arm.get("/subscriptions?api-version=1999-01-01")).status).toBe(200);
    expect(sandbox.requests.at(-1)).toMatchObject({ service: "arm", path: "/subscriptions", apiVersion: "1999-01-01", status: 200 });
  });

  it("pages every list with an absolute nextLink that keeps the query, api-version included", async () => {
    const first = await arm.get(`${ROLES}&$filter=atScope()`);
    expect(first.body.value).toHaveLength(2);
    expect(first.body.nextLink).toMatch(
      new RegExp(`^${sandbox.url}/subscriptions/${PROD}/providers/Microsoft\\.Authorization/roleAssignments\\?api-version=2022-04-01&\\$filter=atScope\\(\\)&\\$skipToken=[\\w-]+$`),
    );
    const second = await arm.get(first.body.nextLink);
    expect(second.body.value).toHaveLength(1);
    expect(second.body).not.toHaveProperty("nextLink");
    // A list that fits one page has no nextLink at all.
    expect((await arm.get("/subscriptions?api-version=2022-12-01")).body).not.toHaveProperty("nextLink");
    expect(await listAll(`${PROD_ACR}/scopeMaps?api-version=2025-11-01`)).toHaveLength(4);
  });

  it("answers unknown subscriptions, resource groups, resources and routes with ARM's 404s", async () => {
    const cases = [
      ["/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.ContainerRegistry/registries", "SubscriptionNotFound"],
      [`/subscriptions/${PROD}/resourceGroups/rg-nope/providers/Microsoft.ContainerRegistry/registries`, "ResourceGroupNotFound"],
      [`/subscriptions/${PROD}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/nope/tokens`, "ResourceNotFound"],
      [`/subscriptions/${PROD}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/nope`, "ResourceNotFound"],
      [`/subscriptions/${PROD}/providers/Microsoft.KeyVault/vaults`, "NotFound"],
    ];
    for (const [path, code] of cases) {
      const response = await arm.get(`${path}?api-version=2025-01-01`);
      expect([path, response.status, response.body.error.code]).toEqual([path, 404, code]);
    }
  });

  it("matches paths case-insensitively, as ARM does", async () => {
    const response = await arm.get(`/SUBSCRIPTIONS/${PROD}/RESOURCEGROUPS/RG-ACR/providers/microsoft.containerregistry/REGISTRIES/ACRPREM/tokens?api-version=2025-11-01`);
    expect(response.status).toBe(200);
  });
});

describe("a subscription the caller cannot read", () => {
  it("is listed, but every read inside it answers 403 AuthorizationFailed", async () => {
    const subscriptions = await listAll("/subscriptions?api-version=2022-12-01");
    expect(subscriptions.map((s) => [s.subscriptionId, s.state])).toContainEqual([DENIED, "Warned"]);
    expect((await arm.get(`/subscriptions/${DENIED}?api-version=2022-12-01`)).status).toBe(200);
    const reads: [string, string][] = [
      [`/subscriptions/${DENIED}/providers/Microsoft.ContainerRegistry/registries`, "Microsoft.ContainerRegistry/registries/read"],
      [`/subscriptions/${DENIED}/resourceGroups/rg-hidden/providers/Microsoft.ContainerRegistry/registries/acrhidden/tokens`, "Microsoft.ContainerRegistry/registries/tokens/read"],
      [`/subscriptions/${DENIED}/providers/Microsoft.Authorization/roleAssignments`, "Microsoft.Authorization/roleAssignments/read"],
      [`/subscriptions/${DENIED}/providers/Microsoft.Insights/eventtypes/management/values`, "Microsoft.Insights/eventtypes/values/read"],
      [`/subscriptions/${DENIED}/providers/Microsoft.ContainerService/managedClusters`, "Microsoft.ContainerService/managedClusters/read"],
      [`/subscriptions/${DENIED}/providers/Microsoft.Network/publicIPAddresses`, "Microsoft.Network/publicIPAddresses/read"],
    ];
    for (const [path, action] of reads) {
      const response = await arm.get(`${path}?api-version=2025-01-01`);
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe("AuthorizationFailed");
      expect(response.body.error.message).toMatch(
        new RegExp(`^The client '[0-9a-f-]{36}' with object id '[0-9a-f-]{36}' does not have authorization to perform action '${action}' over scope '/subscriptions/${DENIED}[^']*' or the scope is invalid\\.`),
      );
    }
  });

  it("contributes nothing to role assignments listed at the root", async () => {
    const root = await listAll("/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01");
    expect(root.map((a) => a.properties.scope)).not.toContain(`/subscriptions/${DENIED}`);
    expect(root).toHaveLength(6);
  });
});

describe("container registries", () => {
  it("always carry sku and the full property set, with firewall rules and private endpoints", async () => {
    const [premium, basic] = await listAll(`/subscriptions/${PROD}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01`);
    expect(premium).toMatchObject({
      id: PROD_ACR,
      location: "northeurope",
      sku: { name: "Premium", tier: "Premium" },
      properties: {
        loginServer: "acrprem.azurecr.io",
        provisioningState: "Succeeded",
        adminUserEnabled: true,
        publicNetworkAccess: "Disabled",
        roleAssignmentMode: "LegacyRegistryPermissions",
        networkRuleSet: { defaultAction: "Deny", ipRules: [{ action: "Allow", value: "20.50.0.0/24" }, { action: "Allow", value: "52.1.1.1" }] },
      },
    });
    expect(premium.properties.privateEndpointConnections.map((p: any) => [p.name, p.properties.privateLinkServiceConnectionState.status])).toEqual([
      ["pe-approved", "Approved"],
      ["pe-pending", "Pending"],
    ]);
    expect(basic).toMatchObject({ sku: { name: "Basic" }, tags: { team: "platform" }, properties: { adminUserEnabled: false, networkRuleSet: { defaultAction: "Allow", ipRules: [] } } });
  });

  it("lists tokens with password expiries (none when a password never expires) and scope-map ids", async () => {
    const [ciPull, retired] = await listAll(`${PROD_ACR}/tokens?api-version=2025-11-01`);
    expect(ciPull.properties).toMatchObject({
      status: "enabled",
      scopeMapId: `${PROD_ACR}/scopeMaps/ci-pull-only`,
      credentials: {
        passwords: [
          { name: "password1", creationTime: "2025-03-01T12:00:00Z", expiry: "2026-03-04T12:00:00Z" },
          { name: "password2", creationTime: "2025-06-01T12:00:00Z" },
        ],
      },
    });
    expect(ciPull.properties.credentials.passwords[1]).not.toHaveProperty("expiry");
    expect(retired.properties).toMatchObject({ status: "disabled", scopeMapId: `${PROD_ACR}/scopeMaps/_repositories_pull`, credentials: { passwords: [{ name: "password1" }] } });
    expect(JSON.stringify([ciPull, retired])).not.toMatch(/"value"/);
  });

  it("lists system-defined scope maps next to the fixture's", async () => {
    const maps = await listAll(`${PROD_ACR}/scopeMaps?api-version=2025-11-01`);
    expect(maps.map((m) => [m.name, m.properties.type])).toEqual([
      ["_repositories_admin", "SystemDefined"],
      ["_repositories_pull", "SystemDefined"],
      ["_repositories_push", "SystemDefined"],
      ["ci-pull-only", "UserDefined"],
    ]);
    expect(maps[3].properties.actions).toEqual(["repositories/app/content/read"]);
  });
});

describe("role assignments", () => {
  it("lists every assignment of the subscription at any scope, with built-in role names mapped to their GUIDs", async () => {
    const all = await listAll(ROLES);
    expect(all.map((a) => [a.properties.scope.replace(`/subscriptions/${PROD}`, "~"), guidOf(a)])).toEqual([
      ["~/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/acrprem", "7f951dda-4ed3-4680-a7ca-43fe172d538d"],
      ["~/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/acrprem", "b93aa761-3e63-49ed-ac28-beffa264f7ac"],
      ["~/resourceGroups/rg-acr", "acdd72a7-3385-48ef-bd42-f606fba81ae7"],
      ["~", "b24988ac-6180-42a0-ab88-20f7382dd24c"],
      ["/providers/Microsoft.Management/managementGroups/mg-platform", "8311e382-0749-4cb8-b61a-304f252e45ec"],
      ["/", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"],
    ]);
    expect(all[0]).toMatchObject({
      id: `${PROD_ACR}/providers/Microsoft.Authorization/roleAssignments/e1000000-0000-4000-8000-000000000001`,
      name: "e1000000-0000-4000-8000-000000000001",
      type: "Microsoft.Authorization/roleAssignments",
      properties: { roleDefinitionId: `/subscriptions/${PROD}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`, principalType: "ServicePrincipal" },
    });
    expect(all[5].id).toMatch(/^\/providers\/Microsoft\.Authorization\/roleAssignments\/[0-9a-f-]{36}$/);
  });

  it("atScope() keeps the scope and what is above it", async () => {
    const atSubscription = await listAll(`${ROLES}&$filter=atScope()`);
    expect(atSubscription.map((a) => a.properties.scope)).toEqual([`/subscriptions/${PROD}`, "/providers/Microsoft.Management/managementGroups/mg-platform", "/"]);
    const atRegistry = await listAll(`${PROD_ACR}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope()`);
    expect(atRegistry).toHaveLength(6);
    const atGroup = await listAll(`/subscriptions/${PROD}/resourceGroups/rg-acr/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope()`);
    expect(atGroup.map((a) => a.properties.scope)).not.toContain(PROD_ACR);
    expect(atGroup).toHaveLength(4);
  });

  it("principalId eq (and assignedTo) select one principal at, above and below the scope", async () => {
    const kubelet = "b1000000-0000-4000-8000-000000000003";
    const byPrincipal = await listAll(`${ROLES}&$filter=principalId eq '${kubelet}'`);
    expect(byPrincipal.map(guidOf)).toEqual(["b93aa761-3e63-49ed-ac28-beffa264f7ac", "acdd72a7-3385-48ef-bd42-f606fba81ae7"]);
    expect(await listAll(`${ROLES}&$filter=assignedTo('${kubelet}')`)).toEqual(byPrincipal);
    const alice = await listAll(`${ROLES}&$filter=atScope() and principalId eq '0a000000-0000-4000-8000-00000000a11c'`);
    expect(alice.map((a) => a.properties.scope)).toEqual([`/subscriptions/${PROD}`, "/"]);
    const unsupported = await arm.get(`${ROLES}&$filter=roleDefinitionId eq 'x'`);
    expect(unsupported.status).toBe(400);
  });
});

describe("activity log", () => {
  const EVENTS = `/subscriptions/${PROD}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01`;
  const week = "eventTimestamp ge '2026-02-22T12:00:00Z' and eventTimestamp le '2026-03-01T12:00:00Z'";

  it("insists on a time range plus resourceProvider, resourceUri, resourceGroupName or correlationId", async () => {
    for (const filter of [undefined, week, "resourceProvider eq 'Microsoft.ContainerRegistry'", `${week} and operationName eq 'x'`, `${week} and resourceProvider eq 'a' and resourceUri eq 'b'`]) {
      const response = await arm.get(filter === undefined ? EVENTS : `${EVENTS}&$filter=${encodeURIComponent(filter)}`);
      expect([filter, response.status, response.body.code]).toEqual([filter, 400, "BadRequest"]);
      expect(response.body.message).toContain("$filter must be");
    }
  });

  it("honours the time range and the provider, newest first, with {value, localizedValue} names", async () => {
    const events = await listAll(`${EVENTS}&$filter=${encodeURIComponent(`${week} and resourceProvider eq 'microsoft.containerregistry'`)}`);
    expect(events.map((e) => [e.eventTimestamp, e.status.value])).toEqual([
      ["2026-02-28T09:30:00.000Z", "Succeeded"],
      ["2026-02-27T09:29:00.000Z", "Started"],
    ]);
    expect(events[0]).toMatchObject({
      operationName: { value: "Microsoft.ContainerRegistry/registries/regenerateCredential/action", localizedValue: "Microsoft.ContainerRegistry/registries/regenerateCredential/action" },
      status: { value: "Succeeded", localizedValue: "Succeeded" },
      caller: "alice@contoso.example",
      resourceId: PROD_ACR,
      resourceGroupName: "rg-acr",
      subscriptionId: PROD,
    });
  });

  it("filters by resource group, resource URI and correlation id, and honours $select", async () => {
    const network = await listAll(`${EVENTS}&$filter=${encodeURIComponent(`${week} and resourceGroupName eq 'rg-aks'`)}`);
    expect(network.map((e) => e.operationName.value)).toEqual(["Microsoft.Network/publicIPAddresses/write"]);
    const byUri = await listAll(`${EVENTS}&$filter=${encodeURIComponent(`${week} and resourceUri eq '${PROD_ACR}'`)}`);
    expect(byUri).toHaveLength(2);
    const byCorrelation = await listAll(`${EVENTS}&$filter=${encodeURIComponent(`${week} and correlationId eq '${byUri[1].correlationId}'`)}`);
    expect(byCorrelation.map((e) => e.eventDataId)).toEqual([byUri[1].eventDataId]);
    const selected = await listAll(`${EVENTS}&$filter=${encodeURIComponent(`${week} and resourceUri eq '${PROD_ACR}'`)}&$select=eventTimestamp,operationName,status,caller,resourceId`);
    expect(Object.keys(selected[0]).sort()).toEqual(["caller", "eventTimestamp", "operationName", "resourceId", "status"]);
  });
});

describe("AKS clusters and their egress IPs", () => {
  it("serves service-principal and managed-identity clusters with kubelet identity and effective outbound IPs", async () => {
    const clusters = await listAll(`/subscriptions/${PROD}/providers/Microsoft.ContainerService/managedClusters?api-version=2026-04-01`);
    const [sp, msi, dev] = clusters;
    expect(sp).toMatchObject({
      id: `/subscriptions/${PROD}/resourcegroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-sp`,
      tags: { "credwatch-pulls-from": "acrprem" },
      sku: { name: "Base", tier: "Free" },
      properties: {
        servicePrincipalProfile: { clientId: "a2000000-0000-4000-8000-000000000001" },
        nodeResourceGroup: "MC_rg-aks_aks-sp_westeurope",
        networkProfile: { outboundType: "loadBalancer" },
        agentPoolProfiles: [expect.objectContaining({ name: "nodepool1" })],
      },
    });
    expect(sp).not.toHaveProperty("identity");
    expect(msi.properties.servicePrincipalProfile.clientId).toBe("msi");
    expect(msi.identity.type).toBe("SystemAssigned");
    expect(msi.properties.identityProfile.kubeletidentity).toMatchObject({ clientId: "a2000000-0000-4000-8000-0000000000c3", objectId: "b1000000-0000-4000-8000-000000000003" });
    // Egress unknown when the fixture does not say, known-empty when it says [].
    expect(msi.properties.networkProfile.loadBalancerProfile).not.toHaveProperty("effectiveOutboundIPs");
    expect(dev.properties.networkProfile.loadBalancerProfile.effectiveOutboundIPs).toEqual([]);

    const addresses = [];
    for (const { id } of sp.properties.networkProfile.loadBalancerProfile.effectiveOutboundIPs) {
      expect(id).toMatch(/\/resourceGroups\/MC_rg-aks_aks-sp_westeurope\/providers\/Microsoft\.Network\/publicIPAddresses\/[0-9a-f-]{36}$/);
      const ip = await arm.get(`${id}?api-version=2025-05-01`);
      addresses.push(ip.body.properties.ipAddress);
    }
    expect(addresses).toEqual(["20.50.0.10", "20.50.0.11"]);
  });

  it("lists public IPs per subscription and per resource group", async () => {
    const all = await listAll(`/subscriptions/${PROD}/providers/Microsoft.Network/publicIPAddresses?api-version=2025-05-01`);
    expect(all.map((ip) => ip.properties.ipAddress)).toEqual(["20.50.0.10", "20.50.0.11"]);
    const inGroup = await listAll(`/subscriptions/${PROD}/resourceGroups/MC_rg-aks_aks-sp_westeurope/providers/Microsoft.Network/publicIPAddresses?api-version=2025-05-01`);
    expect(inGroup).toHaveLength(2);
  });
});
