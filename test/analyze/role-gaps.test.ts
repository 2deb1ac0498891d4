import { describe, expect, it } from "vitest";
import { analyze } from "../../shared/analyze/index.js";
import {
  NOW,
  POLICY,
  ROLE,
  SUB,
  SUB2,
  app,
  assign,
  emptyInventory,
  managedIdentity,
  msiCluster,
  msiClusterPulling,
  pullsFrom,
  registry,
  rgScope,
  spCluster,
  spFor,
  subScope,
} from "./builders.js";

const run = (inventory: Parameters<typeof analyze>[0]) => analyze(inventory, POLICY, NOW);
const gaps = (inventory: Parameters<typeof analyze>[0]) => run(inventory).findings.filter((f) => f.kind === "role-gap");

describe("no-pull-role", () => {
  it("a tagged registry with no role for the kubelet identity is critical, with attach-acr as the fix", () => {
    const { inventory, cluster, registry: r } = msiClusterPulling();
    const [g, ...rest] = gaps(inventory);
    expect(rest).toEqual([]);
    expect(g).toMatchObject({
      kind: "role-gap",
      reason: "no-pull-role",
      severity: "critical",
      subject: { type: "managedCluster", id: cluster.id, name: "aks-blue" },
      cluster: "aks-blue",
      registry: "acrshared",
      impact: { registries: ["acrshared"], clusters: ["aks-blue"] },
    });
    expect(g?.id).toBe(`role-gap:${cluster.id.toLowerCase()}:acrshared`);
    expect(g?.fix).toEqual([`az aks update -n aks-blue -g rg-aks-blue --attach-acr acrshared --subscription ${SUB}`]);
    expect(g?.message).toBe(
      "AKS cluster aks-blue cannot pull from acrshared: its kubelet identity holds no role that grants pull there — pods fail with ImagePullBackOff",
    );
    expect(r.name).toBe("acrshared");
  });

  it("a registry in another subscription is attached by resource id", () => {
    const { inventory, registry: r } = msiClusterPulling({ subscriptionId: SUB2 });
    expect(gaps(inventory)[0]?.fix).toEqual([`az aks update -n aks-blue -g rg-aks-blue --attach-acr ${r.id} --subscription ${SUB}`]);
  });

  it("ABAC: AcrPull at the registry is not honoured; the fix assigns Container Registry Repository Reader", () => {
    const { inventory, kubelet, registry: r } = msiClusterPulling({ roleAssignmentMode: "AbacRepositoryPermissions" }, [{ role: ROLE.AcrPull, scope: (x) => x.id }]);
    const [g] = gaps(inventory);
    expect(g?.reason).toBe("no-pull-role");
    expect(g?.message).toContain("AcrPull is not honoured: acrshared uses ABAC repository permissions");
    expect(g?.fix).toEqual([`az role assignment create --assignee ${kubelet.id} --role 'Container Registry Repository Reader' --scope ${r.id}`]);
  });

  it("ABAC: Repository Reader at the subscription grants pull, so no gap", () => {
    const { inventory } = msiClusterPulling({ roleAssignmentMode: "AbacRepositoryPermissions" }, [{ role: ROLE.RepositoryReader, scope: subScope }]);
    expect(gaps(inventory)).toEqual([]);
  });

  it("ABAC: Contributor gives no pull, so it is no-pull-role rather than broad-role-only", () => {
    const { inventory } = msiClusterPulling({ roleAssignmentMode: "AbacRepositoryPermissions" }, [{ role: ROLE.Contributor, scope: subScope }]);
    expect(gaps(inventory)[0]?.reason).toBe("no-pull-role");
  });

  it("an SP cluster: the fix assigns AcrPull to the service principal's object id", () => {
    const a = app("aks-sp");
    const sp = spFor(a);
    const r = registry("acr1");
    const c = spCluster("aks-sp-cluster", a.appId, { tags: pullsFrom("acr1") });
    const [g] = gaps(emptyInventory({ applications: [a], servicePrincipals: [sp], registries: [r], managedClusters: [c] }));
    expect(g?.message).toContain("its service principal aks-sp holds no role");
    expect(g?.fix).toEqual([`az role assignment create --assignee ${sp.id} --role AcrPull --scope ${r.id}`]);
  });

  it("a cluster whose app has no service principal: no-pull-role, the fix creates the SP first", () => {
    const a = app("no-sp-app");
    const r = registry("acr1");
    const c = spCluster("aks-x", a.appId, { tags: pullsFrom("acr1") });
    const [g] = gaps(emptyInventory({ applications: [a], registries: [r], managedClusters: [c] }));
    expect(g?.reason).toBe("no-pull-role");
    expect(g?.message).toContain(`appId ${a.appId}, which has no service principal in the tenant`);
    expect(g?.fix).toEqual([`az ad sp create --id ${a.appId}`, `az role assignment create --assignee ${a.appId} --role AcrPull --scope ${r.id}`]);
  });

  it("a role assigned to a deleted principal does not count and does not crash", () => {
    const { inventory } = msiClusterPulling();
    inventory.roleAssignments.push(assign("deleted-principal-object-id", ROLE.AcrPull, inventory.registries[0]!.id));
    expect(gaps(inventory).map((g) => g.reason)).toEqual(["no-pull-role"]);
  });
});

