// The contoso tenant (shared/fixtures/contoso.json) written out as the Inventory the collectors would
// hand to analysis, plus its expectations (contoso.expect.json). Hand-written so these tests run
// without the shared folder.

import type { Inventory, RoleAssignment } from "../../shared/model.js";
import { ROLE } from "../../shared/analyze/pull-roles.js";

export const CONTOSO_NOW = new Date("2026-11-25T02:00:00Z");

const PROD = "567f5bd7-0c74-5f71-93c8-48f4cf247145";
const DEV = "36070d30-131a-5bd0-a60e-b528b392346f";
const SANDBOX = "254aee58-d70b-53dd-838d-8f0fb32a0072";
const ACRPROD = `/subscriptions/${PROD}/resourceGroups/rg-registry/providers/Microsoft.ContainerRegistry/registries/acrprod`;
const ACRDEV = `/subscriptions/${DEV}/resourceGroups/rg-registry-dev/providers/Microsoft.ContainerRegistry/registries/acrdev`;
const EVIL = "<!channel> *urgent* & <https://evil.example|click here>";

function secret(keyId: string, displayName: string, start: string, end: string) {
  return { type: "secret" as const, keyId, displayName, startDateTime: start, endDateTime: end, usage: null };
}

function cert(keyId: string, displayName: string, usage: string, start: string, end: string) {
  return { type: "certificate" as const, keyId, displayName, startDateTime: start, endDateTime: end, usage };
}

function sp(id: string, appId: string, displayName: string, type = "Application", credentials: ReturnType<typeof cert>[] = []) {
  return { id, appId, displayName, servicePrincipalType: type, accountEnabled: true, credentials };
}

function roleAssignment(subscriptionId: string, name: string, scope: string, principalId: string, role: string): RoleAssignment {
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    scope,
    principalId,
    principalType: "ServicePrincipal",
    roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
    subscriptionId,
  };
}

function tokenOf(name: string, status: string, passwords: { name: string; creationTime: string | null; expiry: string | null }[]) {
  return {
    id: `${ACRPROD}/tokens/${name}`,
    name,
    registryId: ACRPROD,
    registryName: "acrprod",
    subscriptionId: PROD,
    resourceGroup: "rg-registry",
    status,
    scopeMapId: `${ACRPROD}/scopeMaps/_repositories_pull`,
    creationDate: "2025-11-25T02:00:00Z",
    passwords,
  };
}

