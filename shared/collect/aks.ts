// AKS clusters of one subscription, with the public egress IPs their pulls come from.
import type { ContainerServiceClient, ManagedCluster as SdkCluster } from "@azure/arm-containerservice";
import type { ManagedCluster } from "../model.js";
import { normalizeArmId, parseResourceId } from "../arm-ids.js";
import { readAll } from "./paging.js";

export interface ClusterListing {
  clusters: ManagedCluster[];
  /** Public-IP resource ids the clusters egress through, still to be resolved to addresses. */
  egressRefs: Map<string, string[]>;
}

export async function listClusters(client: ContainerServiceClient, subscriptionId: string): Promise<ClusterListing> {
  const sdkClusters = await readAll(client.managedClusters.list());
  const egressRefs = new Map<string, string[]>();
  const clusters = sdkClusters
    .filter((c) => typeof c.id === "string" && typeof c.name === "string")
    .map((c) => {
      const refs = egressReferences(c);
      if (refs) egressRefs.set(c.id as string, refs);
      return toCluster(c, subscriptionId);
    });
  return { clusters, egressRefs };
}

/**
 * The public IPs a cluster's outbound traffic leaves from: the load balancer's or the NAT gateway's
 * effective outbound IPs. Null when the cluster routes egress some other way (user-defined routing,
 * a firewall appliance): then its egress addresses are unknown to credwatch.
 */
function egressReferences(c: SdkCluster): string[] | null {
  const profile = c.networkProfile;
  const refs = [
    ...(profile?.loadBalancerProfile?.effectiveOutboundIPs ?? []),
    ...(profile?.natGatewayProfile?.effectiveOutboundIPs ?? []),
  ]
    .map((r) => r.id)
    .filter((id): id is string => typeof id === "string" && id.length > 0);
  return refs.length > 0 ? refs : null;
}

function toCluster(c: SdkCluster, subscriptionId: string): ManagedCluster {
  const id = c.id as string;
  const kubelet = c.identityProfile?.["kubeletidentity"];
  return {
    id,
    name: c.name as string,
    subscriptionId,
    resourceGroup: parseResourceId(id).resourceGroup ?? "",
    location: c.location ?? null,
    tags: { ...(c.tags ?? {}) },
    servicePrincipalClientId: c.servicePrincipalProfile?.clientId ?? null,
    kubeletIdentity: kubelet?.objectId ? { clientId: kubelet.clientId ?? null, objectId: kubelet.objectId.toLowerCase() } : null,
    egressIps: null,
  };
}

/** Fills each cluster's egressIps from resolved public-IP addresses; any unresolved reference leaves it unknown. */
export function attachEgressIps(
  clusters: ManagedCluster[],
  egressRefs: Map<string, string[]>,
  addresses: Map<string, string>,
): ManagedCluster[] {
  return clusters.map((cluster) => {
    const refs = egressRefs.get(cluster.id);
    if (!refs) return cluster;
    const ips = refs.map((ref) => addresses.get(normalizeArmId(ref)));
    return ips.every((ip): ip is string => typeof ip === "string") ? { ...cluster, egressIps: ips } : cluster;
  });
}
