import { describe, expect, it } from "vitest";
import { analyze } from "../../shared/analyze/index.js";
import { NOW, POLICY, at, emptyInventory, lonelyAppWith, password, registry, secret, token } from "./builders.js";

describe("finding ids", () => {
  it("a credential keeps its id when it crosses from expiring into expired (the kind is not part of it)", () => {
    const s = secret(at(2));
    const { inventory, application } = lonelyAppWith(s);
    const before = analyze(inventory, POLICY, NOW).findings[0]!;
    const after = analyze(inventory, POLICY, new Date(NOW.getTime() + 3 * 86_400_000)).findings[0]!;
    expect(before.kind).toBe("credential-expiring");
    expect(after.kind).toBe("credential-expired");
    expect(after.id).toBe(before.id);
    expect(before.id).toBe(`credential:application:${application.id}:${s.keyId}`);
  });

  it("ids do not depend on the casing Azure returns", () => {
    const reg = registry("acr1");
    const t = token(reg, "ci", [password("password1", at(3))]);
    const lowerCase = analyze(emptyInventory({ registries: [reg], tokens: [t] }), POLICY, NOW).findings[0]!;
    const upper = { ...t, id: t.id.toUpperCase() };
    const upperCase = analyze(emptyInventory({ registries: [reg], tokens: [upper] }), POLICY, NOW).findings[0]!;
    expect(upperCase.id).toBe(lowerCase.id);
    expect(lowerCase.id).toBe(`credential:acrToken:${t.id.toLowerCase()}:password1`);
  });

  it("an application and its service principal holding the same keyId are different findings", () => {
    const s = secret(at(3));
    const { inventory } = lonelyAppWith(s);
    inventory.servicePrincipals[0]!.credentials = [{ ...s }];
    const ids = analyze(inventory, POLICY, NOW).findings.map((f) => f.id);
    expect(new Set(ids).size).toBe(2);
  });

  it("the same credential listed twice gives one finding", () => {
    const s = secret(at(3));
    const { inventory } = lonelyAppWith(s, { ...s });
    inventory.applications.push({ ...inventory.applications[0]! });
    expect(analyze(inventory, POLICY, NOW).findings).toHaveLength(1);
  });
});
