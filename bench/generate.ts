// A synthetic tenant of any size, the same for the same seed: applications with secrets and
// certificates in every state credwatch judges (healthy, expiring, expired, rotated, long-lived, no
// credentials), their service principals (some with credentials of their own, SAML signing
// certificates), managed identities, third-party service principals, subscriptions with registries,
// scoped tokens, AKS clusters (managed identity and service principal), role assignments that make
// credentials matter, and admin-key events.
//
// It builds the sandbox's *parsed* fixture type directly (every default filled in), so the benchmark
// can serve it without the fixture schema check: the records are valid by construction (the tests
// check a small one with parseFixture). Benchmark output reports how long that check would take.
import type { Fixture, FixtureApplication, FixtureManagedCluster, FixtureRegistry, FixtureRoleAssignment, FixtureServicePrincipal, FixtureSubscription } from "../test/sandbox/fixture-schema.js";

export interface TenantSize {
  applications: number;
  servicePrincipals: number;
  subscriptions: number;
  registries: number;
  tokens: number;
  clusters: number;
}

export const DEFAULT_SIZE: TenantSize = {
  applications: 50_000,
  servicePrincipals: 60_000,
  subscriptions: 200,
  registries: 100,
  tokens: 2_000,
  clusters: 100,
};

export const DEFAULT_NOW = "2026-11-25T02:00:00.000Z";
const DAY = 86_400_000;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedTenant {
  fixture: Fixture;
  /** Applications by their role in the scenario, for the benchmark's changes. */
  samples: {
    healthyApplications: string[];
    applicationsWithFindings: string[];
    expiringApplications: string[];
  };
}