describe("broad-role-only", () => {
  it("Contributor at the subscription is low", () => {
    const { inventory } = msiClusterPulling({}, [{ role: ROLE.Contributor, scope: subScope }]);
    const [g] = gaps(inventory);
    expect(g).toMatchObject({ reason: "broad-role-only", severity: "low" });
    expect(g?.message).toContain("only through Contributor at subscription scope");
  });

  it("Reader at the resource group is low", () => {
    const { inventory } = msiClusterPulling({}, [{ role: ROLE.Reader, scope: rgScope }]);
    expect(gaps(inventory)[0]?.message).toContain("only through Reader at resource group rg-registry");
  });

  it("Owner at a management group listed in the registry's subscription is low", () => {
    const { inventory } = msiClusterPulling({}, [{ role: ROLE.Owner, scope: () => "/providers/Microsoft.Management/managementGroups/root-mg", subscriptionId: SUB }]);
    const [g] = gaps(inventory);
    expect(g?.reason).toBe("broad-role-only");
    expect(g?.message).toContain("Owner at management group root-mg");
  });

  it("a management-group assignment listed in another subscription does not count", () => {
    const { inventory } = msiClusterPulling({}, [{ role: ROLE.AcrPull, scope: () => "/providers/Microsoft.Management/managementGroups/mg", subscriptionId: SUB2 }]);
    expect(gaps(inventory)[0]?.reason).toBe("no-pull-role");
  });

  it("AcrPull inherited from the resource group next to a broad role means no gap", () => {
    const { inventory } = msiClusterPulling({}, [
      { role: ROLE.Contributor, scope: subScope },
      { role: ROLE.AcrPull, scope: rgScope },
    ]);
    expect(gaps(inventory)).toEqual([]);
  });
});

