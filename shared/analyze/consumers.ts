// Which registries a cluster pulls from (DESIGN §4 "Consumers"):
// (a) its tag `credwatch-pulls-from` names them — comma-separated registry names, looked up across
//     every registry read (any subscription); names compare case-insensitively, blanks are skipped,
//     and a login server ("acrprod.azurecr.io") is read as its registry name;
// (b) its pulling identity holds a pull role assigned AT the registry itself (what
//     `az aks update --attach-acr` creates). Roles at resource-group or subscription scope grant pull
//     but do not declare consumption. A role from either mode's list counts here (an AcrPull left on
//     a registry moved to ABAC mode still declares that the cluster pulls from it — and the role-gap
//     rule then reports that it no longer can).

import type { ManagedCluster, Registry } from "../model.js";
import { lower, normalizeArmId } from "../arm-ids.js";
import { assignmentsOf, type Context } from "./context.js";
import type { PullingIdentity } from "./principals.js";
import { compareText } from "./order.js";
import { declaresPull, isAtRegistry, roleGuid } from "./pull-roles.js";

export const PULLS_FROM_TAG = "credwatch-pulls-from";

export interface Consumption {
  /** Registries found, deduplicated, sorted by name. */
  registries: Registry[];
  /** Tag names that match no registry read (as written, deduplicated case-insensitively). */
  unknownNames: string[];
  /** Registry names the tag declares (lower-case), for telling tag from role consumption. */
  tagged: Set<string>;
}

/** The raw value of the cluster's pulls-from tag (tag names are case-insensitive in Azure). */
export function pullsFromTag(cluster: ManagedCluster): string | null {
  const tags = cluster.tags && typeof cluster.tags === "object" ? cluster.tags : {};
  for (const [key, value] of Object.entries(tags)) {
    if (lower(key) === PULLS_FROM_TAG && typeof value === "string") return value;
  }
  return null;
}

/** Registry names listed in the tag, trimmed, deduplicated case-insensitively, in tag order. */
export function taggedRegistryNames(cluster: ManagedCluster): string[] {
  const value = pullsFromTag(cluster);
  if (value === null) return [];
  const seen = new Set<string>();
  const names: string[] = [];
  for (const part of value.split(",")) {
    let name = part.trim();
    const dot = name.indexOf(".");
    if (dot > 0) name = name.slice(0, dot); // login server → registry name (ACR names have no dots)
    if (name === "" || seen.has(lower(name))) continue;
    seen.add(lower(name));
    names.push(name);
  }
  return names;
}

export function identityObjectId(identity: PullingIdentity): string | null {
  return identity.kind === "kubelet" || identity.kind === "servicePrincipal" ? identity.objectId : null;
}

export function consumersOf(ctx: Context, cluster: ManagedCluster, identity: PullingIdentity): Consumption {
  const byId = new Map<string, Registry>();
  const unknownNames: string[] = [];
  const tagged = new Set<string>();
  for (const name of taggedRegistryNames(cluster)) {
    const found = ctx.registriesByName.get(lower(name)) ?? [];
    tagged.add(lower(name));
    if (found.length === 0) unknownNames.push(name);
    for (const r of found) byId.set(normalizeArmId(r.id) || `name:${lower(r.name)}`, r);
  }
  const objectId = identityObjectId(identity);
  if (objectId) {
    for (const a of assignmentsOf(ctx, objectId)) {
      if (!declaresPull(roleGuid(a.roleDefinitionId))) continue;
      const r = ctx.registriesById.get(normalizeArmId(a.scope));
      if (r && isAtRegistry(a, r)) byId.set(normalizeArmId(r.id), r);
    }
  }
  const registries = [...byId.values()].sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
  return { registries, unknownNames, tagged };
}

/** A cluster with its pulling identity and the registries it pulls from, computed once. */
export interface ClusterView {
  cluster: ManagedCluster;
  identity: PullingIdentity;
  consumption: Consumption;
}

export function clusterViews(ctx: Context, clusters: readonly ManagedCluster[], identityOf: (c: ManagedCluster) => PullingIdentity): ClusterView[] {
  return clusters.map((cluster) => {
    const identity = identityOf(cluster);
    return { cluster, identity, consumption: consumersOf(ctx, cluster, identity) };
  });
}
