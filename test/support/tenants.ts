// Builders of small sandbox tenants (the fixture format of test/sandbox/sandbox-fixture.schema.json),
// so each integration test states only what its scenario needs.
import { createHash } from "node:crypto";

/** A deterministic GUID from a name: the same scenario gives the same ids on every run. */
export function guid(name: string): string {
  const h = createHash("sha1").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const NOW = "2026-11-25T02:00:00Z";
const DAY = 86_400_000;
export const daysFromNow = (days: number): string => new Date(Date.parse(NOW) + days * DAY).toISOString();

export interface AppSpec {
  name: string;
  secretEndsInDays?: number;
  owners?: string[];
}

export function application(spec: AppSpec) {
  return {
    id: guid(`app/${spec.name}`),
    appId: guid(`appid/${spec.name}`),
    displayName: spec.name,
    passwordCredentials:
      spec.secretEndsInDays === undefined
        ? []
        : [{ keyId: guid(`key/${spec.name}`), displayName: `${spec.name}-secret`, startDateTime: daysFromNow(-300), endDateTime: daysFromNow(spec.secretEndsInDays) }],
    keyCredentials: [],
    owners: (spec.owners ?? []).map((mail) => ({ id: guid(`user/${mail}`), displayName: mail, userPrincipalName: mail, mail })),
  };
}

export function servicePrincipalOf(app: ReturnType<typeof application>, type: "Application" | "ManagedIdentity" = "Application") {
  return { id: guid(`sp/${app.displayName}`), appId: app.appId, displayName: app.displayName, servicePrincipalType: type, passwordCredentials: [], keyCredentials: [] };
}

export function subscription(name: string, extra: Record<string, unknown> = {}) {
  return { subscriptionId: guid(`sub/${name}`), displayName: name, registries: [], managedClusters: [], roleAssignments: [], activityLog: [], ...extra };
}

export function registry(name: string, extra: Record<string, unknown> = {}) {
  return { name, resourceGroup: `rg-${name}`, sku: "Standard", ...extra };
}

export function tenant(parts: { applications?: unknown[]; servicePrincipals?: unknown[]; subscriptions?: unknown[]; faults?: unknown[] }) {
  return {
    name: "test-tenant",
    now: NOW,
    tenantId: guid("tenant"),
    applications: parts.applications ?? [],
    servicePrincipals: parts.servicePrincipals ?? [],
    subscriptions: parts.subscriptions ?? [],
    faults: parts.faults ?? [],
  };
}
