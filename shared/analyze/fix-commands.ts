// Fix commands: exact, filled in, pasteable into a POSIX shell (DESIGN §4 "Fix commands").
//
// Choices:
// - ARM-side commands (az aks, az acr) carry `--subscription <id>`: credwatch sweeps a whole tenant
//   and the reader's default subscription is rarely the resource's.
// - A cluster running on an application's secret: the reset is captured into a shell variable,
//     NEW_SECRET=$(az ad app credential reset --id APPID --append --query password --output tsv)
//   and the cluster command uses "$NEW_SECRET", so the block runs as is. When the credential is
//   already rotated, NEW_SECRET stands for the newer secret the reader already holds (credwatch never
//   reads secret values); the message says so.
// - Certificates are renewed with `--create-cert` (a self-signed certificate az writes locally);
//   the delete carries `--cert`.
// - Scoped tokens rotate without downtime: when the other password slot is free (absent or expired)
//   the new password goes there and the old one is deleted once consumers moved; when both slots are
//   in use, the expiring slot itself is regenerated (its holders must switch at once). The new
//   password expires in 90 days: short enough that a leaked one dies within a quarter, long enough
//   to stay out of the 30-day window for two months — rotation becomes a routine, not an outage.
// - Role gaps on a managed-identity cluster in legacy mode use `az aks update --attach-acr` (it
//   assigns AcrPull at the registry); everything else, and every ABAC-mode registry, gets an explicit
//   `az role assignment create` with the role the registry's mode honours (AcrPull, or
//   "Container Registry Repository Reader" under ABAC).

import type { ManagedCluster, Registry } from "../model.js";
import { sameText } from "../arm-ids.js";
import type { CredentialRecord } from "./credential-expiry.js";
import type { PullingIdentity } from "./principals.js";
import { recommendedPullRole, registryMode } from "./pull-roles.js";
import { shellQuote as q } from "./shell.js";

export const TOKEN_PASSWORD_DAYS = 90;
export const NEW_SECRET_VAR = '"$NEW_SECRET"';

function sub(subscriptionId: string | null | undefined): string {
  return subscriptionId ? ` --subscription ${q(subscriptionId)}` : "";
}

export function aksUpdateCredentials(cluster: ManagedCluster, appId: string): string {
  return (
    `az aks update-credentials -g ${q(cluster.resourceGroup)} -n ${q(cluster.name)} --reset-service-principal` +
    ` --service-principal ${q(appId)} --client-secret ${NEW_SECRET_VAR}${sub(cluster.subscriptionId)}`
  );
}

export function directoryCredentialFix(
  record: CredentialRecord,
  appId: string,
  clusters: readonly ManagedCluster[],
  rotated: boolean,
): string[] {
  const family = record.owner.kind === "servicePrincipal" ? "sp" : "app";
  const isCert = record.type === "certificate";
  const fix: string[] = [];
  const needsClusters = record.type === "secret" && clusters.length > 0;
  if (!rotated) {
    const reset = `az ad ${family} credential reset --id ${q(appId)} --append${isCert ? " --create-cert" : ""}`;
    fix.push(needsClusters ? `NEW_SECRET=$(${reset} --query password --output tsv)` : reset);
  }
  if (needsClusters) for (const c of clusters) fix.push(aksUpdateCredentials(c, appId));
  fix.push(`az ad ${family} credential delete --id ${q(appId)} --key-id ${q(record.id)}${isCert ? " --cert" : ""}`);
  return fix;
}

function otherSlot(name: string): string | null {
  if (sameText(name, "password1")) return "password2";
  if (sameText(name, "password2")) return "password1";
  return null;
}

export function tokenPasswordFix(
  record: CredentialRecord,
  siblings: readonly CredentialRecord[],
  rotated: boolean,
  now: number,
): string[] {
  if (record.owner.kind !== "acrToken") return [];
  const token = record.owner.token;
  const base = `-r ${q(token.registryName)} -n ${q(token.name)}`;
  const del = `az acr token credential delete ${base} --${record.id.toLowerCase()}${sub(token.subscriptionId)}`;
  if (rotated) return [del];
  const other = otherSlot(record.id);
  const otherRecord = other ? siblings.find((s) => sameText(s.id, other)) : undefined;
  const otherFree = other !== null && (!otherRecord || (otherRecord.end !== null && otherRecord.end <= now));
  const target = otherFree ? other! : record.id.toLowerCase();
  const generate =
    `az acr token credential generate ${base} --${target} --expiration-in-days ${TOKEN_PASSWORD_DAYS}` +
    sub(token.subscriptionId);
  return otherFree ? [generate, del] : [generate];
}

export function registryArg(cluster: ManagedCluster, registry: Registry): string {
  return sameText(cluster.subscriptionId, registry.subscriptionId) ? registry.name : registry.id;
}

export function roleGapFix(cluster: ManagedCluster, registry: Registry, identity: PullingIdentity): string[] {
  const mode = registryMode(registry);
  const role = q(recommendedPullRole(mode));
  const scope = q(registry.id);
  switch (identity.kind) {
    case "kubelet":
      if (mode === "LegacyRegistryPermissions") {
        return [
          `az aks update -n ${q(cluster.name)} -g ${q(cluster.resourceGroup)} --attach-acr ${q(registryArg(cluster, registry))}${sub(cluster.subscriptionId)}`,
        ];
      }
      return [`az role assignment create --assignee ${q(identity.objectId)} --role ${role} --scope ${scope}`];
    case "servicePrincipal":
      return [`az role assignment create --assignee ${q(identity.objectId)} --role ${role} --scope ${scope}`];
    case "missingServicePrincipal":
      return [
        `az ad sp create --id ${q(identity.appId)}`,
        `az role assignment create --assignee ${q(identity.appId)} --role ${role} --scope ${scope}`,
      ];
    default:
      return [];
  }
}

/** Drop an unknown name from the cluster's pulls-from tag, keeping the others. */
export function unknownRegistryFix(cluster: ManagedCluster, tagKey: string, tagValue: string, remaining: readonly string[]): string[] {
  if (remaining.length === 0) {
    return [`az tag update --resource-id ${q(cluster.id)} --operation Delete --tags ${q(`${tagKey}=${tagValue}`)}`];
  }
  return [`az tag update --resource-id ${q(cluster.id)} --operation Merge --tags ${q(`${tagKey}=${remaining.join(",")}`)}`];
}

export function networkRuleAddFix(registry: Registry, ips: readonly string[]): string[] {
  return ips.map((ip) => `az acr network-rule add -n ${q(registry.name)} --ip-address ${q(ip)}${sub(registry.subscriptionId)}`);
}

export function approvePrivateEndpointFix(registry: Registry, connectionNames: readonly string[]): string[] {
  return connectionNames.map(
    (n) => `az acr private-endpoint-connection approve -r ${q(registry.name)} -n ${q(n)}${sub(registry.subscriptionId)}`,
  );
}

export function enablePublicAccessFix(registry: Registry): string {
  return `az acr update -n ${q(registry.name)} --public-network-enabled true${sub(registry.subscriptionId)}`;
}

export function disableAdminFix(registry: Registry): string[] {
  return [`az acr update -n ${q(registry.name)} --admin-enabled false${sub(registry.subscriptionId)}`];
}
