// The directory is screened page by page and only what analysis can still need is kept: the
// findings must be exactly those of analyze() over the whole directory, and what is kept must grow
// with findings, not with the tenant.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../../bench/generate.js";
import { analyze, countCredentialsInScope, createDirectoryScreen, DEFAULT_POLICY } from "../../shared/analyze/index.js";
import { createAzureClients } from "../../shared/azure/clients.js";
import { applicationSchema, APPLICATION_SELECT, SERVICE_PRINCIPAL_SELECT, servicePrincipalSchema } from "../../shared/collect/graph-schemas.js";
import { listGraphCollection } from "../../shared/collect/graph-paging.js";
import { collectInventory } from "../../shared/collect/inventory.js";
import { storedApplication, storedServicePrincipal, toApplication, toServicePrincipal } from "../../shared/collect/directory-records.js";
import type { Application, Inventory, ManagedCluster, ServicePrincipal } from "../../shared/model.js";
import { parseFixture, startSandbox, type Sandbox } from "../sandbox/index.js";
import { configureFor } from "../support/sandbox-sweep.js";

const SIZE = { applications: 3_000, servicePrincipals: 3_600, subscriptions: 12, registries: 6, tokens: 120, clusters: 12 };

describe("streaming analysis of a generated tenant (3,000 applications)", () => {
  let sandbox: Sandbox;
  const generated = generateTenant(SIZE, { seed: 7 });
  const now = new Date(generated.fixture.now);

  beforeAll(async () => {
    // The generator builds parsed fixtures directly; this one must also pass the schema check.
    parseFixture(JSON.parse(JSON.stringify(generated.fixture)), "generated tenant");
    sandbox = await startSandbox({ fixture: generated.fixture });
  });
  afterAll(() => sandbox?.close());

  it("gives exactly the findings and errors of analyze() over the whole directory, keeping only subjects with findings", async () => {
    const config = configureFor(sandbox);
    const clients = createAzureClients(config);
    try {
      const collected = await collectInventory(clients, {
        tenantId: generated.fixture.tenantId,
        now,
        policy: DEFAULT_POLICY,
        adminEventLookbackDays: DEFAULT_POLICY.adminEventLookbackDays,
        subscriptionFilter: null,
        graphEndpoint: config.cloud.graphEndpoint,
        armEndpoint: config.cloud.armEndpoint,
      });
      await collected.directory.owners();
      expect(collected.errors).toEqual([]);

      // The non-streaming reference: every application and service principal, read into arrays.
      const [apps, sps] = await Promise.all([
        listGraphCollection(clients.graph, { path: "/applications", select: APPLICATION_SELECT, itemSchema: applicationSchema, scope: "applications", endpoint: config.cloud.graphEndpoint }),
        listGraphCollection(clients.graph, { path: "/servicePrincipals", select: SERVICE_PRINCIPAL_SELECT, itemSchema: servicePrincipalSchema, scope: "servicePrincipals", endpoint: config.cloud.graphEndpoint }),
      ]);
      const whole: Inventory = {
        ...collected.inventory,
        applications: apps.items.map((a) => toApplication(storedApplication(a))),
        servicePrincipals: sps.items.map((s) => toServicePrincipal(storedServicePrincipal(s))),
      };
      expect(whole.applications).toHaveLength(SIZE.applications);

      const streamed = analyze(collected.inventory, DEFAULT_POLICY, now);
      const reference = analyze(whole, DEFAULT_POLICY, now);
      expect(reference.findings.length).toBeGreaterThan(100);
      expect(streamed).toEqual(reference);

      // Coverage is counted while streaming, the same as over the whole directory.
      expect(collected.directory.screen.counts).toEqual({
        applications: SIZE.applications,
        servicePrincipals: SIZE.servicePrincipals,
        credentials: countCredentialsInScope({ applications: whole.applications, servicePrincipals: whole.servicePrincipals, tokens: [] }),
      });

      // What is kept: the subjects with findings, and the service principals analysis looks up.
      const withFindings = new Set(reference.findings.filter((f) => f.subject.type === "application").map((f) => f.subject.id));
      expect(new Set(collected.inventory.applications.map((a) => a.id))).toEqual(withFindings);
      expect(collected.inventory.applications.length).toBeLessThan(SIZE.applications / 10);
      expect(collected.inventory.servicePrincipals.length).toBeLessThan(SIZE.servicePrincipals / 10);
    } finally {
      await clients.close();
    }
  });
});

