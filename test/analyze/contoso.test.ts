// Acceptance: the contoso tenant (shared/fixtures/contoso.json) analysed at its `now` gives every
// finding of contoso.expect.json — kind, subject type, severity, daysLeft, window, rotated, exact
// impact, reason — and none of its `absent` list.
import { describe, expect, it } from "vitest";
import { analyze, DEFAULT_POLICY } from "../../shared/analyze/index.js";
import type { Finding } from "../../shared/model.js";
import { CONTOSO_ABSENT, CONTOSO_EXPECTED, CONTOSO_NOW, contosoInventory, type ExpectedFinding } from "./contoso.js";

const analysis = analyze(contosoInventory(), DEFAULT_POLICY, CONTOSO_NOW);

function matches(f: Finding, e: ExpectedFinding): boolean {
  if (f.kind !== e.kind) return false;
  if (e.subject !== undefined && f.subject.name !== e.subject) return false;
  if (e.subjectType !== undefined && f.subject.type !== e.subjectType) return false;
  if (e.registry !== undefined && f.registry !== e.registry) return false;
  if (e.cluster !== undefined && f.cluster !== e.cluster) return false;
  return true;
}

describe("contoso acceptance", () => {
  for (const e of CONTOSO_EXPECTED) {
    const label = `${e.kind} ${e.subject ?? ""}${e.cluster ?? ""}${e.registry ? ` ${e.registry}` : ""}`;
    it(label, () => {
      const found = analysis.findings.filter((f) => matches(f, e));
      expect(found).toHaveLength(1);
      const f = found[0]!;
      expect(f.severity).toBe(e.severity);
      if (e.daysLeft !== undefined) expect(f.credential?.daysLeft).toBe(e.daysLeft);
      if (e.kind.startsWith("credential-")) {
        expect(f.credential?.window ?? null).toBe(e.window ?? null);
        expect(f.credential?.rotated).toBe(e.rotated ?? false);
        expect(f.impact).toEqual({ registries: e.registries ?? [], clusters: e.clusters ?? [] });
      } else {
        if (e.registries) expect(f.impact.registries).toEqual(e.registries);
        if (e.clusters) expect(f.impact.clusters).toEqual(e.clusters);
      }
      if (e.reason !== undefined) expect(f.reason).toBe(e.reason);
      expect(f.message.length).toBeGreaterThan(0);
      expect(f.fix.length).toBeGreaterThan(0);
    });
  }

  it("nothing else: one finding per expectation, no analysis errors", () => {
    expect(analysis.findings).toHaveLength(CONTOSO_EXPECTED.length);
    expect(analysis.errors).toEqual([]);
  });

  for (const a of CONTOSO_ABSENT) {
    it(`absent: ${a.kind ?? "any"} ${a.subject ?? a.cluster}`, () => {
      const hits = analysis.findings.filter(
        (f) =>
          (a.kind === undefined || f.kind === a.kind) &&
          (a.subject === undefined || f.subject.name === a.subject) &&
          (a.cluster === undefined || f.cluster === a.cluster),
      );
      expect(hits).toEqual([]);
    });
  }

  it("sorted by severity, then daysLeft, then subject name", () => {
    expect(analysis.findings.map((f) => `${f.severity} ${f.subject.name}`).slice(0, 6)).toEqual([
      "critical release-bot",
      "critical ci-deployer",
      "critical aks-prod-sp",
      "critical ci-pull",
      "critical aks-batch",
      "critical aks-dev",
    ]);
  });

  it("is deterministic and pure: the same input twice gives the same output, the input untouched", () => {
    const inventory = contosoInventory();
    const copy = structuredClone(inventory);
    const once = analyze(inventory, DEFAULT_POLICY, CONTOSO_NOW);
    expect(analyze(inventory, DEFAULT_POLICY, CONTOSO_NOW)).toEqual(once);
    expect(inventory).toEqual(copy);
  });

  it("the aks-prod secret message reads as in DESIGN", () => {
    const f = analysis.findings.find((x) => x.subject.name === "aks-prod-sp");
    expect(f?.message).toBe('Client secret "aks-prod-sp-secret-1" of app aks-prod-sp expires in 5 days (2026-11-30) — AKS cluster aks-prod stops pulling from acrprod');
  });
});
