// The real SDKs against the sandbox, changed only in endpoints and the CA: the credential comes from
// the sandbox's env (DefaultAzureCredential → managed identity), nothing is stubbed. The request log
// then shows exactly which paths and api-versions the SDK versions in package.json send.
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { MonitorClient } from "@azure/arm-monitor";
import { NetworkManagementClient } from "@azure/arm-network";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { DefaultAzureCredential } from "@azure/identity";
import { Client as GraphClient } from "@microsoft/microsoft-graph-client";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everyResourceType, PROD } from "./helpers.js";
import { startSandbox, type Sandbox } from "./index.js";

let sandbox: Sandbox;
let credential: DefaultAzureCredential;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: await everyResourceType(), armPageSize: 2 });
  Object.assign(process.env, sandbox.env);
  credential = new DefaultAzureCredential();
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await sandbox.close();
});

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** "GET /path api-version" of the ARM requests since the last call, ids replaced by placeholders. */
function armCalls(): string[] {
  const calls = sandbox.requests
    .filter((r) => r.service === "arm")
    .map((r) => `${r.method} ${r.path.replace(PROD, "{sub}")}${r.query.$skipToken ? " (next page)" : ""} ${r.apiVersion}`);
  sandbox.clearLog();
  return calls;
}

describe("real Azure SDKs against the sandbox", () => {
  it("@azure/arm-containerregistry lists registries and tokens (new-style client: endpoint + credentials.scopes)", async () => {
    const acr = new ContainerRegistryManagementClient(credential, PROD, {
      endpoint: sandbox.armEndpoint,
      credentials: { scopes: [`${sandbox.armEndpoint}/.default`] },
      tlsOptions: { ca: sandbox.caPem },
    });
    const registries = await all(acr.registries.list());
    expect(registries.map((r) => [r.name, r.sku.name, r.adminUserEnabled])).toEqual([
      ["acrprem", "Premium", true],
      ["acrbasic", "Basic", false],
    ]);
    // The SDK flattens `properties` and renames an IP rule's `value` to iPAddressOrRange.
    expect(registries[0]!.networkRuleSet?.ipRules?.[0]).toEqual({ action: "Allow", iPAddressOrRange: "20.50.0.0/24" });
    const tokens = await all(acr.tokens.list("rg-acr", "acrprem"));
    expect(tokens.map((t) => [t.name, t.status, t.credentials?.passwords?.map((p) => [p.name, p.expiry?.toISOString()])])).toEqual([
      ["ci-pull", "enabled", [["password1", "2026-03-04T12:00:00.000Z"], ["password2", undefined]]],
      ["retired", "disabled", [["password1", undefined]]],
    ]);
    const scopeMaps = await all(acr.scopeMaps.list("rg-acr", "acrprem"));
    expect(scopeMaps).toHaveLength(4);
    expect(armCalls()).toEqual([
      "GET /subscriptions/{sub}/providers/Microsoft.ContainerRegistry/registries 2025-11-01",
      "GET /subscriptions/{sub}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/acrprem/tokens 2025-11-01",
      "GET /subscriptions/{sub}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/acrprem/scopeMaps 2025-11-01",
      "GET /subscriptions/{sub}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/acrprem/scopeMaps (next page) 2025-11-01",
    ]);
  });

  it("the other ARM SDKs the sweep uses read subscriptions, role assignments, events, clusters and IPs", async () => {
    const legacy = { endpoint: sandbox.armEndpoint, credentialScopes: [`${sandbox.armEndpoint}/.default`], tlsOptions: { ca: sandbox.caPem } };
    const modern = { endpoint: sandbox.armEndpoint, credentials: { scopes: [`${sandbox.armEndpoint}/.default`] }, tlsOptions: { ca: sandbox.caPem } };

    const subscriptions = await all(new SubscriptionClient(credential, legacy).subscriptions.list());
    expect(subscriptions.map((s) => s.subscriptionId)).toEqual([PROD, "d1000000-0000-4000-8000-000000000002"]);

    const authorization = new AuthorizationManagementClient(credential, PROD, legacy);
    expect(await all(authorization.roleAssignments.listForSubscription())).toHaveLength(6);
    // listForScope takes the scope without its leading "/".
    const atRegistry = await all(authorization.roleAssignments.listForScope(`subscriptions/${PROD}/resourceGroups/rg-acr`, { filter: "atScope()" }));
    expect(atRegistry).toHaveLength(4);

    const monitor = new MonitorClient(credential, PROD, legacy);
    const filter = "eventTimestamp ge '2026-02-22T12:00:00Z' and eventTimestamp le '2026-03-01T12:00:00Z' and resourceProvider eq 'Microsoft.ContainerRegistry'";
    const events = await all(monitor.activityLogs.list(filter, { select: "eventTimestamp,operationName,status,caller,resourceId" }));
    expect(events.map((e) => [e.operationName?.value, e.status?.value])).toEqual([
      ["Microsoft.ContainerRegistry/registries/regenerateCredential/action", "Succeeded"],
      ["Microsoft.ContainerRegistry/registries/regenerateCredential/action", "Started"],
    ]);

    const clusters = await all(new ContainerServiceClient(credential, PROD, modern).managedClusters.list());
    expect(clusters.map((c) => [c.name, c.servicePrincipalProfile?.clientId, c.identityProfile?.["kubeletidentity"]?.objectId ?? null])).toEqual([
      ["aks-sp", "a2000000-0000-4000-8000-000000000001", null],
      ["aks-msi", "msi", "b1000000-0000-4000-8000-000000000003"],
      ["aks-dev", "msi", "b1000000-0000-4000-8000-000000000003"],
    ]);
    const network = new NetworkManagementClient(credential, PROD, legacy);
    const egress = clusters[0]!.networkProfile?.loadBalancerProfile?.effectiveOutboundIPs ?? [];
    const addresses = [];
    for (const { id } of egress) {
      const [, , , , resourceGroup, , , , name] = (id ?? "").split("/");
      addresses.push((await network.publicIPAddresses.get(resourceGroup!, name!)).ipAddress);
    }
    expect(addresses).toEqual(["20.50.0.10", "20.50.0.11"]);
    expect((await all(network.publicIPAddresses.listAll())).map((ip) => ip.ipAddress)).toEqual(["20.50.0.10", "20.50.0.11"]);

    const calls = armCalls().map((c) => c.replace(/publicIPAddresses\/[0-9a-f-]{36}/, "publicIPAddresses/{ip}"));
    expect(calls).toEqual([
      "GET /subscriptions 2022-12-01",
      "GET /subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments 2022-04-01",
      "GET /subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments (next page) 2022-04-01",
      "GET /subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments (next page) 2022-04-01",
      "GET /subscriptions/{sub}/resourceGroups/rg-acr/providers/Microsoft.Authorization/roleAssignments 2022-04-01",
      "GET /subscriptions/{sub}/resourceGroups/rg-acr/providers/Microsoft.Authorization/roleAssignments (next page) 2022-04-01",
      "GET /subscriptions/{sub}/providers/Microsoft.Insights/eventtypes/management/values 2015-04-01",
      "GET /subscriptions/{sub}/providers/Microsoft.ContainerService/managedClusters 2026-04-01",
      "GET /subscriptions/{sub}/providers/Microsoft.ContainerService/managedClusters (next page) 2026-04-01",
      "GET /subscriptions/{sub}/resourceGroups/MC_rg-aks_aks-sp_westeurope/providers/Microsoft.Network/publicIPAddresses/{ip} 2025-05-01",
      "GET /subscriptions/{sub}/resourceGroups/MC_rg-aks_aks-sp_westeurope/providers/Microsoft.Network/publicIPAddresses/{ip} 2025-05-01",
      "GET /subscriptions/{sub}/providers/Microsoft.Network/publicIPAddresses 2025-05-01",
    ]);
  });

  it("@microsoft/microsoft-graph-client pages applications through absolute nextLinks and retries a 429", async () => {
    sandbox.addFault({ path: "^/v1\\.0/applications$", status: 429, retryAfter: 0, times: 1 });
    const dispatcher = new Agent({ connect: { ca: sandbox.caPem } });
    const graph = GraphClient.initWithMiddleware({
      baseUrl: sandbox.graphEndpoint,
      customHosts: new Set(["127.0.0.1"]),
      fetchOptions: { dispatcher } as RequestInit,
      authProvider: { getAccessToken: async () => (await credential.getToken(`${sandbox.graphEndpoint}/.default`)).token },
    });
    try {
      const names: string[] = [];
      let page = await graph.api("/applications").select(["id", "displayName", "passwordCredentials"]).top(2).get();
      names.push(...page.value.map((a: { displayName: string }) => a.displayName));
      while (page["@odata.nextLink"]) {
        page = await graph.api(page["@odata.nextLink"]).get();
        names.push(...page.value.map((a: { displayName: string }) => a.displayName));
      }
      expect(names).toEqual(["aks-sp", "saml-app", "bare-app"]);
      const graphCalls = sandbox.requests.filter((r) => r.service === "graph").map((r) => [r.status, r.query]);
      expect(graphCalls).toEqual([
        [429, { $select: "id,displayName,passwordCredentials", $top: "2" }],
        [200, { $select: "id,displayName,passwordCredentials", $top: "2" }],
        [200, { $select: "id,displayName,passwordCredentials", $top: "2", $skiptoken: expect.any(String) }],
      ]);
    } finally {
      await dispatcher.close();
    }
  });
});
