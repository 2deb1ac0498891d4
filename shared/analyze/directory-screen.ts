// Streaming analysis of the directory: each application and service principal is screened as its
// Graph page arrives, and only what analysis can still need is kept, so memory grows with findings,
// not with the tenant.
//
// Why this gives exactly the findings of analyze() over the whole directory:
// - credential findings of a subject depend on that subject's own credentials (classification,
//   rotated) plus look-ups (its service principal by appId, role assignments, clusters). A subject
//   none of whose credentials classifies (and none unparsable) gives no finding and no error, so it
//   is dropped; the screen uses the very functions analysis uses (credentialsBySubject, classify).
// - the look-ups analysis makes into the directory are "the first service principal with this appId"
//   (impact of an application's credentials; a cluster's pulling identity). A compact index keeps
//   that first service principal for every appId; finish() adds it, without credentials, for the
//   appIds of kept applications and of clusters — in arrival order, so "first" stays first.
// - coverage counts every subject and every in-scope credential as it passes.
import type { Application, ManagedCluster, Policy, ServicePrincipal } from "../model.js";
import { lower } from "../arm-ids.js";
import { normalizePolicy, type NormalizedPolicy } from "./context.js";
import { classify, credentialsBySubject } from "./credential-expiry.js";
import { isManagedIdentity } from "./principals.js";

export interface ScreenVerdict {
  /** At least one credential classifies: the subject has credential findings (and needs its owners). */
  hasFindings: boolean;
  /** Kept for analysis: findings, or a credential whose end date cannot be read (an `errors` entry). */
  kept: boolean;
}

export interface ScreenCounts {
  applications: number;
  servicePrincipals: number;
  /** In-scope credentials of the screened subjects (coverage.credentials without token passwords). */
  credentials: number;
}

export interface DirectoryScreen {
  application(app: Application): ScreenVerdict;
  servicePrincipal(sp: ServicePrincipal): ScreenVerdict;
  readonly counts: Readonly<ScreenCounts>;
  /** Kept subjects, in arrival order. */
  keptApplications(): readonly Application[];
  /**
   * What analysis needs of the directory: the kept applications, and the kept service principals
   * plus the first service principal of each appId that kept applications and `clusters` refer to.
   */
  finish(clusters: readonly ManagedCluster[]): { applications: Application[]; servicePrincipals: ServicePrincipal[] };
  /**
   * Everything finish() can draw on, in arrival order: the kept applications, and the kept service
   * principals together with the first of every other appId (without credentials). A new screen fed
   * these, in this order, gives the same finish() for any clusters — how a fanned-out sweep carries
   * the directory from the instance that read it to the one that merges (shared/fanout/).
   */
  retained(): { applications: Application[]; servicePrincipals: ServicePrincipal[] };
}

interface IndexedPrincipal {
  seq: number;
  id: string;
  appId: string;
  displayName: string;
  servicePrincipalType: string | null;
  accountEnabled: boolean | null;
}

/** Verdict on one subject's own credentials: the first step of credential analysis, and nothing more. */
export function screenSubject(
  inventory: { applications?: Application[]; servicePrincipals?: ServicePrincipal[] },
  policy: NormalizedPolicy,
  now: number,
): ScreenVerdict & { credentials: number } {
  const applications = inventory.applications ?? [];
  const servicePrincipals = inventory.servicePrincipals ?? [];
  // Nothing in scope (no credentials; a managed identity's are Azure's): credentialsBySubject would
  // give no record. Most of a tenant's service principals are such, so they are not built at all.
  if (!applications.some(hasCredentials) && !servicePrincipals.some(hasCredentialsInScope)) {
    return { credentials: 0, hasFindings: false, kept: false };
  }
  const groups = credentialsBySubject({ applications, servicePrincipals, tokens: [] });
  let credentials = 0;
  let hasFindings = false;
  let unparsable = false;
  for (const group of groups) {
    credentials += group.length;
    for (const record of group) {
      if (record.endUnparsable) unparsable = true;
      else if (classify(record, policy, now) !== null) hasFindings = true;
    }
  }
  return { credentials, hasFindings, kept: hasFindings || unparsable };
}

function hasCredentials(s: Application | ServicePrincipal): boolean {
  return Array.isArray(s?.credentials) && s.credentials.length > 0;
}

function hasCredentialsInScope(sp: ServicePrincipal): boolean {
  return hasCredentials(sp) && !isManagedIdentity(sp);
}

export function createDirectoryScreen(policy: Policy, now: Date): DirectoryScreen {
  const normalized = normalizePolicy(policy);
  const at = now.getTime();
  const counts: ScreenCounts = { applications: 0, servicePrincipals: 0, credentials: 0 };
  const applications: Application[] = [];
  const keptPrincipals: { seq: number; sp: ServicePrincipal }[] = [];
  const keptPrincipalSeqs = new Set<number>();
  const firstByAppId = new Map<string, IndexedPrincipal>();
  let seq = 0;

  return {
    counts,
    application(app) {
      counts.applications++;
      const verdict = screenSubject({ applications: [app] }, normalized, at);
      counts.credentials += verdict.credentials;
      if (verdict.kept) applications.push(app);
      return { hasFindings: verdict.hasFindings, kept: verdict.kept };
    },
    servicePrincipal(sp) {
      counts.servicePrincipals++;
      const order = seq++;
      if (sp.appId && !firstByAppId.has(lower(sp.appId))) {
        firstByAppId.set(lower(sp.appId), {
          seq: order,
          id: sp.id,
          appId: sp.appId,
          displayName: sp.displayName,
          servicePrincipalType: sp.servicePrincipalType,
          accountEnabled: sp.accountEnabled,
        });
      }
      const verdict = screenSubject({ servicePrincipals: [sp] }, normalized, at);
      counts.credentials += verdict.credentials;
      if (verdict.kept) {
        keptPrincipals.push({ seq: order, sp });
        keptPrincipalSeqs.add(order);
      }
      return { hasFindings: verdict.hasFindings, kept: verdict.kept };
    },
    keptApplications: () => applications,
    finish(clusters) {
      const wanted = new Set<string>();
      for (const app of applications) if (app.appId) wanted.add(lower(app.appId));
      for (const cluster of clusters) if (cluster?.servicePrincipalClientId) wanted.add(lower(cluster.servicePrincipalClientId.trim()));
      const principals = [...keptPrincipals];
      for (const appId of wanted) {
        const first = firstByAppId.get(appId);
        if (!first || keptPrincipalSeqs.has(first.seq)) continue;
        const { seq: order, ...rest } = first;
        principals.push({ seq: order, sp: { ...rest, credentials: [] } });
      }
      principals.sort((a, b) => a.seq - b.seq);
      return { applications: [...applications], servicePrincipals: principals.map((p) => p.sp) };
    },
    retained() {
      const principals = [...keptPrincipals];
      for (const first of firstByAppId.values()) {
        if (keptPrincipalSeqs.has(first.seq)) continue;
        const { seq: order, ...rest } = first;
        principals.push({ seq: order, sp: { ...rest, credentials: [] } });
      }
      principals.sort((a, b) => a.seq - b.seq);
      return { applications: [...applications], servicePrincipals: principals.map((p) => p.sp) };
    },
  };
}
