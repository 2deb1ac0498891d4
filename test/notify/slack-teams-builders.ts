// Digests for the Slack and Teams channel tests: built from the report builders (hostile names
// included), with alerts of every reason.
import type { Finding, Report } from "../../shared/model.js";
import type { Alert, Digest, NotifiedFinding } from "../../shared/notify/types.js";
import { aFinding, anError, aReport, everyKind, HOSTILE_NAME } from "../report/builders.js";

export { HOSTILE_NAME };

export function remembered(f: Finding, overrides: Partial<NotifiedFinding> = {}): NotifiedFinding {
  return {
    id: f.id,
    kind: f.kind,
    severity: f.severity,
    subjectType: f.subject.type,
    subjectName: f.subject.name,
    message: f.message,
    ...(f.registry ? { registry: f.registry } : {}),
    ...(f.cluster ? { cluster: f.cluster } : {}),
    ...overrides,
  };
}

/** A note for a finding gone from the report; its subject name is hostile. */
export function aResolvedAlert(): Alert {
  const gone = aFinding({
    id: "credential-expiring:app-object-9:99999999-9999-9999-9999-999999999999",
    subject: { type: "application", id: "app-object-9", name: `retired ${HOSTILE_NAME}` },
    message: `Secret of application "retired ${HOSTILE_NAME}" expires in 3 days.`,
  });
  return { id: gone.id, reason: "resolved", previous: remembered(gone) };
}

/** Every finding of the report told about: one escalated, one repeated, the rest new; plus one resolved. */
export function alertsFor(findings: Finding[]): Alert[] {
  const alerts = findings.map((finding, i): Alert => {
    if (i === 1) return { id: finding.id, reason: "escalated", finding, previous: remembered(finding, { severity: "medium" }) };
    if (i === 2 && finding.severity === "critical") return { id: finding.id, reason: "repeat", finding, previous: remembered(finding) };
    return { id: finding.id, reason: "new", finding };
  });
  return [...alerts, aResolvedAlert()];
}

export function aDigest(overrides: Partial<Digest> & { report?: Report } = {}): Digest {
  const report = overrides.report ?? aReport({ findings: everyKind() });
  return {
    runId: "run-2026-11-25T06:00:00Z-0001",
    now: new Date("2026-11-25T06:00:00Z"),
    report,
    alerts: alertsFor(report.findings),
    suppressed: 0,
    heartbeat: false,
    ...overrides,
  };
}

/** `count` findings across severities and kinds, each subject named uniquely ("subject-0042"), some hostile. */
export function manyFindings(count: number): Finding[] {
  const severities = ["critical", "high", "medium", "low"] as const;
  return Array.from({ length: count }, (_, i) => {
    const name = i % 50 === 7 ? `subject-${String(i).padStart(4, "0")} ${HOSTILE_NAME}` : `subject-${String(i).padStart(4, "0")}`;
    const appId = `a2000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
    const keyId = `c1000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
    return aFinding({
      id: `credential-expiring:app-${i}:${keyId}`,
      severity: severities[i % 4]!,
      subject: { type: "application", id: `app-${i}`, name, appId },
      owners: [`owner-${i % 7}@contoso.example`],
      impact: { registries: [`acr${i % 5}`], clusters: [`aks-${i % 3}`] },
      message: `Secret "ci-${i}" of application "${name}" expires in ${i % 30} days; acr${i % 5} and aks-${i % 3} stop pulling.`,
      fix: [
        `az ad app credential reset --id ${appId} --append`,
        `az aks update-credentials -g rg-prod -n aks-${i % 3} --reset-service-principal --service-principal ${appId} --client-secret NEW`,
        `az ad app credential delete --id ${appId} --key-id ${keyId}`,
      ],
    });
  });
}

export function incompleteReport(findings: Finding[] = [], errors = 2): Report {
  return aReport({
    complete: false,
    findings,
    errors: Array.from({ length: errors }, (_, i) =>
      anError({ scope: `/subscriptions/3333333${i}-3333-3333-3333-333333333333`, message: `AuthorizationFailed: cannot read role assignments <!here> #${i}` }),
    ),
  });
}

/** Collects log lines (to check nothing secret is logged). */
export function collectingLog(): { lines: string[]; log: (message: string) => void } {
  const lines: string[] = [];
  return { lines, log: (message) => lines.push(message) };
}
