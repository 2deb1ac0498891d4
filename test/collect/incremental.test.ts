// Incremental sweeps (CREDWATCH_INCREMENTAL): after a full sweep, a sweep reads only the directory's
// changes (Graph delta) and reports exactly what a full sweep would, for a handful of requests.
// The inventory store is the production one, chosen by the config: a file beside the ledger, or a
// table in Table Storage (Azurite). Request counts are asserted, never times.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Report } from "../../shared/model.js";
import { parseFixture, startSandbox, type RequestLogEntry, type Sandbox } from "../sandbox/index.js";
import { startAzurite, type Azurite } from "../support/azurite.js";
import { sweepSandbox } from "../support/sandbox-sweep.js";
import { NOW, application, daysFromNow, guid, registry, servicePrincipalOf, subscription, tenant } from "../support/tenants.js";

const DAY = 86_400_000;
const payments = application({ name: "payments", secretEndsInDays: 200, owners: ["pay@example.com"] });
const billing = application({ name: "billing", secretEndsInDays: 10, owners: ["bill@example.com"] });
const legacy = application({ name: "legacy", secretEndsInDays: -5, owners: ["old@example.com"] });
const puller = application({ name: "puller", secretEndsInDays: 5, owners: ["ops@example.com"] });
const quiet = application({ name: "quiet" });
const apps = [payments, billing, legacy, puller, quiet];
const sps = apps.map((a) => servicePrincipalOf(a));
const prod = subscription("prod", {
  registries: [registry("acrprod")],
  managedClusters: [{ name: "aks-prod", resourceGroup: "rg-aks", servicePrincipalProfile: { clientId: puller.appId }, tags: { "credwatch-pulls-from": "acrprod" } }],
  roleAssignments: [
    { scope: `/subscriptions/${guid("sub/prod")}/resourceGroups/rg-acrprod/providers/Microsoft.ContainerRegistry/registries/acrprod`, principalId: sps[3]!.id, role: "AcrPull" },
  ],
});

function scenario() {
  return parseFixture(tenant({ applications: apps, servicePrincipals: sps, subscriptions: [prod] }), "incremental scenario");
}

const top = (requests: RequestLogEntry[], service: "graph" | "arm") => requests.filter((r) => r.service === service && r.batchItemId === undefined);
const listings = (requests: RequestLogEntry[]) => top(requests, "graph").filter((r) => /^\/v1\.0\/(applications|servicePrincipals)$/.test(r.path));
const graphCalls = (requests: RequestLogEntry[]) => top(requests, "graph").map((r) => `${r.method} ${r.path}${r.query["$deltatoken"] === "latest" ? "?latest" : ""} ${r.status}`);

