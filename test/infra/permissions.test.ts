// Least privilege, as infra/ grants it: Reader on the swept subscriptions, Microsoft Graph
// Application.Read.All, data roles on credwatch's own resources — and nothing that can read or mint
// a secret of the tenant. No account key or connection string anywhere.
import { describe, expect, it } from "vitest";
import { GUID, bicepFile, bicepFiles, block, readRepoFile, resources } from "./bicep.js";

const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
const APPLICATION_READ_ALL = "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30";

/** Every role and id infra/ may name, and what it is for. */
const ALLOWED_IDS: Record<string, string> = {
  [READER]: "Reader, on each swept subscription",
  "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner, on credwatch's storage account",
  "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor, on credwatch's storage account",
  "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "Storage Table Data Contributor, on credwatch's storage account",
  "3913510d-42f4-4e42-8a64-420c390055eb": "Monitoring Metrics Publisher, on credwatch's Application Insights",
  "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User, on credwatch's own vault",
  [MICROSOFT_GRAPH_APP_ID]: "Microsoft Graph's application id",
  [APPLICATION_READ_ALL]: "Microsoft Graph Application.Read.All app role",
};

/** Roles that read or create secrets, or hand out access: never granted. */
const FORBIDDEN_ROLES: Record<string, string> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "8311e382-0749-4cb8-b61a-304f252e45ec": "AcrPush",
  "17d1049b-9a84-46fb-8f53-869881c3d3ab": "Storage Account Contributor (listKeys)",
  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "Key Vault Secrets Officer",
  "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
};

const files = bicepFiles();
const roleAssignments = files.flatMap((file) =>
  resources(file)
    .filter((r) => r.typeVersion.startsWith("Microsoft.Authorization/roleAssignments@"))
    .map((r) => ({ file, resource: r })),
);

