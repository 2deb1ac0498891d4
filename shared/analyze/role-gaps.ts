// Role gaps between a cluster and the registries it pulls from (DESIGN §4 "Consumers and role gaps").
// One finding per cluster × registry; subject: the cluster.
//
// - no-pull-role (critical): the pulling identity has no role granting pull under the registry's
//   mode, at any scope that covers it. Also when the cluster's appId has no service principal at all
//   (deleted, or never created): nothing can hold a role for it.
// - broad-role-only (low): pull works only through Owner, Contributor or Reader (legacy mode; under
//   ABAC those roles grant no pull, so that case is no-pull-role).
// - unknown-registry (medium): a tagged name matches no registry read, and every subscription was
//   read. When some subscription could not be read the registry may be there: an `errors` entry
//   (source arm, scope the cluster id) says so instead of a finding.
// - A cluster whose pulling identity cannot be told (managed identity without kubelet identity, or
//   no profile at all) but which pulls from registries gives an `errors` entry, not a guess.

import type { CollectionError, Finding } from "../model.js";
import { assignmentsOf, type Context } from "./context.js";
import { identityObjectId, pullsFromTag, PULLS_FROM_TAG, taggedRegistryNames, type ClusterView } from "./consumers.js";
import { roleGapFindingId } from "./finding-id.js";
import { roleGapFix, unknownRegistryFix } from "./fix-commands.js";
import {
  broadRoleOnlyMessage,
  noPullRoleMessage,
  unknownIdentityErrorMessage,
  unknownRegistryErrorMessage,
  unknownRegistryMessage,
} from "./messages.js";
import { pullAccess, registryMode } from "./pull-roles.js";
import { roleGapSeverity } from "./severity.js";
import { lower } from "../arm-ids.js";

export interface RuleResult {
  findings: Finding[];
  errors: CollectionError[];
}

function tagKeyOf(view: ClusterView): string {
  const tags = view.cluster.tags && typeof view.cluster.tags === "object" ? view.cluster.tags : {};
  return Object.keys(tags).find((k) => lower(k) === PULLS_FROM_TAG) ?? PULLS_FROM_TAG;
}

export function roleGapFindings(ctx: Context, views: readonly ClusterView[]): RuleResult {
  const findings: Finding[] = [];
  const errors: CollectionError[] = [];
  const unreadable = (Array.isArray(ctx.inventory.unreadableSubscriptions) ? ctx.inventory.unreadableSubscriptions : []).filter(
    (s) => typeof s === "string" && s !== "",
  );
  for (const view of views) {
    const { cluster, identity, consumption } = view;
    const subject = { type: "managedCluster" as const, id: cluster.id, name: cluster.name };

    if (consumption.unknownNames.length > 0) {
      const unknown = new Set(consumption.unknownNames.map(lower));
      const remaining = taggedRegistryNames(cluster).filter((n) => !unknown.has(lower(n)));
      for (const name of consumption.unknownNames) {
        if (unreadable.length > 0) {
          errors.push({ source: "arm", scope: cluster.id, status: null, message: unknownRegistryErrorMessage(cluster, name, unreadable) });
          continue;
        }
        findings.push({
          id: roleGapFindingId(cluster.id, name),
          kind: "role-gap",
          severity: roleGapSeverity("unknown-registry"),
          subject,
          cluster: cluster.name,
          registry: name,
          reason: "unknown-registry",
          impact: { registries: [], clusters: [cluster.name] },
          message: unknownRegistryMessage(cluster, name),
          fix: unknownRegistryFix(cluster, tagKeyOf(view), pullsFromTag(cluster) ?? "", remaining),
        });
      }
    }

    if (consumption.registries.length === 0) continue;
    if (identity.kind === "unknown") {
      errors.push({
        source: "arm",
        scope: cluster.id,
        status: null,
        message: unknownIdentityErrorMessage(cluster, identity.reason, consumption.registries.map((r) => r.name)),
      });
      continue;
    }
    const assignments = assignmentsOf(ctx, identityObjectId(identity));
    for (const registry of consumption.registries) {
      const access = pullAccess(assignments, registry);
      if (access.kind === "pull") continue;
      const reason = access.kind === "none" ? "no-pull-role" : "broad-role-only";
      findings.push({
        id: roleGapFindingId(cluster.id, registry.name),
        kind: "role-gap",
        severity: roleGapSeverity(reason),
        subject,
        cluster: cluster.name,
        registry: registry.name,
        reason,
        impact: { registries: [registry.name], clusters: [cluster.name] },
        message:
          access.kind === "none"
            ? noPullRoleMessage(cluster, registry, identity, registryMode(registry), access.notHonoured)
            : broadRoleOnlyMessage(cluster, registry, access.via),
        fix: roleGapFix(cluster, registry, identity),
      });
    }
  }
  return { findings, errors };
}
