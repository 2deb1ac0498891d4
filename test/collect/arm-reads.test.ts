// ARM is read per subscription, and only the lists that can change a finding: role assignments where
// there are registries, the activity log where a registry has its admin user on, public IPs where
// clusters egress (once per subscription, however many clusters point there). One token per scope.
import { afterAll, describe, expect, it } from "vitest";
import { cachingCredential } from "../../shared/azure/token-cache.js";
import { parseFixture, startSandbox, type Sandbox } from "../sandbox/index.js";
import { sweepSandbox } from "../support/sandbox-sweep.js";
import { NOW, daysFromNow, guid, registry, subscription, tenant } from "../support/tenants.js";

const quiet = subscription("quiet", {
  roleAssignments: [{ scope: `/subscriptions/${guid("sub/quiet")}`, principalId: guid("someone"), role: "Reader" }],
});
const plain = subscription("plain", { registries: [registry("acrplain")] });
const admin = subscription("admin", {
  registries: [registry("acradmin", { adminUserEnabled: true })],
  activityLog: [
    {
      eventTimestamp: daysFromNow(-1),
      operationName: "Microsoft.ContainerRegistry/registries/regenerateCredential/action",
      caller: "someone@example.com",
      resourceId: `/subscriptions/${guid("sub/admin")}/resourceGroups/rg-acradmin/providers/Microsoft.ContainerRegistry/registries/acradmin`,
    },
  ],
});
const clusters = subscription("clusters", {
  managedClusters: ["aks-a", "aks-b"].map((name) => ({
    name,
    resourceGroup: `rg-${name}`,
    servicePrincipalProfile: { clientId: "msi" },
    identityProfile: { kubeletidentity: { clientId: guid(`kubelet-client/${name}`), objectId: guid(`kubelet/${name}`) } },
    outboundIPs: ["20.1.2.3"],
  })),
});

describe("ARM reads", () => {
  let sandbox: Sandbox;
  afterAll(() => sandbox?.close());

  it("skip the lists that cannot change a finding, list public IPs once per subscription, and ask for one token", async () => {
    sandbox = await startSandbox({ fixture: parseFixture(tenant({ subscriptions: [quiet, plain, admin, clusters] }), "arm reads") });
    const report = await sweepSandbox(sandbox, { now: new Date(NOW) });
    expect(report.complete).toBe(true);
    expect(report.findings.map((f) => f.kind).sort()).toEqual(["admin-key-regenerated", "admin-user-enabled"]);

    const reads = (sub: { subscriptionId: string }, what: RegExp) =>
      sandbox.requests.filter((r) => r.service === "arm" && r.path.startsWith(`/subscriptions/${sub.subscriptionId}/`) && what.test(r.path)).length;
    const roleAssignments = /roleAssignments$/;
    const activity = /eventtypes\/management\/values$/;
    expect([quiet, plain, admin, clusters].map((s) => reads(s, roleAssignments))).toEqual([0, 1, 1, 0]);
    expect([quiet, plain, admin, clusters].map((s) => reads(s, activity))).toEqual([0, 0, 1, 0]);
    expect(reads(clusters, /publicIPAddresses$/)).toBe(1);
    for (const s of [quiet, plain, admin, clusters]) expect(reads(s, /registries$/) + reads(s, /managedClusters$/)).toBe(2);
    expect(sandbox.requests.filter((r) => r.service === "identity" || r.service === "oauth")).toHaveLength(1);
  });
});

describe("cachingCredential", () => {
  const HOUR = 3_600_000;

  it("shares one token per scope, asks once for concurrent callers, and renews five minutes before expiry", async () => {
    let clock = 0;
    const asked: string[] = [];
    const inner = {
      async getToken(scopes: string | string[]) {
        asked.push(String(scopes));
        const token = `t${asked.length}`;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { token, expiresOnTimestamp: clock + HOUR };
      },
    };
    const credential = cachingCredential(inner, () => clock);
    const tokens = await Promise.all([credential.getToken("a/.default"), credential.getToken(["a/.default"]), credential.getToken("b/.default")]);
    expect(tokens.map((t) => t?.token)).toEqual(["t1", "t1", "t2"]);
    clock = HOUR - 4 * 60_000;
    expect((await credential.getToken("a/.default"))?.token).toBe("t3");
    // A claims challenge (continuous access evaluation) always goes to the credential.
    expect((await credential.getToken("a/.default", { claims: "x" }))?.token).toBe("t4");
  });

  it("forgets a failed request", async () => {
    let fail = true;
    const credential = cachingCredential({
      async getToken() {
        if (fail) throw new Error("no");
        return { token: "ok", expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    });
    await expect(credential.getToken("a")).rejects.toThrow("no");
    fail = false;
    expect((await credential.getToken("a"))?.token).toBe("ok");
  });
});