export function generateTenant(size: TenantSize, options: { seed?: number; now?: string } = {}): GeneratedTenant {
  const random = prng(options.seed ?? 42);
  const nowIso = options.now ?? DEFAULT_NOW;
  const now = Date.parse(nowIso);
  const at = (days: number) => new Date(now + days * DAY).toISOString();
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");
  const guid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
  const pad = (i: number, n: number) => String(i).padStart(String(n).length, "0");
  const tenantId = guid();

  const owners = Array.from({ length: Math.max(1, Math.ceil(size.applications / 10)) }, (_, i) => {
    const mail = `owner${i}@contoso.example`;
    return { id: guid(), displayName: `Owner ${i}`, userPrincipalName: mail, mail };
  });
  const secret = (name: string, startDays: number, endDays: number) => ({
    keyId: guid(),
    displayName: name,
    hint: null,
    startDateTime: at(startDays),
    endDateTime: at(endDays),
  });
  const certificate = (name: string, startDays: number, endDays: number, usage: "Verify" | "Sign") => ({
    keyId: guid(),
    displayName: name,
    type: "AsymmetricX509Cert",
    usage,
    customKeyIdentifier: null,
    startDateTime: at(startDays),
    endDateTime: at(endDays),
  });

  const samples: GeneratedTenant["samples"] = { healthyApplications: [], applicationsWithFindings: [], expiringApplications: [] };
  const applications: FixtureApplication[] = [];
  for (let i = 0; i < size.applications; i++) {
    const r = random();
    const app: FixtureApplication = { id: guid(), appId: guid(), displayName: `app-${pad(i, size.applications)}`, passwordCredentials: [], keyCredentials: [] };
    if (r < 0.01) {
      // Expired, never cleaned up.
      const end = -int(1, 400);
      app.passwordCredentials!.push(secret("ci", end - 365, end));
    } else if (r < 0.04) {
      // Expiring within the 30-day window; a third already rotated.
      const end = int(0, 29);
      app.passwordCredentials!.push(secret("deploy", end - 365, end + random() * 0.9));
      if (r < 0.02) app.passwordCredentials!.push(secret("deploy-2", -int(1, 20), int(300, 700)));
    } else if (r < 0.05) {
      app.keyCredentials!.push(certificate("client-cert", -340, int(1, 29), "Verify"));
    } else if (r < 0.06) {
      // Long-lived: valid for more than 730 days.
      app.passwordCredentials!.push(secret("forever", -int(10, 300), int(800, 3000)));
    } else if (r < 0.7) {
      const end = int(45, 360);
      app.passwordCredentials!.push(secret("api", end - 365, end));
      if (r > 0.6) app.keyCredentials!.push(certificate("cert", -100, int(200, 600), "Verify"));
    }
    if (random() < 0.85) app.owners = [owners[i % owners.length]!];
    applications.push(app);
    if (r < 0.06) samples.applicationsWithFindings.push(app.id);
    else if (r < 0.7) samples.healthyApplications.push(app.id);
    if (r >= 0.01 && r < 0.04) samples.expiringApplications.push(app.id);
  }

  const servicePrincipals: FixtureServicePrincipal[] = [];
  const managedIdentities: FixtureServicePrincipal[] = [];
  for (let i = 0; i < size.servicePrincipals; i++) {
    const app = applications[i];
    if (app) {
      const r = random();
      const sp: FixtureServicePrincipal = {
        id: guid(),
        appId: app.appId,
        displayName: app.displayName,
        servicePrincipalType: "Application",
        accountEnabled: true,
        passwordCredentials: [],
        keyCredentials: [],
      };
      if (r < 0.003) sp.passwordCredentials!.push(secret("sp-own", -300, int(1, 25)));
      else if (r < 0.006) sp.keyCredentials!.push(certificate("saml-signing", -1000, int(5, 60), "Sign"));
      if (r < 0.006 && random() < 0.8) sp.owners = [owners[i % owners.length]!];
      servicePrincipals.push(sp);
    } else if (random() < 0.8) {
      // Managed identities: Azure rotates their certificates; out of scope, but they are read.
      const mi: FixtureServicePrincipal = {
        id: guid(),
        appId: guid(),
        displayName: `mi-${pad(i, size.servicePrincipals)}`,
        servicePrincipalType: "ManagedIdentity",
        accountEnabled: true,
        alternativeNames: [`isExplicit=False`],
        passwordCredentials: [],
        keyCredentials: [certificate("managed", -30, int(5, 150), "Verify")],
      };
      servicePrincipals.push(mi);
      managedIdentities.push(mi);
    } else {
      servicePrincipals.push({
        id: guid(),
        appId: guid(),
        displayName: `third-party-${pad(i, size.servicePrincipals)}`,
        servicePrincipalType: "Application",
        accountEnabled: random() < 0.95,
        passwordCredentials: [],
        keyCredentials: [],
      });
    }
  }

  const subscriptions: FixtureSubscription[] = Array.from({ length: size.subscriptions }, (_, i) => ({
    subscriptionId: guid(),
    displayName: `sub-${pad(i, size.subscriptions)}`,
    state: "Enabled",
    access: "read",
    registries: [],
    managedClusters: [],
    roleAssignments: [],
    activityLog: [],
  }));
  const subscriptionAt = (i: number) => subscriptions[i % Math.max(1, subscriptions.length)]!;

  const registries: { registry: FixtureRegistry; subscription: FixtureSubscription; id: string }[] = [];
  if (subscriptions.length > 0) {
    for (let i = 0; i < size.registries; i++) {
      const subscription = subscriptionAt(Math.floor((i * subscriptions.length) / Math.max(1, size.registries)));
      const premium = random() < 0.2;
      const registry: FixtureRegistry = {
        name: `acr${pad(i, size.registries)}`,
        resourceGroup: `rg-acr-${i}`,
        location: "westeurope",
        sku: premium ? "Premium" : "Standard",
        adminUserEnabled: random() < 0.1,
        publicNetworkAccess: "Enabled",
        roleAssignmentMode: random() < 0.1 ? "AbacRepositoryPermissions" : "LegacyRegistryPermissions",
        ...(premium ? { networkRuleSet: { defaultAction: "Deny" as const, ipRules: [{ value: "20.0.0.0/16" }] } } : {}),
        tokens: [],
      };
      subscription.registries!.push(registry);
      const id = `/subscriptions/${subscription.subscriptionId}/resourceGroups/${registry.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${registry.name}`;
      registries.push({ registry, subscription, id });
      if (registry.adminUserEnabled && random() < 0.5) {
        subscription.activityLog!.push({
          eventTimestamp: at(-random() * 6),
          operationName: "Microsoft.ContainerRegistry/registries/regenerateCredential/action",
          status: "Succeeded",
          caller: "admin@contoso.example",
          resourceId: id,
        });
      }
    }
    for (let i = 0; i < size.tokens && registries.length > 0; i++) {
      const { registry } = registries[i % registries.length]!;
      const r = random();
      const expiry = r < 0.02 ? at(-int(1, 90)) : r < 0.07 ? at(int(1, 29)) : r < 0.12 ? null : at(int(60, 365));
      registry.tokens!.push({
        name: `token-${i}`,
        status: random() < 0.97 ? "enabled" : "disabled",
        scopeMapName: "_repositories_pull",
        creationDate: at(-200),
        passwords: [{ name: "password1", creationTime: at(-200), expiry }],
      });
    }
  }

  const assign = (subscription: FixtureSubscription, scope: string, principalId: string, role: string) => {
    const assignment: FixtureRoleAssignment = { scope, principalId, principalType: "ServicePrincipal", role };
    subscription.roleAssignments!.push(assignment);
  };
  // Some applications pull images: AcrPull on a registry, or Reader on its resource group.
  if (registries.length > 0) {
    for (let i = 0; i < applications.length; i++) {
      if (random() >= 0.02) continue;
      const sp = servicePrincipals[i];
      if (!sp) continue;
      const { subscription, registry, id } = registries[int(0, registries.length - 1)]!;
      if (random() < 0.8) assign(subscription, id, sp.id, "AcrPull");
      else assign(subscription, `/subscriptions/${subscription.subscriptionId}/resourceGroups/${registry.resourceGroup}`, sp.id, "Reader");
    }
  }

  const clusters: FixtureManagedCluster[] = [];
  for (let i = 0; i < size.clusters && subscriptions.length > 0; i++) {
    const subscription = subscriptionAt(Math.floor((i * subscriptions.length) / Math.max(1, size.clusters)) + 1);
    const target = registries.length > 0 ? registries[int(0, registries.length - 1)] : undefined;
    const msi = random() < 0.7 || managedIdentities.length === 0;
    const identity = managedIdentities.length > 0 ? managedIdentities[i % managedIdentities.length]! : undefined;
    // Service-principal clusters run on an application's secret: some on one that is expiring.
    const app = samples.expiringApplications.length > 0 && random() < 0.5
      ? applications.find((a) => a.id === samples.expiringApplications[i % samples.expiringApplications.length])!
      : applications[int(0, Math.max(0, applications.length - 1))];
    const cluster: FixtureManagedCluster = {
      name: `aks-${pad(i, size.clusters)}`,
      resourceGroup: `rg-aks-${i}`,
      location: "westeurope",
      ...(random() < 0.5 && target ? { tags: { "credwatch-pulls-from": target.registry.name } } : {}),
      servicePrincipalProfile: { clientId: msi || !app ? "msi" : app.appId },
      ...(msi && identity ? { identityProfile: { kubeletidentity: { clientId: identity.appId, objectId: identity.id } } } : {}),
      outboundIPs: [`20.${int(0, 1)}.${int(0, 255)}.${int(1, 254)}`],
    };
    subscription.managedClusters!.push(cluster);
    clusters.push(cluster);
    // Most clusters are attached to their registry (AcrPull at the registry); some are not.
    if (target && random() < 0.9) {
      const principal = msi && identity ? identity.id : app ? servicePrincipals[applications.indexOf(app)]?.id : undefined;
      if (principal) assign(target.subscription, target.id, principal, "AcrPull");
    }
  }

  const fixture: Fixture = {
    name: `synthetic tenant (${size.applications} applications, seed ${options.seed ?? 42})`,
    now: nowIso,
    tenantId,
    applications,
    servicePrincipals,
    subscriptions,
    faults: [],
  };
  return { fixture, samples };
}