describe("infra/ permissions", () => {
  it("finds the Bicep and its role assignments", () => {
    expect(files.map((f) => f.path)).toContain("infra/main.bicep");
    expect(roleAssignments.length).toBeGreaterThanOrEqual(6);
  });

  it("names no id but the allowed roles and Graph ids", () => {
    for (const file of files) {
      const ids = (file.code.match(GUID) ?? []).map((id) => id.toLowerCase());
      for (const id of ids) expect(ALLOWED_IDS, `${file.path}: ${id}`).toHaveProperty(id);
    }
  });

  it("grants no role that can read a secret or hand out access", () => {
    for (const file of files) {
      for (const [id, role] of Object.entries(FORBIDDEN_ROLES)) {
        expect(file.text.toLowerCase(), `${file.path} names ${role}`).not.toContain(id);
      }
      expect(file.code, file.path).not.toMatch(/\b(Owner|Contributor|AcrPush)'/);
    }
  });

  it("gives Reader, and only Reader, at subscription scope — one assignment per swept subscription", () => {
    const reader = bicepFile("infra/modules/subscription-reader.bicep");
    expect(reader.code).toMatch(/^targetScope = 'subscription'$/m);
    expect(reader.code).toContain(`var reader = '${READER}'`);
    const assignments = resources(reader).filter((r) => r.typeVersion.startsWith("Microsoft.Authorization/roleAssignments@"));
    expect(assignments).toHaveLength(1);
    expect(assignments[0]!.body).toMatch(/roleDefinitionId: subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', reader\)/);
    expect(assignments[0]!.body).toMatch(/principalType: 'ServicePrincipal'/);
    // main.bicep deploys it once per subscription, into that subscription.
    const main = bicepFile("infra/main.bicep").code;
    const module = block(main, /^module reader 'modules\/subscription-reader\.bicep' = \[/);
    expect(module).toMatch(/for subscriptionId in readerSubscriptionIds:/);
    expect(module).toMatch(/scope: subscription\(subscriptionId\)/);
    expect(main).toMatch(/readerSubscriptionIds = empty\(sweptSubscriptions\) \? \[subscription\(\)\.subscriptionId\] : sweptSubscriptions/);
  });

  it("scopes every other role assignment to one of credwatch's own resources", () => {
    for (const { file, resource } of roleAssignments) {
      if (file.path === "infra/modules/subscription-reader.bicep") continue;
      const scope = /^\s*scope: (\w+)$/m.exec(resource.body)?.[1];
      expect(scope, `${file.path} ${resource.symbol} has a resource scope`).toBeDefined();
      const target = resources(file).find((r) => r.symbol === scope);
      expect(target, `${file.path} ${resource.symbol}: scope ${scope} is a resource of this file`).toBeDefined();
      expect(target!.existing, `${resource.symbol} scope is created here, not an existing resource`).toBe(false);
      expect(target!.typeVersion).toMatch(/^Microsoft\.(Storage\/storageAccounts|KeyVault\/vaults|Insights\/components)@/);
      expect(resource.body).toMatch(/principalId: principalId/);
    }
  });

  it("grants Microsoft Graph Application.Read.All and no other Graph permission", () => {
    const graph = bicepFile("infra/modules/graph-app-role.bicep");
    expect(graph.code).toMatch(/^extension microsoftGraphV1$/m);
    const graphResources = resources(graph);
    const sp = graphResources.find((r) => r.typeVersion === "Microsoft.Graph/servicePrincipals@v1.0");
    expect(sp?.existing).toBe(true);
    expect(sp?.body).toMatch(/appId: microsoftGraphAppId/);
    expect(graph.code).toContain(`var microsoftGraphAppId = '${MICROSOFT_GRAPH_APP_ID}'`);
    const grants = graphResources.filter((r) => r.typeVersion === "Microsoft.Graph/appRoleAssignedTo@v1.0");
    expect(grants).toHaveLength(1);
    expect(grants[0]!.body).toMatch(/appRoleId: applicationReadAll/);
    expect(grants[0]!.body).toMatch(new RegExp(`resourceId: ${sp!.symbol}\\.id`));
    expect(graph.code).toContain(`var applicationReadAll = '${APPLICATION_READ_ALL}'`);
    // No other Graph resource anywhere in infra/.
    for (const file of files) {
      if (file === graph || file.path === graph.path) continue;
      expect(file.code, file.path).not.toMatch(/Microsoft\.Graph\//);
    }
    // The extension alias points at the v1.0 types.
    const config = JSON.parse(readRepoFile("infra/bicepconfig.json").replace(/^\s*\/\/.*$/gm, "")) as { extensions: Record<string, string> };
    expect(config.extensions.microsoftGraphV1).toMatch(/^br:mcr\.microsoft\.com\/bicep\/extensions\/microsoftgraph\/v1\.0:\d/);
  });

  it("the fallback script grants the same permission and nothing else", () => {
    const script = readRepoFile("infra/grant-graph-permission.sh");
    expect(script).toMatch(/^set -euo pipefail$/m);
    expect(script).toContain("permission=Application.Read.All");
    expect(script).toContain(`graph_app_id=${MICROSOFT_GRAPH_APP_ID}`);
    const permissions = new Set(script.match(/\b[A-Z][A-Za-z]+\.(?:Read|ReadWrite)(?:\.[A-Za-z]+)+\b/g));
    expect([...permissions]).toEqual(["Application.Read.All"]);
    expect(script).toMatch(/--method POST[\s\S]*\/appRoleAssignments"/);
  });

  it("uses no account key, connection string or list* secret call", () => {
    for (const file of files) {
      expect(file.code, file.path).not.toMatch(/\blist\w*\(/i); // listKeys(), listCredentials(), listSecrets() ...
      expect(file.code, file.path).not.toMatch(/AccountKey|DefaultEndpointsProtocol|SharedAccessSignature|connectionStrings:/i);
      expect(file.code, file.path).not.toMatch(/^\s*(AzureWebJobsStorage|WEBSITE_CONTENTAZUREFILECONNECTIONSTRING):/m);
    }
  });

  it("turns shared-key access off on the storage account", () => {
    const storage = resources(bicepFile("infra/modules/storage.bicep")).find((r) => r.typeVersion.startsWith("Microsoft.Storage/storageAccounts@"));
    expect(storage?.body).toMatch(/^\s*allowSharedKeyAccess: false$/m);
    expect(storage?.body).toMatch(/^\s*allowBlobPublicAccess: false$/m);
    expect(storage?.body).toMatch(/^\s*minimumTlsVersion: 'TLS1_2'$/m);
  });

  it("keeps the Slack and Teams secrets in an RBAC, purge-protected Key Vault", () => {
    const vault = resources(bicepFile("infra/modules/key-vault.bicep")).find((r) => r.typeVersion.startsWith("Microsoft.KeyVault/vaults@"));
    expect(vault?.body).toMatch(/^\s*enableRbacAuthorization: true$/m);
    expect(vault?.body).toMatch(/^\s*enablePurgeProtection: true$/m);
    expect(vault?.body).not.toMatch(/accessPolicies/);
  });

  it("sends telemetry with the identity only (local authentication off)", () => {
    const insights = resources(bicepFile("infra/modules/monitoring.bicep")).find((r) => r.typeVersion.startsWith("Microsoft.Insights/components@"));
    expect(insights?.body).toMatch(/^\s*DisableLocalAuth: true$/m);
  });
});
