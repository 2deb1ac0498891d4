import { describe, expect, it } from "vitest";
import { analyze } from "../../shared/analyze/index.js";
import {
  NOW,
  POLICY,
  ROLE,
  SUB,
  app,
  assign,
  at,
  certificate,
  emptyInventory,
  password,
  registry,
  rgScope,
  secret,
  spCluster,
  spClusterOnAppSecret,
  spFor,
  subScope,
  token,
} from "./builders.js";

const run = (inventory: Parameters<typeof analyze>[0]) => analyze(inventory, POLICY, NOW);

describe("impact of application credentials", () => {
  it("a secret of the cluster's app breaks the cluster and the registries its SP pulls from", () => {
    const { inventory, application } = spClusterOnAppSecret([secret(at(5))]);
    const [f] = run(inventory).findings.filter((x) => x.subject.id === application.id);
    expect(f?.impact).toEqual({ registries: ["acrprod"], clusters: ["aks-prod"] });
    expect(f?.severity).toBe("critical");
  });

  it("a Verify certificate reaches registries but never clusters", () => {
    const { inventory, application } = spClusterOnAppSecret([certificate(at(5))]);
    const [f] = run(inventory).findings.filter((x) => x.subject.id === application.id);
    expect(f?.impact).toEqual({ registries: ["acrprod"], clusters: [] });
  });

  it("a signing certificate impacts nothing, even on a principal with pull roles", () => {
    const { inventory, application } = spClusterOnAppSecret([certificate(at(5), { usage: "Sign" })]);
    const [f] = run(inventory).findings.filter((x) => x.subject.id === application.id);
    expect(f?.impact).toEqual({ registries: [], clusters: [] });
    expect(f?.severity).toBe("high"); // window 7 without impact
  });

  it("registries are reached through resource-group, subscription and management-group scope, sorted and deduplicated", () => {
    const a = app("ci", [secret(at(20))]);
    const sp = spFor(a);
    const r1 = registry("zeta");
    const r2 = registry("alpha", { resourceGroup: "rg-other" });
    const r3 = registry("mid", { resourceGroup: "rg-third" });
    const inventory = emptyInventory({
      applications: [a],
      servicePrincipals: [sp],
      registries: [r1, r2, r3],
      roleAssignments: [
        assign(sp.id, ROLE.AcrPush, rgScope(r1)),
        assign(sp.id, ROLE.AcrPull, r1.id),
        assign(sp.id, ROLE.Reader, subScope(r2)),
        assign(sp.id, ROLE.AcrPull, "/providers/Microsoft.Management/managementGroups/mg1", { subscriptionId: SUB }),
      ],
    });
    const [f] = run(inventory).findings;
    expect(f?.impact.registries).toEqual(["alpha", "mid", "zeta"]);
    expect(f?.severity).toBe("medium"); // window 30
  });

  it("roles granting no pull (e.g. Repository Reader on a legacy registry) give no impact", () => {
    const a = app("ci", [secret(at(3))]);
    const sp = spFor(a);
    const r = registry("acr1");
    const inventory = emptyInventory({ applications: [a], servicePrincipals: [sp], registries: [r], roleAssignments: [assign(sp.id, ROLE.RepositoryReader, r.id)] });
    expect(run(inventory).findings[0]?.impact).toEqual({ registries: [], clusters: [] });
  });

  it("an app without a service principal still breaks the cluster that names its appId, but reaches no registry", () => {
    const a = app("orphan-app", [secret(at(2))]);
    const c = spCluster("aks-orphan", a.appId);
    const inventory = emptyInventory({ applications: [a], managedClusters: [c] });
    const f = run(inventory).findings.find((x) => x.kind === "credential-expiring");
    expect(f?.impact).toEqual({ registries: [], clusters: ["aks-orphan"] });
    expect(f?.severity).toBe("critical");
    expect(f?.message).toContain("AKS cluster aks-orphan loses its service principal secret");
  });
});

describe("impact of service-principal credentials", () => {
  it("an SP's own secret acts as the same appId: it reaches the SP's registries and the clusters on that appId", () => {
    const { inventory, sp } = spClusterOnAppSecret([]);
    sp.credentials = [secret(at(4))];
    const [f] = run(inventory).findings.filter((x) => x.subject.type === "servicePrincipal");
    expect(f?.impact).toEqual({ registries: ["acrprod"], clusters: ["aks-prod"] });
    expect(f?.fix[0]).toBe(`NEW_SECRET=$(az ad sp credential reset --id ${sp.appId} --append --query password --output tsv)`);
    expect(f?.fix.at(-1)).toBe(`az ad sp credential delete --id ${sp.appId} --key-id ${sp.credentials[0]!.keyId}`);
  });
});

describe("impact of token passwords", () => {
  it("a token password impacts its registry", () => {
    const r = registry("acrtok");
    const inventory = emptyInventory({ registries: [r], tokens: [token(r, "ci", [password("password2", at(-1))])] });
    const [f] = run(inventory).findings;
    expect(f?.impact).toEqual({ registries: ["acrtok"], clusters: [] });
    expect(f?.severity).toBe("critical");
  });

  it("a token whose registry was not read still names its registry", () => {
    const r = registry("gone");
    const inventory = emptyInventory({ tokens: [token(r, "ci", [password("password1", at(1))])] });
    expect(run(inventory).findings[0]?.impact).toEqual({ registries: ["gone"], clusters: [] });
  });
});
