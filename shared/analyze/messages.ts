// One line a person reads in Slack: what, when, what breaks. Raw names go in as they are (renderers
// escape for their medium); no secret value exists in the data, and none is ever written.

import type { ManagedCluster, Registry, RoleAssignment } from "../model.js";
import type { Classification, CredentialRecord } from "./credential-expiry.js";
import { DAY_MS, formatDay, formatMinute } from "./dates.js";
import type { Impact } from "./impact.js";
import type { PullingIdentity } from "./principals.js";
import { roleGuid, roleName, type RoleAssignmentMode } from "./pull-roles.js";
import { normalizeArmId } from "../arm-ids.js";

const MAX_LISTED = 3;

/** "a", "a and b", "a, b and c", "a, b, c and 2 more". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  if (names.length > MAX_LISTED) return `${names.slice(0, MAX_LISTED).join(", ")} and ${names.length - MAX_LISTED} more`;
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function credentialNoun(record: CredentialRecord): string {
  const label = record.name !== null ? JSON.stringify(record.name) : record.id;
  switch (record.type) {
    case "tokenPassword":
      return `Password ${record.id}`;
    case "certificate":
      return `${record.signing ? "Signing certificate" : "Certificate"} ${label}`;
    default:
      return `Client secret ${label}`;
  }
}

function subjectPhrase(record: CredentialRecord): string {
  switch (record.owner.kind) {
    case "application":
      return `of app ${record.subject.name}`;
    case "servicePrincipal":
      return `of service principal ${record.subject.name} (its own credential, not the app's)`;
    case "acrToken":
      return `of ACR token ${record.subject.name} on ${record.owner.token.registryName}`;
  }
}

function whenPhrase(record: CredentialRecord, c: Classification, now: number, maxLifetimeDays: number): string {
  if (c.kind === "credential-expiring") {
    const when = c.daysLeft <= 0 ? "in less than a day" : `in ${plural(c.daysLeft, "day")}`;
    return `expires ${when} (${formatDay(record.end!)})`;
  }
  if (c.kind === "credential-expired") {
    const ago = Math.floor((now - record.end!) / DAY_MS);
    return `expired ${ago <= 0 ? "less than a day" : plural(ago, "day")} ago (${formatDay(record.end!)})`;
  }
  if (record.end === null) return record.type === "tokenPassword" ? "never expires" : "has no expiry date";
  return `is valid for ${plural(c.lifetimeDays ?? 0, "day")} (${formatDay(record.start!)} to ${formatDay(record.end)}), beyond the ${maxLifetimeDays}-day maximum lifetime`;
}

function breaksPhrase(record: CredentialRecord, c: Classification, impact: Impact): string {
  const { registries, clusters } = impact;
  if (c.kind === "credential-long-lived") {
    const reach =
      registries.length > 0 || clusters.length > 0
        ? ` (${[clusters.length ? `used by AKS ${clusters.length === 1 ? "cluster" : "clusters"} ${listNames(clusters)}` : "", registries.length ? `pulls from ${listNames(registries)}` : ""].filter(Boolean).join("; ")})`
        : "";
    return `a leaked copy stays valid; replace it with one that expires${reach}`;
  }
  const expired = c.kind === "credential-expired";
  if (clusters.length > 0) {
    const many = clusters.length > 1;
    const who = `AKS ${many ? "clusters" : "cluster"} ${listNames(clusters)}`;
    if (registries.length === 0) {
      const their = many ? "their" : "its";
      return expired
        ? `${who} ${many ? "have" : "has"} lost ${their} service principal secret`
        : `${who} ${many ? "lose" : "loses"} ${their} service principal secret`;
    }
    return expired
      ? `${who} can no longer pull from ${listNames(registries)}`
      : `${who} ${many ? "stop" : "stops"} pulling from ${listNames(registries)}`;
  }
  if (registries.length > 0) {
    return expired
      ? `pulls from ${listNames(registries)} with it fail`
      : `pulls from ${listNames(registries)} with it will fail`;
  }
  if (record.signing) return "a signing certificate: it authenticates nothing, no registry or cluster depends on it";
  return "no registry or cluster credwatch sees depends on it";
}

function rotatedPhrase(record: CredentialRecord, impact: Impact, tmax: number): string {
  const noun = record.type === "tokenPassword" ? "the other password" : record.type === "certificate" ? "a newer certificate" : "a newer secret";
  if (record.type === "secret" && impact.clusters.length > 0) {
    return `; already rotated: set NEW_SECRET to ${noun}, point ${listNames(impact.clusters)} at it, then delete this one`;
  }
  return `; already rotated (${noun} is valid beyond ${plural(tmax, "day")}): delete this one once its consumers use it`;
}

export function credentialMessage(
  record: CredentialRecord,
  c: Classification,
  impact: Impact,
  rotated: boolean,
  now: number,
  policy: { maxLifetimeDays: number; tmax: number },
): string {
  const base = `${credentialNoun(record)} ${subjectPhrase(record)} ${whenPhrase(record, c, now, policy.maxLifetimeDays)} — ${breaksPhrase(record, c, impact)}`;
  return rotated ? base + rotatedPhrase(record, impact, policy.tmax) : base;
}

function identityPhrase(identity: PullingIdentity): string {
  switch (identity.kind) {
    case "kubelet":
      return "its kubelet identity";
    case "servicePrincipal":
      return `its service principal ${identity.displayName}`;
    case "missingServicePrincipal":
      return `its service principal (appId ${identity.appId}, which has no service principal in the tenant)`;
    default:
      return "its pulling identity";
  }
}

export function scopePhrase(assignment: RoleAssignment, registry: Registry): string {
  const scope = normalizeArmId(assignment.scope);
  if (scope === normalizeArmId(registry.id)) return "at the registry";
  if (scope === "/") return "at root scope";
  if (scope.startsWith("/providers/microsoft.management/managementgroups/")) {
    return `at management group ${assignment.scope.trim().split("/").filter(Boolean).pop()}`;
  }
  if (/^\/subscriptions\/[^/]+$/.test(scope)) return "at subscription scope";
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(scope)) return `at resource group ${registry.resourceGroup}`;
  return `at ${assignment.scope}`;
}

export function noPullRoleMessage(
  cluster: ManagedCluster,
  registry: Registry,
  identity: PullingIdentity,
  mode: RoleAssignmentMode,
  notHonoured: readonly RoleAssignment[],
): string {
  let why = `${identityPhrase(identity)} holds no role that grants pull there`;
  if (mode === "AbacRepositoryPermissions" && notHonoured.length > 0) {
    const names = [...new Set(notHonoured.map((a) => roleName(roleGuid(a.roleDefinitionId))))].sort();
    why += ` (${listNames(names)} ${names.length > 1 ? "are" : "is"} not honoured: ${registry.name} uses ABAC repository permissions)`;
  }
  return `AKS cluster ${cluster.name} cannot pull from ${registry.name}: ${why} — pods fail with ImagePullBackOff`;
}

export function broadRoleOnlyMessage(cluster: ManagedCluster, registry: Registry, via: readonly RoleAssignment[]): string {
  const parts = [...new Set(via.map((a) => `${roleName(roleGuid(a.roleDefinitionId))} ${scopePhrase(a, registry)}`))].sort();
  return (
    `AKS cluster ${cluster.name} pulls from ${registry.name} only through ${listNames(parts)} — least privilege missed, ` +
    `and pulls stop if ${registry.name} moves to ABAC repository permissions; grant AcrPull instead`
  );
}

export function unknownRegistryMessage(cluster: ManagedCluster, name: string): string {
  return `AKS cluster ${cluster.name} names registry ${JSON.stringify(name)} in its credwatch-pulls-from tag, but no registry of that name exists in any subscription read — fix the tag or the registry name`;
}

export function unknownRegistryErrorMessage(cluster: ManagedCluster, name: string, unreadable: readonly string[]): string {
  return (
    `AKS cluster ${cluster.name} names registry ${JSON.stringify(name)} in its credwatch-pulls-from tag; it is in no subscription read, ` +
    `but ${unreadable.length === 1 ? "subscription" : "subscriptions"} ${unreadable.join(", ")} could not be read, so it may be there — not judged`
  );
}

export function unknownIdentityErrorMessage(cluster: ManagedCluster, reason: string, registries: readonly string[]): string {
  return `AKS cluster ${cluster.name} pulls from ${listNames(registries)} but ${reason}, so its pull roles could not be judged`;
}

export function networkIpMessage(cluster: ManagedCluster, registry: Registry, ips: readonly string[]): string {
  return (
    `AKS cluster ${cluster.name} cannot pull from ${registry.name}: egress ${ips.length === 1 ? "IP" : "IPs"} ${listNames(ips)} ` +
    `${ips.length === 1 ? "is" : "are"} not allowed by the registry firewall (default action Deny)`
  );
}

export function networkPublicDisabledMessage(cluster: ManagedCluster, registry: Registry, pending: readonly string[]): string {
  const pend = pending.length > 0 ? ` (${listNames(pending)} ${pending.length === 1 ? "is" : "are"} not approved)` : "";
  return (
    `AKS cluster ${cluster.name} cannot pull from ${registry.name}: public network access is disabled and the registry has ` +
    `no approved private endpoint${pend} — approve or create a private endpoint in the cluster's network, or enable public access`
  );
}

export function adminUserEnabledMessage(registry: Registry): string {
  return `Registry ${registry.name} has its admin user enabled — one shared password with push and pull rights; use tokens or managed identities and turn it off`;
}

export function adminKeyRegeneratedMessage(registry: Registry, caller: string | null, at: number, earlier: number): string {
  const more = earlier > 0 ? ` (and ${plural(earlier, "earlier regeneration")} in the lookback)` : "";
  return (
    `Admin password of registry ${registry.name} was regenerated by ${caller ?? "an unknown caller"} at ${formatMinute(at)}${more} — ` +
    `every pull secret holding the old password now fails`
  );
}
