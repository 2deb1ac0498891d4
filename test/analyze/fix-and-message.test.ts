import { describe, expect, it } from "vitest";
import { analyze } from "../../shared/analyze/index.js";
import { shellQuote } from "../../shared/analyze/shell.js";
import { listNames } from "../../shared/analyze/messages.js";
import {
  NOW,
  POLICY,
  SUB,
  at,
  certificate,
  emptyInventory,
  lonelyAppWith,
  password,
  registry,
  secret,
  spClusterOnAppSecret,
  token,
} from "./builders.js";

const run = (inventory: Parameters<typeof analyze>[0]) => analyze(inventory, POLICY, NOW).findings;

describe("shell quoting", () => {
  it("leaves safe values bare and single-quotes the rest", () => {
    expect(shellQuote("rg-prod_1.a")).toBe("rg-prod_1.a");
    expect(shellQuote("/subscriptions/x/resourceGroups/y")).toBe("/subscriptions/x/resourceGroups/y");
    expect(shellQuote("rg (prod)")).toBe("'rg (prod)'");
    expect(shellQuote("it's; rm -rf /")).toBe("'it'\\''s; rm -rf /'");
    expect(shellQuote("$(whoami)")).toBe("'$(whoami)'");
    expect(shellQuote("")).toBe("''");
  });
});

describe("credential messages and fixes", () => {
  it("a cluster's expiring secret: the DESIGN example message, and a pasteable reset → update → delete", () => {
    const s = secret("2026-06-06T12:00:00Z", { displayName: "aks-sp-secret-1" });
    const { inventory, application, cluster } = spClusterOnAppSecret([s]);
    const [f] = run(inventory).filter((x) => x.subject.id === application.id);
    expect(f?.message).toBe('Client secret "aks-sp-secret-1" of app aks-sp expires in 5 days (2026-06-06) — AKS cluster aks-prod stops pulling from acrprod');
    expect(f?.fix).toEqual([
      `NEW_SECRET=$(az ad app credential reset --id ${application.appId} --append --query password --output tsv)`,
      `az aks update-credentials -g ${cluster.resourceGroup} -n aks-prod --reset-service-principal --service-principal ${application.appId} --client-secret "$NEW_SECRET" --subscription ${SUB}`,
      `az ad app credential delete --id ${application.appId} --key-id ${s.keyId}`,
    ]);
  });

  it("quotes a resource group with spaces in the cluster command", () => {
    const { inventory, application } = spClusterOnAppSecret([secret(at(2))]);
    inventory.managedClusters[0]!.resourceGroup = "rg (prod)";
    const [f] = run(inventory).filter((x) => x.subject.id === application.id);
    expect(f?.fix[1]).toContain("-g 'rg (prod)' -n aks-prod");
  });

  it("a rotated secret on a cluster: update the cluster to the newer secret, then delete", () => {
    const old = secret(at(2));
    const { inventory, application } = spClusterOnAppSecret([old, secret(at(300), { startDateTime: at(-1) })]);
    const [f] = run(inventory).filter((x) => x.subject.id === application.id);
    expect(f?.severity).toBe("high");
    expect(f?.message).toContain("already rotated: set NEW_SECRET to a newer secret, point aks-prod at it, then delete this one");
    expect(f?.fix).toHaveLength(2);
    expect(f?.fix[0]).toContain('az aks update-credentials');
    expect(f?.fix[1]).toBe(`az ad app credential delete --id ${application.appId} --key-id ${old.keyId}`);
  });

  it("an expired app secret without clusters: reset then delete; message counts days since", () => {
    const s = secret("2026-05-29T00:00:00Z", { displayName: "old" });
    const { inventory, application } = lonelyAppWith(s);
    const [f] = run(inventory);
    expect(f?.message).toBe('Client secret "old" of app lonely-app expired 3 days ago (2026-05-29) — no registry or cluster credwatch sees depends on it');
    expect(f?.fix).toEqual([`az ad app credential reset --id ${application.appId} --append`, `az ad app credential delete --id ${application.appId} --key-id ${s.keyId}`]);
  });

  it("a certificate is renewed as a certificate and deleted with --cert", () => {
    const c = certificate(at(20));
    const { inventory, application } = lonelyAppWith(c);
    expect(run(inventory)[0]?.fix).toEqual([
      `az ad app credential reset --id ${application.appId} --append --create-cert`,
      `az ad app credential delete --id ${application.appId} --key-id ${c.keyId} --cert`,
    ]);
  });

  it("a token password moves to the free slot, then the old one is deleted", () => {
    const r = registry("acrtok");
    const [f] = run(emptyInventory({ registries: [r], tokens: [token(r, "ci-pull", [password("password1", "2026-06-04T00:00:00Z")])] }));
    expect(f?.message).toBe("Password password1 of ACR token ci-pull on acrtok expires in 2 days (2026-06-04) — pulls from acrtok with it will fail");
    expect(f?.fix).toEqual([
      `az acr token credential generate -r acrtok -n ci-pull --password2 --expiration-in-days 90 --subscription ${SUB}`,
      `az acr token credential delete -r acrtok -n ci-pull --password1 --subscription ${SUB}`,
    ]);
  });

  it("a token whose other slot is in use regenerates the same slot", () => {
    const r = registry("acrtok");
    const t = token(r, "ci", [password("password1", at(10)), password("password2", at(5))]);
    const f = run(emptyInventory({ registries: [r], tokens: [t] })).find((x) => x.credential?.id === "password2");
    expect(f?.fix).toEqual([`az acr token credential generate -r acrtok -n ci --password2 --expiration-in-days 90 --subscription ${SUB}`]);
  });

  it("a token whose other slot expired reuses that slot", () => {
    const r = registry("acrtok");
    const t = token(r, "ci", [password("password1", at(-40)), password("password2", at(5))]);
    const f = run(emptyInventory({ registries: [r], tokens: [t] })).find((x) => x.credential?.id === "password2");
    expect(f?.fix[0]).toContain("--password1 --expiration-in-days 90");
    expect(f?.fix[1]).toContain("delete -r acrtok -n ci --password2");
  });

  it("an expiring credential with less than a day left says so", () => {
    expect(run(lonelyAppWith(secret(at(0.5))).inventory)[0]?.message).toContain("expires in less than a day");
  });

  it("long lists in messages are cut after three names", () => {
    expect(listNames(["a"])).toBe("a");
    expect(listNames(["a", "b"])).toBe("a and b");
    expect(listNames(["a", "b", "c"])).toBe("a, b and c");
    expect(listNames(["a", "b", "c", "d", "e"])).toBe("a, b, c and 2 more");
  });
});
