import { describe, expect, it } from "vitest";
import { analyze } from "../../shared/analyze/index.js";
import { classify, daysLeft, windowFor } from "../../shared/analyze/credential-expiry.js";
import { normalizePolicy } from "../../shared/analyze/context.js";
import {
  DAY,
  NOW,
  POLICY,
  app,
  at,
  certificate,
  emptyInventory,
  lonelyAppWith,
  managedIdentity,
  password,
  registry,
  secret,
  spFor,
  token,
} from "./builders.js";

const now = NOW.getTime();
const policy = normalizePolicy(POLICY);

function only(inventory = emptyInventory(), when = NOW) {
  const { findings, errors } = analyze(inventory, POLICY, when);
  return { findings, errors, finding: findings[0] };
}

describe("window boundaries", () => {
  it("an end exactly at now + 7 days is in window 7", () => {
    const { finding } = only(lonelyAppWith(secret(at(7))).inventory);
    expect(finding?.kind).toBe("credential-expiring");
    expect(finding?.credential?.window).toBe(7);
    expect(finding?.credential?.daysLeft).toBe(7);
  });

  it("one millisecond after now + 7 days is in window 14", () => {
    const { finding } = only(lonelyAppWith(secret(at(7, 1))).inventory);
    expect(finding?.credential?.window).toBe(14);
  });

  it("each threshold is inclusive: 1, 14 and 30 days exactly", () => {
    expect(windowFor(now + 1 * DAY, now, policy)).toBe(1);
    expect(windowFor(now + 14 * DAY, now, policy)).toBe(14);
    expect(windowFor(now + 30 * DAY, now, policy)).toBe(30);
    expect(windowFor(now + 30 * DAY + 1, now, policy)).toBeNull();
  });

  it("an end exactly at now is expired, with window null", () => {
    const { finding } = only(lonelyAppWith(secret(at(0))).inventory);
    expect(finding?.kind).toBe("credential-expired");
    expect(finding?.credential?.window).toBeNull();
    expect(finding?.credential?.daysLeft).toBe(0);
  });

  it("one millisecond after now is expiring in window 1 with daysLeft 0", () => {
    const { finding } = only(lonelyAppWith(secret(at(0, 1))).inventory);
    expect(finding?.kind).toBe("credential-expiring");
    expect(finding?.credential?.window).toBe(1);
    expect(finding?.credential?.daysLeft).toBe(0);
  });

  it("beyond Tmax and within the lifetime limit gives no finding", () => {
    expect(only(lonelyAppWith(secret(at(31))).inventory).findings).toEqual([]);
  });

  it("thresholds may come in any order and with junk", () => {
    const p = normalizePolicy({ ...POLICY, thresholds: [7, 30, -1, Number.NaN, 14, 1, 7] });
    expect(p.thresholds).toEqual([1, 7, 14, 30]);
    expect(p.tmax).toBe(30);
  });
});

describe("daysLeft", () => {
  it("floors toward minus infinity", () => {
    expect(daysLeft(now + 5.9 * DAY, now)).toBe(5);
    expect(daysLeft(now - 0.5 * DAY, now)).toBe(-1);
    expect(daysLeft(now - 2 * DAY, now)).toBe(-2);
    expect(daysLeft(now - 2 * DAY - 1, now)).toBe(-3);
    expect(daysLeft(null, now)).toBeNull();
  });

  it("is negative on expired findings", () => {
    const { finding } = only(lonelyAppWith(secret(at(-2.5))).inventory);
    expect(finding?.kind).toBe("credential-expired");
    expect(finding?.credential?.daysLeft).toBe(-3);
  });
});

describe("long-lived", () => {
  it("a token password without expiry is long-lived, daysLeft null", () => {
    const reg = registry("acr1");
    const { finding } = only(emptyInventory({ registries: [reg], tokens: [token(reg, "forever", [password("password1", null)])] }));
    expect(finding?.kind).toBe("credential-long-lived");
    expect(finding?.severity).toBe("low");
    expect(finding?.credential).toMatchObject({ type: "tokenPassword", id: "password1", daysLeft: null, window: null, rotated: false });
  });

  it("an app credential living more than 730 days is long-lived; exactly 730 is not", () => {
    const long = secret(at(400), { startDateTime: at(400 - 731) });
    const limit = secret(at(400), { startDateTime: at(400 - 730) });
    const { findings } = only(lonelyAppWith(long, limit).inventory);
    expect(findings.map((f) => f.credential?.id)).toEqual([long.keyId]);
    expect(findings[0]?.kind).toBe("credential-long-lived");
    expect(findings[0]?.credential?.daysLeft).toBe(400);
  });

  it("a token password with a long expiry is not long-lived (only no expiry is)", () => {
    const reg = registry("acr1");
    const t = token(reg, "long", [{ name: "password1", creationTime: at(-1000), expiry: at(1000) }]);
    expect(only(emptyInventory({ registries: [reg], tokens: [t] })).findings).toEqual([]);
  });

  it("a long-lived credential that is expiring is reported once, as expiring", () => {
    const { findings } = only(lonelyAppWith(secret(at(3), { startDateTime: at(-2000) })).inventory);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.kind).toBe("credential-expiring");
  });

  it("an app credential without endDateTime is long-lived (it never expires)", () => {
    const { finding, errors } = only(lonelyAppWith(secret(null)).inventory);
    expect(finding?.kind).toBe("credential-long-lived");
    expect(finding?.credential?.daysLeft).toBeNull();
    expect(errors).toEqual([]);
  });

  it("the lifetime limit comes from the policy", () => {
    const c = secret(at(100), { startDateTime: at(-300) });
    expect(classify({ start: now - 300 * DAY, end: now + 100 * DAY, endUnparsable: false, lifetimeRule: true }, normalizePolicy({ ...POLICY, maxLifetimeDays: 365 }), now)?.kind).toBe(
      "credential-long-lived",
    );
    expect(analyze(lonelyAppWith(c).inventory, { ...POLICY, maxLifetimeDays: 365 }, NOW).findings[0]?.kind).toBe("credential-long-lived");
  });
});

