import { describe, expect, it } from "vitest";
import { credentialSeverity, dropOne, roleGapSeverity } from "../../shared/analyze/severity.js";

describe("credential severity", () => {
  const cases: [string, "credential-expired" | "credential-expiring" | "credential-long-lived", number | null, boolean, string][] = [
    ["expired with impact", "credential-expired", null, true, "critical"],
    ["expired without impact", "credential-expired", null, false, "high"],
    ["window 1 with impact", "credential-expiring", 1, true, "critical"],
    ["window 7 with impact", "credential-expiring", 7, true, "critical"],
    ["window 7 without impact", "credential-expiring", 7, false, "high"],
    ["window 14 with impact", "credential-expiring", 14, true, "high"],
    ["window 14 without impact", "credential-expiring", 14, false, "medium"],
    ["window 30 with impact", "credential-expiring", 30, true, "medium"],
    ["window 30 without impact", "credential-expiring", 30, false, "medium"],
    ["long-lived with impact", "credential-long-lived", null, true, "low"],
  ];
  for (const [name, kind, window, impacted, expected] of cases) {
    it(name, () => expect(credentialSeverity({ kind, window, impacted, rotated: false })).toBe(expected));
  }

  it("rotated drops one step; low stays low", () => {
    expect(credentialSeverity({ kind: "credential-expired", window: null, impacted: true, rotated: true })).toBe("high");
    expect(credentialSeverity({ kind: "credential-expiring", window: 14, impacted: true, rotated: true })).toBe("medium");
    expect(credentialSeverity({ kind: "credential-expiring", window: 30, impacted: false, rotated: true })).toBe("low");
    expect(dropOne("low")).toBe("low");
  });

  it("role-gap severities", () => {
    expect(roleGapSeverity("no-pull-role")).toBe("critical");
    expect(roleGapSeverity("unknown-registry")).toBe("medium");
    expect(roleGapSeverity("broad-role-only")).toBe("low");
  });
});
