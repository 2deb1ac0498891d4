// Compares a report with an expectation file in the format of ../shared/fixtures/*.expect.json:
// each expected finding must appear exactly once with the listed fields; nothing in `absent` may.
import type { Finding, Report } from "../../shared/model.js";

export interface ExpectedFinding {
  kind?: string;
  subject?: string;
  subjectType?: string;
  severity?: string;
  daysLeft?: number;
  window?: number;
  rotated?: boolean;
  registries?: string[];
  clusters?: string[];
  registry?: string;
  cluster?: string;
  reason?: string;
}

export interface Expectation {
  complete?: boolean;
  errorScopes?: string[];
  coverage?: Record<string, number>;
  findings: ExpectedFinding[];
  absent?: ExpectedFinding[];
}

/** Identity of a finding in an expectation: kind, subject and the cluster/registry pair it names. */
function identifies(f: Finding, e: ExpectedFinding): boolean {
  return (
    (e.kind === undefined || f.kind === e.kind) &&
    (e.subject === undefined || f.subject.name === e.subject) &&
    (e.subjectType === undefined || f.subject.type === e.subjectType) &&
    (e.registry === undefined || f.registry === e.registry) &&
    (e.cluster === undefined || f.cluster === e.cluster)
  );
}

/** Every way the report departs from the expectation; empty when it matches. */
export function compareWithExpectation(report: Report, expected: Expectation): string[] {
  const problems: string[] = [];
  if (expected.complete !== undefined && report.complete !== expected.complete) problems.push(`complete is ${report.complete}`);
  if (expected.errorScopes) {
    const scopes = [...new Set(report.errors.map((e) => e.scope))].sort();
    if (JSON.stringify(scopes) !== JSON.stringify([...expected.errorScopes].sort())) problems.push(`error scopes ${JSON.stringify(scopes)}`);
  }
  for (const [key, value] of Object.entries(expected.coverage ?? {})) {
    const actual = (report.coverage as unknown as Record<string, number>)[key];
    if (actual !== value) problems.push(`coverage.${key} is ${actual}, expected ${value}`);
  }
  for (const e of expected.findings) {
    const matches = report.findings.filter((f) => identifies(f, e));
    const label = JSON.stringify(e);
    if (matches.length !== 1) {
      problems.push(`${matches.length} findings for ${label}`);
      continue;
    }
    const f = matches[0]!;
    const check = (field: string, actual: unknown, wanted: unknown) => {
      if (wanted !== undefined && JSON.stringify(actual) !== JSON.stringify(wanted)) {
        problems.push(`${label}: ${field} is ${JSON.stringify(actual)}`);
      }
    };
    check("severity", f.severity, e.severity);
    check("daysLeft", f.credential?.daysLeft, e.daysLeft);
    check("window", f.credential?.window, e.window);
    check("rotated", f.credential?.rotated, e.rotated);
    check("reason", f.reason, e.reason);
    if (f.kind.startsWith("credential-")) {
      // Impact is exact: an expectation without registries/clusters means none.
      check("impact.registries", f.impact.registries, e.registries ?? []);
      check("impact.clusters", f.impact.clusters, e.clusters ?? []);
    }
    if (f.fix.length === 0) problems.push(`${label}: no fix command`);
  }
  for (const a of expected.absent ?? []) {
    const present = report.findings.filter((f) => identifies(f, a));
    if (present.length > 0) problems.push(`absent ${JSON.stringify(a)} is reported (${present.map((f) => f.id).join(", ")})`);
  }
  const ids = report.findings.map((f) => f.id);
  const duplicated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicated.length > 0) problems.push(`duplicate finding ids: ${duplicated.join(", ")}`);
  return problems;
}