describe("rotated", () => {
  it("a newer credential of the same type valid beyond now + Tmax marks the old one rotated and drops severity", () => {
    const old = secret(at(3));
    const fresh = secret(at(365), { startDateTime: at(-1) });
    const { findings } = only(lonelyAppWith(old, fresh).inventory);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.credential?.rotated).toBe(true);
    expect(findings[0]?.severity).toBe("medium"); // window 7 without impact: high, dropped to medium
    expect(findings[0]?.fix).toEqual([`az ad app credential delete --id ${findings[0]?.subject.appId} --key-id ${old.keyId}`]);
  });

  it("a replacement ending exactly at now + Tmax does not count", () => {
    const { findings } = only(lonelyAppWith(secret(at(3)), secret(at(30))).inventory);
    expect(findings.every((f) => f.credential?.rotated === false)).toBe(true);
  });

  it("a credential of another type does not count", () => {
    const { findings } = only(lonelyAppWith(secret(at(3)), certificate(at(365))).inventory);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.credential?.rotated).toBe(false);
    expect(findings[0]?.severity).toBe("high");
  });

  it("a signing certificate does not replace a Verify certificate", () => {
    const { findings } = only(lonelyAppWith(certificate(at(3)), certificate(at(365), { usage: "Sign" })).inventory);
    expect(findings[0]?.credential?.rotated).toBe(false);
  });

  it("an expired credential can be rotated too", () => {
    const { findings } = only(lonelyAppWith(secret(at(-10)), secret(at(200))).inventory);
    expect(findings[0]?.kind).toBe("credential-expired");
    expect(findings[0]?.credential?.rotated).toBe(true);
    expect(findings[0]?.severity).toBe("medium");
  });

  it("a token's other password valid beyond Tmax rotates it", () => {
    const reg = registry("acr1");
    const t = token(reg, "ci", [password("password1", at(2)), password("password2", at(90))]);
    const { findings } = only(emptyInventory({ registries: [reg], tokens: [t] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.credential?.rotated).toBe(true);
    expect(findings[0]?.severity).toBe("high"); // critical (window 1, impacts acr1) → high
  });

  it("the credential on the app does not rotate the one on its service principal", () => {
    const a = app("split", [secret(at(400), { startDateTime: at(-1) })]);
    const sp = spFor(a, { credentials: [secret(at(3))] });
    const { findings } = only(emptyInventory({ applications: [a], servicePrincipals: [sp] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.subject.type).toBe("servicePrincipal");
    expect(findings[0]?.credential?.rotated).toBe(false);
  });
});

describe("scope", () => {
  it("managed identities are out of scope, their certificates included", () => {
    const mi = managedIdentity("mi", { credentials: [certificate(at(1)), secret(at(-3))] });
    expect(only(emptyInventory({ servicePrincipals: [mi] })).findings).toEqual([]);
  });

  it("a service principal's own credential is its own subject, with its appId", () => {
    const a = app("owner-app");
    const sp = spFor(a, { credentials: [secret(at(3))] });
    const { finding } = only(emptyInventory({ applications: [a], servicePrincipals: [sp] }));
    expect(finding?.subject).toEqual({ type: "servicePrincipal", id: sp.id, name: sp.displayName, appId: a.appId });
  });

  it("disabled tokens are out of scope (any casing); a token without status counts as enabled", () => {
    const reg = registry("acr1");
    const off = token(reg, "off", [password("password1", at(-3))], { status: "Disabled" });
    const unknown = token(reg, "unknown", [password("password1", at(-3))], { status: null });
    const { findings } = only(emptyInventory({ registries: [reg], tokens: [off, unknown] }));
    expect(findings.map((f) => f.subject.name)).toEqual(["unknown"]);
  });

  it("applications are in scope whatever their service principal", () => {
    const { findings } = only(emptyInventory({ applications: [app("no-sp", [secret(at(2))])] }));
    expect(findings).toHaveLength(1);
  });
});

describe("bad dates", () => {
  it("an unparsable endDateTime gives no finding but an error naming the credential", () => {
    const bad = secret("next tuesday");
    const { inventory, application } = lonelyAppWith(bad);
    const { findings, errors } = only(inventory);
    expect(findings).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({ source: "graph", scope: application.id, status: null, message: expect.stringContaining(bad.keyId) }),
    ]);
  });

  it("an unparsable token expiry is an arm error", () => {
    const reg = registry("acr1");
    const t = token(reg, "weird", [password("password1", "2026-02-31T00:00:00Z")]);
    const { findings, errors } = only(emptyInventory({ registries: [reg], tokens: [t] }));
    expect(findings).toEqual([]);
    expect(errors[0]).toMatchObject({ source: "arm", scope: t.id });
  });

  it("an unparsable start only disables the lifetime rule", () => {
    const { findings } = only(lonelyAppWith(secret(at(400), { startDateTime: "garbage" }), secret(at(2), { startDateTime: "garbage" })).inventory);
    expect(findings.map((f) => f.kind)).toEqual(["credential-expiring"]);
  });

  it("timestamps without offset are UTC, whatever the machine's zone", () => {
    const { finding } = only(lonelyAppWith(secret("2026-06-08T12:00:00")).inventory);
    expect(finding?.credential?.window).toBe(7);
  });
});
