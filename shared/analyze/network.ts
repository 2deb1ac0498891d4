// Network reachability of a registry from a cluster that pulls from it (DESIGN §4 "Network").
// One finding per cluster × registry; subject: the cluster.
//
// - Public network access Disabled and no private endpoint connection in status Approved: blocked,
//   whatever the cluster's egress IPs (nothing but a private endpoint reaches such a registry, so
//   unknown egress IPs do not matter here).
// - A registry with an Approved private endpoint is not judged by IP (the cluster may well pull
//   through the endpoint).
// - Premium SKU only (other SKUs have no firewall): default action Deny and one or more of the
//   cluster's egress IPs in no ipRules range (CIDR-aware, bare IP = /32, rules whose action is
//   neither absent nor "Allow" ignored, malformed values ignored). A cluster whose egress IPs are
//   unknown (null) gives no IP finding; egress values that are not IPv4 addresses are skipped.

import type { Finding, ManagedCluster, Registry } from "../model.js";
import { sameText } from "../arm-ids.js";
import { arr, type Context } from "./context.js";
import { parseIpv4, parseIpv4Range, rangeContains, type Ipv4Range } from "./cidr.js";
import type { ClusterView } from "./consumers.js";
import { networkFindingId } from "./finding-id.js";
import { approvePrivateEndpointFix, enablePublicAccessFix, networkRuleAddFix } from "./fix-commands.js";
import { networkIpMessage, networkPublicDisabledMessage } from "./messages.js";
import { FIXED_SEVERITY } from "./severity.js";

export function allowedRanges(registry: Registry): Ipv4Range[] {
  const rules = arr(registry.networkRuleSet?.ipRules);
  const ranges: Ipv4Range[] = [];
  for (const rule of rules) {
    if (!rule || (rule.action != null && !sameText(rule.action, "Allow"))) continue;
    const range = parseIpv4Range(rule.value);
    if (range) ranges.push(range);
  }
  return ranges;
}

/** Whether the registry's firewall applies (Premium SKU with default action Deny). */
export function firewallDenies(registry: Registry): boolean {
  return sameText(registry.sku, "Premium") && sameText(registry.networkRuleSet?.defaultAction, "Deny");
}

/** The cluster's valid egress IPv4 addresses that the registry firewall drops, in numeric order. */
export function blockedEgressIps(registry: Registry, cluster: ManagedCluster): string[] {
  if (!Array.isArray(cluster.egressIps) || !firewallDenies(registry)) return [];
  const ranges = allowedRanges(registry);
  const blocked = new Map<number, string>();
  for (const raw of cluster.egressIps) {
    const ip = parseIpv4(raw);
    if (ip === null || blocked.has(ip)) continue;
    if (!ranges.some((r) => rangeContains(r, ip))) blocked.set(ip, (raw as string).trim());
  }
  return [...blocked.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
}

export function networkFindings(_ctx: Context, views: readonly ClusterView[]): Finding[] {
  const findings: Finding[] = [];
  for (const { cluster, consumption } of views) {
    for (const registry of consumption.registries) {
      const connections = arr(registry.privateEndpointConnections).filter((c) => !!c);
      const approved = connections.some((c) => sameText(c.status, "Approved"));
      const base = {
        id: networkFindingId(cluster.id, registry.id),
        kind: "network-blocked" as const,
        severity: FIXED_SEVERITY["network-blocked"]!,
        subject: { type: "managedCluster" as const, id: cluster.id, name: cluster.name },
        cluster: cluster.name,
        registry: registry.name,
        impact: { registries: [registry.name], clusters: [cluster.name] },
      };
      if (sameText(registry.publicNetworkAccess, "Disabled") && !approved) {
        const pending = connections
          .filter((c) => sameText(c.status, "Pending") && typeof c.name === "string" && c.name !== "")
          .map((c) => c.name)
          .sort();
        const fix =
          pending.length > 0
            ? approvePrivateEndpointFix(registry, pending)
            : [enablePublicAccessFix(registry), ...networkRuleAddFix(registry, blockedEgressIps(registry, cluster))];
        findings.push({ ...base, message: networkPublicDisabledMessage(cluster, registry, pending), fix });
        continue;
      }
      if (approved) continue;
      const blocked = blockedEgressIps(registry, cluster);
      if (blocked.length === 0) continue;
      findings.push({ ...base, message: networkIpMessage(cluster, registry, blocked), fix: networkRuleAddFix(registry, blocked) });
    }
  }
  return findings;
}