describe("DirectoryScreen", () => {
  const now = new Date("2026-11-25T02:00:00Z");
  const day = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString();
  const secret = (keyId: string, end: string | null) => ({ type: "secret" as const, keyId, displayName: null, startDateTime: day(-100), endDateTime: end, usage: null });
  const app = (id: string, appId: string, credentials: Application["credentials"]): Application => ({ id, appId, displayName: id, credentials });
  const sp = (id: string, appId: string, credentials: ServicePrincipal["credentials"] = [], type = "Application"): ServicePrincipal => ({
    id,
    appId,
    displayName: id,
    servicePrincipalType: type,
    accountEnabled: true,
    credentials,
  });
  const cluster = (name: string, clientId: string): ManagedCluster => ({
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`,
    name,
    subscriptionId: "s",
    resourceGroup: "rg",
    location: null,
    tags: {},
    servicePrincipalClientId: clientId,
    kubeletIdentity: null,
    egressIps: null,
  });

  it("keeps subjects with findings or unreadable end dates, and the first service principal of each appId analysis looks up", () => {
    const screen = createDirectoryScreen(DEFAULT_POLICY, now);
    const apps = [
      app("expiring", "A1", [secret("k1", day(3))]),
      app("healthy", "A2", [secret("k2", day(200))]),
      app("odd-date", "A3", [secret("k3", "not a date")]),
      app("bare", "A4", []),
    ];
    const sps = [
      sp("sp-a1-first", "a1"),
      sp("sp-a1-second", "A1", [secret("k4", day(2))]),
      sp("sp-a2", "A2"),
      sp("sp-cluster", "C1"),
      sp("mi", "M1", [secret("k5", day(1))], "ManagedIdentity"),
    ];
    // Interleaved, as concurrent pages arrive.
    screen.servicePrincipal(sps[0]!);
    expect(screen.application(apps[0]!)).toEqual({ hasFindings: true, kept: true });
    expect(screen.application(apps[1]!)).toEqual({ hasFindings: false, kept: false });
    expect(screen.application(apps[2]!)).toEqual({ hasFindings: false, kept: true });
    screen.application(apps[3]!);
    for (const s of sps.slice(1)) screen.servicePrincipal(s);

    const clusters = [cluster("aks", " c1 "), cluster("msi-aks", "msi")];
    const kept = screen.finish(clusters);
    expect(kept.applications.map((a) => a.id)).toEqual(["expiring", "odd-date"]);
    // sp-a1-first (first for A1, no credentials) before sp-a1-second (its own finding); sp-cluster for the cluster.
    expect(kept.servicePrincipals.map((s) => s.id)).toEqual(["sp-a1-first", "sp-a1-second", "sp-cluster"]);
    expect(screen.counts).toEqual({ applications: 4, servicePrincipals: 5, credentials: 4 });

    const whole: Inventory = {
      tenantId: "t",
      applications: apps,
      servicePrincipals: sps,
      subscriptions: [],
      unreadableSubscriptions: [],
      registries: [],
      tokens: [],
      roleAssignments: [],
      activityEvents: [],
      managedClusters: clusters,
    };
    expect(analyze({ ...whole, ...kept }, DEFAULT_POLICY, now)).toEqual(analyze(whole, DEFAULT_POLICY, now));
  });
});