/** Errors in a stable order (incremental and full sweeps may meet them in another order). */
function normalized(report: Report): Report {
  return { ...report, errors: [...report.errors].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
}

interface StoreSetting {
  name: string;
  ledger(): string;
}

let azurite: Azurite | undefined;
const stores: StoreSetting[] = [
  { name: "a file beside the ledger", ledger: () => join(mkdtempSync(join(tmpdir(), "credwatch-incremental-")), "ledger.json") },
  { name: "Table Storage (Azurite)", ledger: () => azurite!.connectionString },
];

beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(async () => {
  await azurite?.stop();
});

describe.each(stores)("incremental sweeps with the inventory in $name", (store) => {
  let sandbox: Sandbox;
  let env: Record<string, string>;
  const now = new Date(NOW);

  beforeEach(async () => {
    await sandbox?.close();
    sandbox = await startSandbox({ fixture: scenario() });
    env = { CREDWATCH_INCREMENTAL: "true", CREDWATCH_LEDGER: store.ledger() };
  });
  afterAll(() => sandbox?.close());

  /** A sweep with the store, and its requests. */
  async function sweep(at = now): Promise<{ report: Report; requests: RequestLogEntry[] }> {
    sandbox.clearLog();
    const report = await sweepSandbox(sandbox, { now: at, env });
    return { report, requests: [...sandbox.requests] };
  }

  /** What a full sweep without any store reports at the same clock. */
  async function fullSweep(at = now): Promise<{ report: Report; requests: RequestLogEntry[] }> {
    sandbox.clearLog();
    const report = await sweepSandbox(sandbox, { now: at });
    return { report, requests: [...sandbox.requests] };
  }

  it("reads only the changes after a full sweep, and reports exactly what a full sweep would", async () => {
    const first = await sweep();
    expect(first.report.complete).toBe(true);
    // The first sweep is full: delta links for now, then both listings.
    expect(graphCalls(first.requests).filter((c) => c.includes("/delta")).sort()).toEqual([
      "GET /v1.0/applications/delta?latest 200",
      "GET /v1.0/servicePrincipals/delta?latest 200",
    ]);
    expect(listings(first.requests)).toHaveLength(2);
    expect(first.report.findings.map((f) => f.subject.name).sort()).toEqual(["billing", "legacy", "puller"]);
    const criticalBefore = first.report.findings.find((f) => f.subject.name === "puller")!;
    expect(criticalBefore).toMatchObject({ severity: "critical", impact: { clusters: ["aks-prod"], registries: ["acrprod"] } });

    // A new expiring secret, a deleted app with a finding, a rotated credential, a new app.
    sandbox.directory.addPasswordCredential("applications", payments.id, {
      keyId: guid("key/payments-2"),
      displayName: "payments-new",
      startDateTime: daysFromNow(-360),
      endDateTime: daysFromNow(3),
    });
    sandbox.directory.removeApplication(legacy.id, "changed");
    sandbox.directory.removeServicePrincipal(sps[2]!.id);
    sandbox.directory.addPasswordCredential("applications", puller.id, {
      keyId: guid("key/puller-2"),
      displayName: "puller-rotated",
      startDateTime: daysFromNow(-1),
      endDateTime: daysFromNow(400),
    });
    const newcomer = application({ name: "newcomer", secretEndsInDays: -1, owners: ["new@example.com"] });
    sandbox.directory.addApplication(newcomer);

    const second = await sweep();
    const reference = await fullSweep();
    expect(normalized(second.report)).toEqual(normalized(reference.report));
    expect(second.report.findings.map((f) => f.subject.name).sort()).toEqual(["billing", "newcomer", "payments", "puller"]);
    expect(second.report.findings.find((f) => f.subject.name === "puller")).toMatchObject({ severity: "high", credential: { rotated: true } });
    expect(second.report.findings.find((f) => f.subject.name === "newcomer")?.owners).toEqual(["new@example.com"]);
    expect(second.report.findings.find((f) => f.subject.name === "billing")?.owners).toEqual(["bill@example.com"]);

    // A handful of Graph requests: one delta round per collection, one $batch for the owners of the
    // changed subjects with findings (billing's are kept from the first sweep). ARM is read in full.
    expect(listings(second.requests)).toEqual([]);
    expect(graphCalls(second.requests)).toEqual(["GET /v1.0/applications/delta 200", "GET /v1.0/servicePrincipals/delta 200", "POST /v1.0/$batch 200"]);
    expect(second.requests.filter((r) => r.batchItemId !== undefined).map((r) => r.path).sort()).toEqual(
      [newcomer.id, payments.id, puller.id].map((id) => `/v1.0/applications/${id}/owners`).sort(),
    );
    expect(top(second.requests, "arm")).toHaveLength(top(reference.requests, "arm").length);

    // Nothing changed: two requests to Graph, every owner from the store.
    const third = await sweep();
    expect(normalized(third.report)).toEqual(normalized(reference.report));
    expect(graphCalls(third.requests)).toEqual(["GET /v1.0/applications/delta 200", "GET /v1.0/servicePrincipals/delta 200"]);
  });

  it.each(["syncStateNotFound", "gone"] as const)("falls back to a full sweep when the delta link has expired (%s), then goes on incrementally", async (answer) => {
    await sweep();
    sandbox.directory.addPasswordCredential("applications", quiet.id, { keyId: guid("key/quiet"), endDateTime: daysFromNow(2), startDateTime: daysFromNow(-10) });
    sandbox.directory.expireDeltaTokens(answer);

    const fallback = await sweep();
    const refused = top(fallback.requests, "graph").filter((r) => r.path.endsWith("/delta") && r.query["$deltatoken"] !== "latest");
    expect(refused.map((r) => r.status)).toEqual(answer === "gone" ? [410, 410] : [400, 400]);
    expect(listings(fallback.requests)).toHaveLength(2);
    const reference = await fullSweep();
    expect(normalized(fallback.report)).toEqual(normalized(reference.report));
    expect(fallback.report.findings.map((f) => f.subject.name)).toContain("quiet");

    const next = await sweep();
    expect(listings(next.requests)).toEqual([]);
    expect(normalized(next.report)).toEqual(normalized(reference.report));
  });

  it("sweeps in full again once CREDWATCH_FULL_SWEEP_DAYS have passed since the last full sweep", async () => {
    env.CREDWATCH_FULL_SWEEP_DAYS = "3";
    await sweep();
    const twoDaysLater = await sweep(new Date(now.getTime() + 2 * DAY));
    expect(listings(twoDaysLater.requests)).toEqual([]);
    const fourDaysLater = await sweep(new Date(now.getTime() + 4 * DAY));
    expect(listings(fourDaysLater.requests)).toHaveLength(2);
    expect(normalized(fourDaysLater.report)).toEqual(normalized((await fullSweep(new Date(now.getTime() + 4 * DAY))).report));
  });
});

describe("an inventory store credwatch cannot read", () => {
  let sandbox: Sandbox;
  afterAll(() => sandbox?.close());

  it("is replaced by a full sweep", async () => {
    sandbox = await startSandbox({ fixture: scenario() });
    const directory = mkdtempSync(join(tmpdir(), "credwatch-corrupt-"));
    const env = { CREDWATCH_INCREMENTAL: "true", CREDWATCH_LEDGER: join(directory, "ledger.json") };
    writeFileSync(join(directory, "credwatch-inventory.json"), "{ not json");
    const report = await sweepSandbox(sandbox, { now: new Date(NOW), env });
    expect(report.complete).toBe(true);
    expect(listings(sandbox.requests)).toHaveLength(2);

    sandbox.clearLog();
    await sweepSandbox(sandbox, { now: new Date(NOW), env });
    expect(listings(sandbox.requests)).toEqual([]);
  });
});
