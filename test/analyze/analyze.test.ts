import { describe, expect, it } from "vitest";
import { analyze, countCredentialsInScope } from "../../shared/analyze/index.js";
import type { Inventory } from "../../shared/model.js";
import { NOW, POLICY, at, emptyInventory, lonelyAppWith, managedIdentity, password, registry, secret, token } from "./builders.js";

describe("bad input never crashes", () => {
  it("an inventory of nulls, missing arrays and junk records analyses to nothing", () => {
    const junk = {
      tenantId: "t",
      applications: [null, { id: "a1", appId: null, displayName: null, credentials: null }, { id: "a2", appId: "x", displayName: "x", credentials: [null, { keyId: "" }] }],
      servicePrincipals: undefined,
      subscriptions: [],
      unreadableSubscriptions: null,
      registries: [null, { id: null, name: null, tags: null, privateEndpointConnections: null, networkRuleSet: { defaultAction: "Deny", ipRules: null } }],
      tokens: [{ id: "t1", name: "t", status: null, passwords: null }],
      roleAssignments: [null, { scope: null, principalId: null, roleDefinitionId: null }],
      activityEvents: [{}],
      managedClusters: [null, { id: "c", name: "c", tags: { "credwatch-pulls-from": 42 }, servicePrincipalClientId: null, kubeletIdentity: null, egressIps: "nope" }],
    } as unknown as Inventory;
    expect(() => analyze(junk, POLICY, NOW)).not.toThrow();
    expect(analyze(junk, POLICY, NOW).findings).toEqual([]);
  });

  it("a policy without thresholds still reports expired and long-lived credentials", () => {
    const { inventory } = lonelyAppWith(secret(at(-1)), secret(at(3)), secret(null));
    const kinds = analyze(inventory, { ...POLICY, thresholds: [] }, NOW).findings.map((f) => f.kind).sort();
    expect(kinds).toEqual(["credential-expired", "credential-long-lived"]);
  });

  it("an invalid clock is a programming error", () => {
    expect(() => analyze(emptyInventory(), POLICY, new Date("nope"))).toThrow(TypeError);
  });
});

describe("ordering", () => {
  it("severity first, then daysLeft ascending (findings without come after), then subject name", () => {
    const a = lonelyAppWith(secret(at(20)), secret(at(3)), secret(at(-2))).inventory;
    const reg = registry("acr", { adminUserEnabled: true });
    a.registries.push(reg);
    a.tokens.push(token(reg, "zz", [password("password1", at(20))]), token(reg, "aa", [password("password1", at(20))]));
    const order = analyze(a, POLICY, NOW).findings.map((f) => `${f.severity}/${f.credential?.daysLeft ?? "-"}/${f.subject.name}`);
    expect(order).toEqual(["high/-2/lonely-app", "high/3/lonely-app", "medium/20/aa", "medium/20/lonely-app", "medium/20/zz", "medium/-/acr"]);
  });
});

describe("countCredentialsInScope", () => {
  it("counts app credentials, non-managed-identity SP credentials and passwords of enabled tokens", () => {
    const { inventory } = lonelyAppWith(secret(at(3)), secret(at(300)));
    inventory.servicePrincipals[0]!.credentials = [secret(at(10))];
    inventory.servicePrincipals.push(managedIdentity("mi", { credentials: [secret(at(1))] }));
    const reg = registry("acr");
    inventory.tokens.push(
      token(reg, "on", [password("password1", at(1)), password("password2", null)]),
      token(reg, "off", [password("password1", at(1))], { status: "disabled" }),
    );
    expect(countCredentialsInScope(inventory)).toBe(5);
  });
});
