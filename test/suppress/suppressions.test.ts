// Suppression rules: parsed with every bad rule named, matched on what a person recognises, expiring
// on their date, and reported when they match nothing.
import { describe, expect, it } from "vitest";
import { parseSuppressionRules, type SuppressionRule } from "../../shared/suppress/rules.js";
import { applySuppressions } from "../../shared/suppress/apply.js";
import { aFinding } from "../report/builders.js";
import type { Finding } from "../../shared/model.js";

function rules(json: unknown): SuppressionRule[] {
  const parsed = parseSuppressionRules(JSON.stringify(json), "test");
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.rules;
}

const NOW = new Date("2026-11-25T02:00:00Z");
const sync = aFinding({ id: "credential:application:sync:k1", kind: "credential-long-lived", severity: "low", subject: { type: "application", id: "obj-sync", name: "ConnectSyncProvisioning_contoso_1", appId: "app-sync" }, impact: { registries: [], clusters: [] } });
const payments = aFinding({ id: "credential:application:pay:k2", subject: { type: "application", id: "obj-pay", name: "payments-api", appId: "app-pay" }, impact: { registries: ["acrprod"], clusters: ["aks-prod"] } });
const gap = aFinding({ id: "role-gap:aks-dev:acrdev", kind: "role-gap", severity: "critical", reason: "no-pull-role", registry: "acrdev", cluster: "aks-dev", subject: { type: "managedCluster", id: "/subscriptions/s/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks-dev", name: "aks-dev" }, impact: { registries: ["acrdev"], clusters: ["aks-dev"] } });
const all: Finding[] = [sync, payments, gap];

describe("parseSuppressionRules", () => {
  it("accepts a list or {rules: [...]}, with one kind or several", () => {
    expect(rules([{ kind: "role-gap", reason: "r" }])[0]!.kind).toEqual(["role-gap"]);
    expect(rules({ rules: [{ kind: ["role-gap", "network-blocked"], cluster: "aks-dev", reason: "r" }] })[0]!.kind).toEqual(["role-gap", "network-blocked"]);
  });

  it("names every bad rule by number, name and field", () => {
    const parsed = parseSuppressionRules(
      JSON.stringify([
        { subject: "legacy-sync", reason: "ok" },
        { subject: "payments-api", until: "next week", reason: "being fixed" },
        { kind: "credential-old", subject: "x", reason: "r" },
        { subject: "y" },
        { reason: "matches everything" },
        { subject: "z", reason: "r", snooze: true },
      ]),
      "rules.json",
    );
    expect(parsed.ok).toBe(false);
    const problems = (parsed as { problems: string[] }).problems;
    expect(problems.find((p) => p.startsWith("rule 2 (payments-api): until:"))).toMatch(/date/);
    expect(problems.find((p) => p.startsWith("rule 3 (x): kind"))).toBeDefined();
    expect(problems.find((p) => p.startsWith("rule 4 (y): reason"))).toBeDefined();
    expect(problems.find((p) => p.startsWith("rule 5:"))).toMatch(/at least one/);
    expect(problems.find((p) => p.startsWith("rule 6 (z): snooze: unknown field"))).toBeDefined();
    expect(problems.some((p) => p.startsWith("rule 1 "))).toBe(false);
  });

  it("refuses text that is not JSON, naming the source", () => {
    const parsed = parseSuppressionRules("[{kind: role-gap}]", "/etc/credwatch/rules.json");
    expect(parsed.ok).toBe(false);
    expect((parsed as { problems: string[] }).problems[0]).toMatch(/^\/etc\/credwatch\/rules\.json: is not valid JSON/);
  });
});

describe("applySuppressions", () => {
  it("suppresses by subject glob (case-insensitive) and keeps the finding, marked", () => {
    const result = applySuppressions(all, rules([{ subject: "connectsyncprovisioning_*", kind: "credential-long-lived", reason: "Entra Connect rotates it", by: "alice" }]), NOW);
    expect(result.findings).toHaveLength(3);
    expect(result.findings[0]!.suppressed).toEqual({ reason: "Entra Connect rotates it", until: null, by: "alice", source: "rule 1" });
    expect(result.findings[1]!.suppressed).toBeUndefined();
  });

  it("matches by appId, registry or cluster impact, and finding id", () => {
    expect(applySuppressions(all, rules([{ subjectId: "APP-PAY", reason: "r" }]), NOW).findings[1]!.suppressed).toBeDefined();
    expect(applySuppressions(all, rules([{ registry: "acrprod", reason: "r" }]), NOW).findings.map((f) => !!f.suppressed)).toEqual([false, true, false]);
    expect(applySuppressions(all, rules([{ cluster: "aks-dev", reason: "r" }]), NOW).findings.map((f) => !!f.suppressed)).toEqual([false, false, true]);
    expect(applySuppressions(all, rules([{ id: gap.id, reason: "r" }]), NOW).findings.map((f) => !!f.suppressed)).toEqual([false, false, true]);
  });

  it("needs every field of a rule to match", () => {
    const result = applySuppressions(all, rules([{ kind: "role-gap", cluster: "aks-prod", reason: "r" }]), NOW);
    expect(result.findings.every((f) => !f.suppressed)).toBe(true);
  });

  it("stops suppressing at the end of its until day, and says the rule expired", () => {
    const rule = rules([{ subject: "payments-api", until: "2026-11-30", reason: "fix in progress" }]);
    expect(applySuppressions(all, rule, new Date("2026-11-30T23:00:00Z")).findings[1]!.suppressed?.until).toBe("2026-11-30T23:59:59.999Z");
    const after = applySuppressions(all, rule, new Date("2026-12-01T00:00:00Z"));
    expect(after.findings[1]!.suppressed).toBeUndefined();
    expect(after.rules).toEqual([{ index: 1, reason: "fix in progress", until: "2026-11-30T23:59:59.999Z", matched: 0, expired: true }]);
  });

  it("reports a rule that matches nothing, so stale rules get cleaned up", () => {
    const result = applySuppressions(all, rules([{ subject: "payments-api", reason: "a" }, { subject: "decommissioned-app", reason: "b" }]), NOW);
    expect(result.rules.map((r) => [r.index, r.matched, r.expired])).toEqual([[1, 1, false], [2, 0, false]]);
  });
});
