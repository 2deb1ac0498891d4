// Small reports for renderer tests. Defaults are one plausible finding; scenarios override what
// they show.
import type { CollectionError, Finding, FindingCredential, Report } from "../../shared/model.js";

/** Markup for Slack, Markdown and HTML at once. */
export const HOSTILE_NAME = "<!channel> *urgent* & <https://evil.example|click here>";
/** Clears a terminal, then offers a spreadsheet formula. */
export const TERMINAL_AND_FORMULA = '\x1b[2J=HYPERLINK("https://evil.example","x")';
export const FORMULA = '=HYPERLINK("https://evil.example","x")';

const APP_ID = "11111111-1111-1111-1111-111111111111";
const KEY_ID = "22222222-2222-2222-2222-222222222222";

export function aCredential(overrides: Partial<FindingCredential> = {}): FindingCredential {
  return {
    type: "secret",
    id: KEY_ID,
    name: "ci-2025",
    startDateTime: "2025-11-30T00:00:00Z",
    endDateTime: "2026-11-30T00:00:00Z",
    daysLeft: 5,
    window: 7,
    rotated: false,
    ...overrides,
  };
}

export function aFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: `credential-expiring:app-object-1:${KEY_ID}`,
    kind: "credential-expiring",
    severity: "critical",
    subject: { type: "application", id: "app-object-1", name: "ci-pull", appId: APP_ID },
    credential: aCredential(),
    impact: { registries: ["acrprod"], clusters: ["aks-prod"] },
    owners: ["alice@contoso.example"],
    message: 'Secret "ci-2025" of application "ci-pull" expires in 5 days; acrprod and aks-prod stop pulling.',
    fix: [
      `az ad app credential reset --id ${APP_ID} --append`,
      `az aks update-credentials -g rg-prod -n aks-prod --reset-service-principal --service-principal ${APP_ID} --client-secret NEW`,
      `az ad app credential delete --id ${APP_ID} --key-id ${KEY_ID}`,
    ],
    ...overrides,
  };
}

export function anError(overrides: Partial<CollectionError> = {}): CollectionError {
  return {
    source: "arm",
    scope: "/subscriptions/33333333-3333-3333-3333-333333333333",
    status: 403,
    message: "AuthorizationFailed: the client cannot read role assignments",
    ...overrides,
  };
}

export function aReport(overrides: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    sweptAt: "2026-11-25T06:00:00Z",
    tenantId: "44444444-4444-4444-4444-444444444444",
    complete: true,
    coverage: {
      applications: 12,
      servicePrincipals: 14,
      subscriptions: 2,
      registries: 3,
      tokens: 2,
      managedClusters: 2,
      credentials: 40,
    },
    findings: [],
    errors: [],
    ...overrides,
  };
}

/** One finding of every kind, severities mixed and out of order, hostile names included. */
export function everyKind(): Finding[] {
  return [
    anAdminUserFinding(),
    aFinding({
      id: `credential-expired:sp-object-2:${KEY_ID}`,
      kind: "credential-expired",
      severity: "high",
      subject: { type: "servicePrincipal", id: "sp-object-2", name: HOSTILE_NAME, appId: APP_ID },
      credential: aCredential({ daysLeft: -2, window: null, endDateTime: "2026-11-23T00:00:00Z", name: null }),
      impact: { registries: [], clusters: [] },
      owners: [],
      message: `Secret of service principal "${HOSTILE_NAME}" expired 2 days ago.`,
      fix: [`az ad sp credential reset --id ${APP_ID} --append`],
    }),
    aFinding(),
    aFinding({
      id: "credential-long-lived:token-1:password1",
      kind: "credential-long-lived",
      severity: "low",
      subject: { type: "acrToken", id: "/subscriptions/s/.../tokens/t1", name: TERMINAL_AND_FORMULA },
      credential: aCredential({ type: "tokenPassword", id: "password1", name: "password1", endDateTime: null, daysLeft: null, window: null }),
      impact: { registries: ["acrprod"], clusters: [] },
      owners: undefined,
      message: `Token ${TERMINAL_AND_FORMULA} has a password that never expires.`,
      fix: ["az acr token credential generate -r acrprod -n t1 --password1 --expiration-in-days 90"],
    }),
    aFinding({
      id: "network-blocked:aks-prod:acrprod",
      kind: "network-blocked",
      severity: "critical",
      subject: { type: "managedCluster", id: "/subscriptions/s/.../managedClusters/aks-prod", name: "aks-prod" },
      credential: undefined,
      registry: "acrprod",
      cluster: "aks-prod",
      impact: { registries: ["acrprod"], clusters: ["aks-prod"] },
      owners: undefined,
      message: "aks-prod egresses from 20.1.2.3, which acrprod's firewall does not allow.",
      fix: ["az acr network-rule add -n acrprod --ip-address 20.1.2.3"],
    }),
    aFinding({
      id: "role-gap:aks-dev:acrmissing",
      kind: "role-gap",
      severity: "medium",
      reason: "unknown-registry",
      subject: { type: "managedCluster", id: "/subscriptions/s/.../managedClusters/aks-dev", name: "aks-dev" },
      credential: undefined,
      registry: "acr|missing",
      cluster: "aks-dev",
      impact: { registries: [], clusters: ["aks-dev"] },
      owners: undefined,
      message: "aks-dev's tag names registry acr|missing, found in no subscription.",
      fix: [],
    }),
  ];
}

/** Registry acrlegacy with its admin user on: a finding without credential or owners. */
export function anAdminUserFinding(): Finding {
  return aFinding({
    id: "admin-user-enabled:acrlegacy",
    kind: "admin-user-enabled",
    severity: "medium",
    subject: { type: "registry", id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acrlegacy", name: "acrlegacy" },
    credential: undefined,
    registry: "acrlegacy",
    impact: { registries: [], clusters: [] },
    owners: undefined,
    message: "Registry acrlegacy has its admin user enabled.",
    fix: ["az acr update -n acrlegacy --admin-enabled false"],
  });
}