function cluster(subscriptionId: string, name: string, rg: string, registryTag: string, clientId: string, kubelet: { clientId: string; objectId: string } | null, egress: string[]) {
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`,
    name,
    subscriptionId,
    resourceGroup: rg,
    location: "westeurope",
    tags: { "credwatch-pulls-from": registryTag },
    servicePrincipalClientId: clientId,
    kubeletIdentity: kubelet,
    egressIps: egress,
  };
}

export function contosoInventory(): Inventory {
  return {
    tenantId: "90629111-9639-5b10-95bb-132bc51d32d1",
    applications: [
      {
        id: "15a5d59d-897f-5b0b-92c6-46711012b77a",
        appId: "90052df5-de9d-5099-8713-13c3eddf4882",
        displayName: "aks-prod-sp",
        credentials: [secret("65242834-195d-522d-b89a-ac46debd5f50", "aks-prod-sp-secret-1", "2025-11-25T02:00:00Z", "2026-11-30T05:00:00Z")],
      },
      {
        id: "e5cae35c-b951-58b6-bbf7-8de468cc777f",
        appId: "cfeed2f0-2808-5e35-806c-9c91070452b1",
        displayName: "ci-deployer",
        credentials: [secret("420a23bd-7c04-59c5-b958-85598fdaac39", "ci-deployer-secret-1", "2025-11-25T02:00:00Z", "2026-11-23T14:00:00Z")],
      },
      {
        id: "1966ceab-89c0-589e-8c22-6821601081db",
        appId: "0f5ff39d-b83b-56bc-bc44-42726ed531c2",
        displayName: "payments-api",
        credentials: [cert("6bc985d6-edad-5060-a884-caa1e9a6ec93", "CN=payments-api", "Verify", "2025-12-15T02:00:00Z", "2026-12-15T07:00:00Z")],
      },
      {
        id: "da4d81cf-aa09-5085-8ee3-57f2644247c4",
        appId: "0583a3e0-62d9-53a7-8814-b1f2125f61ee",
        displayName: "legacy-sync",
        credentials: [secret("9ddbbe92-398f-5764-be70-3d62f61bac70", "legacy-sync-secret-1", "2020-01-01T00:00:00Z", "2299-12-31T00:00:00Z")],
      },
      {
        id: "7c51da1c-1397-5aab-b00e-544091d64f1c",
        appId: "d898053c-1c5f-5cad-b515-5f4c19aed33c",
        displayName: "rotated-app",
        credentials: [
          secret("c2be1210-89e9-5e34-b13b-f84d4ac055e8", "rotated-app-secret-1", "2025-11-25T02:00:00Z", "2026-11-28T08:00:00Z"),
          secret("8e31f90c-84d2-5522-8d4d-edaad8a41a1f", "rotated-app-secret-2", "2026-11-24T02:00:00Z", "2027-11-24T02:00:00Z"),
        ],
      },
      {
        id: "89cdc891-fada-528f-b90f-44d38baa5f45",
        appId: "aef8c567-d442-5c02-b94c-bb921e753fcb",
        displayName: "healthy-app",
        credentials: [secret("1dc5d6a6-2323-5aed-bda0-16ad579cd7b7", "healthy-app-secret-1", "2026-08-17T02:00:00Z", "2027-06-13T02:00:00Z")],
      },
      {
        id: "14778aee-161d-53aa-a2d2-4e24b68e5685",
        appId: "2ce425a3-449c-5ab4-a9ac-e35d5fa9684a",
        displayName: EVIL,
        credentials: [secret("71498b98-4d11-5c70-87f9-bd7556257c5e", `${EVIL}-secret-1`, "2025-11-25T02:00:00Z", "2026-12-05T08:00:00Z")],
      },
      { id: "86b892d7-a275-5cbd-883a-ef902129804d", appId: "a61402b0-76dd-5a1e-abd1-0a9679f75d61", displayName: "saml-sso", credentials: [] },
    ],
    servicePrincipals: [
      sp("8c117036-7902-5834-a40d-2172f41e05f8", "90052df5-de9d-5099-8713-13c3eddf4882", "aks-prod-sp"),
      sp("d067feff-a225-5dc0-8af9-e8e9dfc6bb8d", "cfeed2f0-2808-5e35-806c-9c91070452b1", "ci-deployer"),
      sp("54d459c9-ccac-522a-9695-435379d2c31e", "0f5ff39d-b83b-56bc-bc44-42726ed531c2", "payments-api"),
      sp("197e713d-86a9-5831-a976-8d0b2a2a6852", "0583a3e0-62d9-53a7-8814-b1f2125f61ee", "legacy-sync"),
      sp("83f3da12-80fa-5812-9047-ee6fc113eeb3", "d898053c-1c5f-5cad-b515-5f4c19aed33c", "rotated-app"),
      sp("85214fc9-2515-574b-bc4b-edd068ea328e", "aef8c567-d442-5c02-b94c-bb921e753fcb", "healthy-app"),
      sp("3aa7bd99-1752-5ecd-9bf0-5cd2d69066d7", "2ce425a3-449c-5ab4-a9ac-e35d5fa9684a", EVIL),
      sp("3b61a80b-5495-531f-8e12-0c13492835b5", "a61402b0-76dd-5a1e-abd1-0a9679f75d61", "saml-sso", "Application", [
        cert("f04fd9d8-4754-5c7d-b37f-392b0dd99d67", "CN=saml-sso SAML signing", "Sign", "2025-12-07T02:00:00Z", "2026-12-07T04:00:00Z"),
      ]),
      sp("a3ff4b0f-b3ac-5696-87a2-a6ea03a0b29a", "4651ce8b-4483-5c51-94b3-321aeed063cc", "telemetry-mi", "ManagedIdentity", [
        cert("8c8d17d1-cf16-5f30-8f02-7e5e0844b230", "CN=telemetry-mi", "Sign", "2026-08-28T02:00:00Z", "2026-11-26T02:00:00Z"),
      ]),
      sp("1a3657c9-b916-5832-8e2e-e009347b385c", "bf30e94b-e391-59aa-9248-8d60ef2deaa6", "aks-batch-agentpool", "ManagedIdentity"),
      sp("dd3cb872-9290-5786-8e21-2e7fb2cb4b33", "c886f31e-ff56-5e9b-9f65-4beb7a157072", "aks-dev-agentpool", "ManagedIdentity"),
      sp("c900b651-1a58-59d2-b7d4-295bdda859e4", "1ff4f0d2-959b-5f4f-a53a-443c1c636f0a", "aks-test-agentpool", "ManagedIdentity"),
    ],
    subscriptions: [
      { subscriptionId: PROD, displayName: "Contoso Production", state: "Enabled" },
      { subscriptionId: DEV, displayName: "Contoso Development", state: "Enabled" },
    ],
    unreadableSubscriptions: [SANDBOX],
    registries: [
      {
        id: ACRPROD,
        name: "acrprod",
        subscriptionId: PROD,
        resourceGroup: "rg-registry",
        location: "westeurope",
        sku: "Premium",
        adminUserEnabled: true,
        publicNetworkAccess: "Enabled",
        roleAssignmentMode: "LegacyRegistryPermissions",
        networkRuleSet: { defaultAction: "Deny", ipRules: [{ action: "Allow", value: "20.50.0.0/24" }] },
        privateEndpointConnections: [],
        tags: {},
      },
      {
        id: ACRDEV,
        name: "acrdev",
        subscriptionId: DEV,
        resourceGroup: "rg-registry-dev",
        location: "westeurope",
        sku: "Standard",
        adminUserEnabled: false,
        publicNetworkAccess: "Enabled",
        roleAssignmentMode: null,
        networkRuleSet: null,
        privateEndpointConnections: [],
        tags: {},
      },
    ],
    tokens: [
      tokenOf("ci-pull", "enabled", [{ name: "password1", creationTime: "2025-11-25T02:00:00Z", expiry: "2026-11-30T03:00:00Z" }]),
      tokenOf("vendor-scan", "enabled", [{ name: "password1", creationTime: "2025-11-25T02:00:00Z", expiry: null }]),
      tokenOf("old-release", "disabled", [{ name: "password1", creationTime: "2025-11-25T02:00:00Z", expiry: "2026-10-26T02:00:00Z" }]),
      tokenOf("release-bot", "enabled", [{ name: "password1", creationTime: "2025-11-25T02:00:00Z", expiry: "2026-11-22T14:00:00Z" }]),
    ],
    roleAssignments: [
      roleAssignment(PROD, "4baa833a-a3ed-53af-b041-c3203762e3e4", ACRPROD, "8c117036-7902-5834-a40d-2172f41e05f8", ROLE.AcrPull),
      roleAssignment(PROD, "07d164c2-f2eb-5aec-a365-cfcbc5202335", ACRPROD, "1a3657c9-b916-5832-8e2e-e009347b385c", ROLE.AcrPull),
      roleAssignment(PROD, "eab278ef-603a-5eb7-a173-ea9b3ee11c46", ACRPROD, "d067feff-a225-5dc0-8af9-e8e9dfc6bb8d", ROLE.AcrPush),
      roleAssignment(DEV, "2d643fc2-5998-5195-bcc9-cc99a6eb8a66", `/subscriptions/${DEV}`, "c900b651-1a58-59d2-b7d4-295bdda859e4", ROLE.Contributor),
    ],
    activityEvents: [
      {
        eventTimestamp: "2026-11-24T02:00:00Z",
        operationName: "Microsoft.ContainerRegistry/registries/regenerateCredential/action",
        status: "Succeeded",
        caller: "alice@contoso.com",
        resourceId: ACRPROD,
        subscriptionId: PROD,
      },
    ],
    managedClusters: [
      cluster(PROD, "aks-prod", "rg-aks-prod", "acrprod", "90052df5-de9d-5099-8713-13c3eddf4882", null, ["20.50.0.10"]),
      cluster(PROD, "aks-batch", "rg-aks-batch", "acrprod", "msi", { clientId: "bf30e94b-e391-59aa-9248-8d60ef2deaa6", objectId: "1a3657c9-b916-5832-8e2e-e009347b385c" }, ["52.1.1.1"]),
      cluster(DEV, "aks-dev", "rg-aks-dev", "acrdev", "msi", { clientId: "c886f31e-ff56-5e9b-9f65-4beb7a157072", objectId: "dd3cb872-9290-5786-8e21-2e7fb2cb4b33" }, ["51.9.9.9"]),
      cluster(DEV, "aks-test", "rg-aks-test", "acrdev", "msi", { clientId: "1ff4f0d2-959b-5f4f-a53a-443c1c636f0a", objectId: "c900b651-1a58-59d2-b7d4-295bdda859e4" }, ["51.9.9.10"]),
    ],
  };
}

/** contoso.expect.json, findings and absent lists, as written there. */
export interface ExpectedFinding {
  kind: string;
  subject?: string;
  subjectType?: string;
  daysLeft?: number;
  window?: number;
  rotated?: boolean;
  severity: string;
  clusters?: string[];
  registries?: string[];
  registry?: string;
  cluster?: string;
  reason?: string;
}

export const CONTOSO_EXPECTED: ExpectedFinding[] = [
  { kind: "credential-expiring", subject: "aks-prod-sp", subjectType: "application", daysLeft: 5, window: 7, severity: "critical", clusters: ["aks-prod"], registries: ["acrprod"] },
  { kind: "credential-expired", subject: "ci-deployer", subjectType: "application", daysLeft: -2, severity: "critical", registries: ["acrprod"] },
  { kind: "credential-expiring", subject: "payments-api", subjectType: "application", daysLeft: 20, window: 30, severity: "medium" },
  { kind: "credential-long-lived", subject: "legacy-sync", subjectType: "application", severity: "low" },
  { kind: "credential-expiring", subject: "rotated-app", subjectType: "application", daysLeft: 3, window: 7, rotated: true, severity: "medium" },
  { kind: "credential-expiring", subject: EVIL, subjectType: "application", daysLeft: 10, window: 14, severity: "medium" },
  { kind: "credential-expiring", subject: "saml-sso", subjectType: "servicePrincipal", daysLeft: 12, window: 14, severity: "medium" },
  { kind: "credential-expiring", subject: "ci-pull", subjectType: "acrToken", daysLeft: 5, window: 7, severity: "critical", registries: ["acrprod"] },
  { kind: "credential-long-lived", subject: "vendor-scan", subjectType: "acrToken", severity: "low", registries: ["acrprod"] },
  { kind: "credential-expired", subject: "release-bot", subjectType: "acrToken", daysLeft: -3, severity: "critical", registries: ["acrprod"] },
  { kind: "admin-key-regenerated", registry: "acrprod", severity: "high" },
  { kind: "admin-user-enabled", registry: "acrprod", severity: "medium" },
  { kind: "network-blocked", registry: "acrprod", cluster: "aks-batch", severity: "critical" },
  { kind: "role-gap", cluster: "aks-dev", registry: "acrdev", reason: "no-pull-role", severity: "critical" },
  { kind: "role-gap", cluster: "aks-test", registry: "acrdev", reason: "broad-role-only", severity: "low" },
];

export const CONTOSO_ABSENT: { kind?: string; subject?: string; cluster?: string }[] = [
  { subject: "healthy-app" },
  { subject: "telemetry-mi" },
  { subject: "old-release" },
  { kind: "network-blocked", cluster: "aks-prod" },
  { kind: "role-gap", cluster: "aks-prod" },
  { kind: "role-gap", cluster: "aks-batch" },
];