describe("consumers", () => {
  it("a pull role AT the registry declares consumption without a tag", () => {
    const kubelet = managedIdentity("kubelet");
    const r = registry("acr1", { roleAssignmentMode: "AbacRepositoryPermissions" });
    const c = msiCluster("aks-attached", kubelet.id);
    const inventory = emptyInventory({ servicePrincipals: [kubelet], registries: [r], managedClusters: [c], roleAssignments: [assign(kubelet.id, ROLE.AcrPull, r.id)] });
    expect(gaps(inventory).map((g) => [g.cluster, g.registry, g.reason])).toEqual([["aks-attached", "acr1", "no-pull-role"]]);
  });

  it("a role at resource-group or subscription scope does not declare consumption", () => {
    const kubelet = managedIdentity("kubelet");
    const r = registry("acr1", { sku: "Premium", publicNetworkAccess: "Disabled" });
    const c = msiCluster("aks-rg", kubelet.id);
    const inventory = emptyInventory({
      servicePrincipals: [kubelet],
      registries: [r],
      managedClusters: [c],
      roleAssignments: [assign(kubelet.id, ROLE.Contributor, rgScope(r)), assign(kubelet.id, ROLE.AcrPull, subScope(r))],
    });
    expect(run(inventory).findings).toEqual([]);
  });

  it("tag names are trimmed, case-insensitive, deduplicated, and may be login servers; the tag key is case-insensitive", () => {
    const kubelet = managedIdentity("kubelet");
    const r1 = registry("acrone");
    const r2 = registry("acrtwo", { subscriptionId: SUB2 });
    const c = msiCluster("aks-many", kubelet.id, { tags: { "CredWatch-Pulls-From": " AcrOne , acrtwo.azurecr.io,, acrone " } });
    const inventory = emptyInventory({ servicePrincipals: [kubelet], registries: [r1, r2], managedClusters: [c] });
    expect(gaps(inventory).map((g) => g.registry)).toEqual(["acrone", "acrtwo"]);
  });
});

describe("unknown-registry", () => {
  it("a tag naming no registry read, with every subscription read, is medium", () => {
    const { inventory, cluster } = msiClusterPulling({}, [{ role: ROLE.AcrPull, scope: (r) => r.id }], { tags: pullsFrom("acrshared", "acrghost") });
    const result = run(inventory);
    const [g] = result.findings.filter((f) => f.kind === "role-gap");
    expect(g).toMatchObject({ reason: "unknown-registry", severity: "medium", registry: "acrghost", cluster: "aks-blue" });
    expect(g?.id).toBe(`role-gap:${cluster.id.toLowerCase()}:acrghost`);
    expect(g?.fix).toEqual([`az tag update --resource-id ${cluster.id} --operation Merge --tags credwatch-pulls-from=acrshared`]);
    expect(result.errors).toEqual([]);
  });

  it("when a subscription could not be read it is an error entry naming the registry and the subscription", () => {
    const { inventory, cluster } = msiClusterPulling({}, [], { tags: pullsFrom("acrghost") });
    inventory.unreadableSubscriptions = ["99999999-9999-9999-9999-999999999999"];
    const result = run(inventory);
    expect(result.findings.filter((f) => f.kind === "role-gap")).toEqual([]);
    expect(result.errors).toEqual([
      {
        source: "arm",
        scope: cluster.id,
        status: null,
        message: expect.stringMatching(/"acrghost".*99999999-9999-9999-9999-999999999999 could not be read/),
      },
    ]);
  });

  it("the only tagged name being unknown: the fix deletes the tag", () => {
    const { inventory, cluster } = msiClusterPulling({}, [], { tags: pullsFrom("acrghost") });
    expect(gaps(inventory)[0]?.fix).toEqual([`az tag update --resource-id ${cluster.id} --operation Delete --tags credwatch-pulls-from=acrghost`]);
  });
});

describe("clusters without a pulling identity", () => {
  it("a managed-identity cluster without kubelet identity gives an error entry, not a finding", () => {
    const r = registry("acr1");
    const c = msiCluster("aks-nokubelet", null, { tags: pullsFrom("acr1") });
    const result = run(emptyInventory({ registries: [r], managedClusters: [c] }));
    expect(result.findings.filter((f) => f.kind === "role-gap")).toEqual([]);
    expect(result.errors[0]).toMatchObject({ source: "arm", scope: c.id, message: expect.stringContaining("no kubelet identity") });
  });

  it("a cluster pulling from nothing says nothing", () => {
    const c = msiCluster("aks-idle", null);
    expect(run(emptyInventory({ managedClusters: [c] }))).toEqual({ findings: [], errors: [] });
  });
});
