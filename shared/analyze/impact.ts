// What breaks when a credential stops working (DESIGN §4 "Impact"). Lists are names, deduplicated
// and sorted.
//
// - An application credential acts as the application's service principal (same appId); a service
//   principal's own credential acts as that same service principal. Both therefore reach the same
//   registries and the same clusters.
// - Registries: those on which that principal holds a role granting pull under the registry's mode
//   (at the registry, its resource group, its subscription, or a management-group/root scope) — for
//   secrets and for certificates used to authenticate. Signing certificates (usage "Sign")
//   authenticate nothing and impact nothing.
// - Clusters: AKS clusters whose servicePrincipalProfile.clientId is the appId — for secrets only
//   (a cluster holds a client secret). This applies to an SP's own secrets too: a secret added to the
//   service principal authenticates as the same client id, so a cluster may hold it. credwatch cannot
//   see which secret a cluster holds (it never reads secret values), so every secret of that appId
//   lists the cluster; the rotated flag and its lower severity tell the old one from the new one.
// - A scoped token impacts its registry.

import type { ManagedCluster, Registry } from "../model.js";
import { lower, normalizeArmId } from "../arm-ids.js";
import { assignmentsOf, registryList, type Context } from "./context.js";
import type { CredentialRecord } from "./credential-expiry.js";
import { compareText } from "./order.js";
import { servicePrincipalForApp } from "./principals.js";
import { pullAccess } from "./pull-roles.js";

export interface Impact {
  registries: string[];
  clusters: string[];
}

export interface ImpactDetail {
  impact: Impact;
  /** The clusters behind impact.clusters (for fix commands). */
  clusterRecords: ManagedCluster[];
  /** The registries behind impact.registries. */
  registryRecords: Registry[];
}

export function sortedNames(names: Iterable<string>): string[] {
  return [...new Set([...names].filter((n) => typeof n === "string" && n !== ""))].sort(compareText);
}

export function emptyImpact(): Impact {
  return { registries: [], clusters: [] };
}

export function hasImpact(impact: Impact): boolean {
  return impact.registries.length > 0 || impact.clusters.length > 0;
}

/** Registries the principal (by object id) can pull from. */
export function pullableRegistries(ctx: Context, principalObjectId: string | null | undefined): Registry[] {
  const assignments = assignmentsOf(ctx, principalObjectId);
  if (assignments.length === 0) return [];
  return registryList(ctx).filter((r) => pullAccess(assignments, r).kind !== "none");
}

export function clustersForAppId(ctx: Context, appId: string | null | undefined): ManagedCluster[] {
  if (!appId) return [];
  return [...(ctx.clustersByClientId.get(lower(appId)) ?? [])].sort((a, b) => compareText(a.name, b.name));
}

function detail(registries: Registry[], clusters: ManagedCluster[]): ImpactDetail {
  const regs = [...new Map(registries.map((r) => [normalizeArmId(r.id) || r.name, r])).values()].sort((a, b) =>
    compareText(a.name, b.name),
  );
  return {
    impact: { registries: sortedNames(regs.map((r) => r.name)), clusters: sortedNames(clusters.map((c) => c.name)) },
    clusterRecords: clusters,
    registryRecords: regs,
  };
}

export function credentialImpact(ctx: Context, record: CredentialRecord): ImpactDetail {
  const owner = record.owner;
  if (owner.kind === "acrToken") {
    const r = ctx.registriesById.get(normalizeArmId(owner.token.registryId));
    if (r) return detail([r], []);
    const name = owner.token.registryName;
    return { impact: { registries: sortedNames(name ? [name] : []), clusters: [] }, clusterRecords: [], registryRecords: [] };
  }
  if (record.signing) return detail([], []);
  const appId = owner.kind === "application" ? owner.application.appId : owner.servicePrincipal.appId;
  const principal = owner.kind === "application" ? servicePrincipalForApp(ctx, appId) : owner.servicePrincipal;
  const registries = principal ? pullableRegistries(ctx, principal.id) : [];
  const clusters = record.type === "secret" ? clustersForAppId(ctx, appId) : [];
  return detail(registries, clusters);
}
