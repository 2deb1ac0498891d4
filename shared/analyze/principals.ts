// Who acts for whom: an application acts through its service principal (same appId); a cluster
// pulls as its kubelet identity (managed-identity clusters) or as the service principal whose appId
// is its servicePrincipalProfile.clientId.

import type { ManagedCluster, ServicePrincipal } from "../model.js";
import { lower, sameText } from "../arm-ids.js";
import type { Context } from "./context.js";

/** The application's service principal in this tenant, if it has one. */
export function servicePrincipalForApp(ctx: Context, appId: string | null | undefined): ServicePrincipal | null {
  const list = ctx.servicePrincipalsByAppId.get(lower(appId));
  return list?.[0] ?? null;
}

export function isManagedIdentity(sp: Pick<ServicePrincipal, "servicePrincipalType">): boolean {
  return sameText(sp.servicePrincipalType, "ManagedIdentity");
}

export type PullingIdentity =
  /** The kubelet managed identity (object id). */
  | { kind: "kubelet"; objectId: string }
  /** The cluster's service principal (object id) for its appId. */
  | { kind: "servicePrincipal"; objectId: string; appId: string; displayName: string }
  /** The cluster names an appId for which the tenant has no service principal (deleted, or never created). */
  | { kind: "missingServicePrincipal"; appId: string }
  /** Nothing to judge by: managed-identity cluster without kubelet identity, or no profile at all. */
  | { kind: "unknown"; reason: string };

export function isMsiCluster(cluster: ManagedCluster): boolean {
  return sameText(cluster.servicePrincipalClientId, "msi");
}

export function pullingIdentity(ctx: Context, cluster: ManagedCluster): PullingIdentity {
  const clientId = typeof cluster.servicePrincipalClientId === "string" ? cluster.servicePrincipalClientId.trim() : "";
  const kubelet = cluster.kubeletIdentity?.objectId;
  if (clientId === "" || isMsiCluster(cluster)) {
    if (typeof kubelet === "string" && kubelet.trim() !== "") return { kind: "kubelet", objectId: kubelet.trim() };
    return {
      kind: "unknown",
      reason: clientId === "" ? "it has neither a service principal profile nor a kubelet identity" : "it uses a managed identity but reports no kubelet identity",
    };
  }
  const sp = servicePrincipalForApp(ctx, clientId);
  if (!sp) return { kind: "missingServicePrincipal", appId: clientId };
  return { kind: "servicePrincipal", objectId: sp.id, appId: clientId, displayName: sp.displayName };
}
