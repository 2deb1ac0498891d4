// The report as JSON, per report.schema.json. Objects are rebuilt field by field so the key order
// is the schema's on every run (diffable output) and nothing outside the contract leaks out.
// Strings are left as they are: JSON escapes control characters itself.
import type { CollectionError, Finding, FindingCredential, Report } from "../model.js";

function credential(c: FindingCredential) {
  return {
    type: c.type,
    id: c.id,
    name: c.name,
    startDateTime: c.startDateTime,
    endDateTime: c.endDateTime,
    daysLeft: c.daysLeft,
    window: c.window,
    rotated: c.rotated,
  };
}

function finding(f: Finding) {
  return {
    id: f.id,
    kind: f.kind,
    severity: f.severity,
    subject: {
      type: f.subject.type,
      id: f.subject.id,
      name: f.subject.name,
      ...(f.subject.appId !== undefined && { appId: f.subject.appId }),
    },
    ...(f.credential && { credential: credential(f.credential) }),
    ...(f.registry !== undefined && { registry: f.registry }),
    ...(f.cluster !== undefined && { cluster: f.cluster }),
    ...(f.reason !== undefined && { reason: f.reason }),
    impact: { registries: [...f.impact.registries], clusters: [...f.impact.clusters] },
    ...(f.owners !== undefined && { owners: [...f.owners] }),
    message: f.message,
    fix: [...f.fix],
    ...(f.suppressed && {
      suppressed: { reason: f.suppressed.reason, until: f.suppressed.until, by: f.suppressed.by, source: f.suppressed.source },
    }),
  };
}

function error(e: CollectionError) {
  return { source: e.source, scope: e.scope, status: e.status, message: e.message };
}

export function renderJson(report: Report): string {
  const c = report.coverage;
  const document = {
    schemaVersion: report.schemaVersion,
    sweptAt: report.sweptAt,
    tenantId: report.tenantId,
    complete: report.complete,
    coverage: {
      applications: c.applications,
      servicePrincipals: c.servicePrincipals,
      subscriptions: c.subscriptions,
      registries: c.registries,
      tokens: c.tokens,
      managedClusters: c.managedClusters,
      credentials: c.credentials,
    },
    findings: report.findings.map(finding),
    errors: report.errors.map(error),
    ...(report.subscriptionsRead && { subscriptionsRead: [...report.subscriptionsRead] }),
    ...(report.suppressions && {
      suppressions: report.suppressions.map((r) => ({ index: r.index, reason: r.reason, until: r.until, matched: r.matched, expired: r.expired })),
    }),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
