// What no sweep of a tenant can beat, worked out from the tenant itself:
// - minimum requests: each page of each collection read once at the largest page size (Graph
//   $top=999; ARM's server-side page size), owners of the subjects with findings twenty to a $batch;
//   `minRequests` reads every per-subscription list; `neededRequests` only those that can change a
//   finding, as credwatch does: role assignments where there are registries, the activity log where
//   a registry has its admin user on;
// - lower bound on time: the longest chain of requests that must follow one another (Graph pages
//   follow their nextLink; ARM lists follow the subscription list, tokens and public IPs follow
//   their registry and cluster lists), plus the token round trip before it and the owners $batch
//   after it, times the latency injected per request.
import type { Fixture, FixtureSubscription } from "../test/sandbox/fixture-schema.js";

export const GRAPH_TOP = 999;
export const GRAPH_BATCH = 20;

export interface Bounds {
  minRequests: number;
  /** The minimum when lists that cannot matter are not read (see above). */
  neededRequests: number;
  /** Round trips in the longest dependent chain, token and owners step included. */
  chain: number;
  lowerBoundSeconds: number;
  breakdown: { graphPages: number; ownerBatches: number; subscriptionPages: number; perSubscription: number; tokenPages: number; publicIpPages: number };
}

const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

export function bounds(fixture: Fixture, options: { armPageSize: number; latencyMs: number; ownerSubjects: number; now: Date; lookbackDays: number }): Bounds {
  const apps = fixture.applications?.length ?? 0;
  const sps = fixture.servicePrincipals?.length ?? 0;
  const subscriptions = fixture.subscriptions ?? [];
  const size = options.armPageSize;
  const from = options.now.getTime() - options.lookbackDays * 86_400_000;

  const graphPages = pages(apps, GRAPH_TOP) + pages(sps, GRAPH_TOP);
  const ownerBatches = Math.ceil(options.ownerSubjects / GRAPH_BATCH);
  const subscriptionPages = pages(subscriptions.length, size);
  let perSubscription = 0;
  let perSubscriptionNeeded = 0;
  let tokenPages = 0;
  let publicIpPages = 0;
  let longestSubscriptionChain = 0;
  for (const s of subscriptions) {
    const events = eventsInWindow(s, from, options.now.getTime());
    const lists = {
      registries: pages(s.registries?.length ?? 0, size),
      roleAssignments: pages(s.roleAssignments?.length ?? 0, size),
      activity: pages(events, size),
      clusters: pages(s.managedClusters?.length ?? 0, size),
    };
    perSubscription += lists.registries + lists.roleAssignments + lists.activity + lists.clusters;
    const registries = s.registries ?? [];
    perSubscriptionNeeded +=
      lists.registries + lists.clusters + (registries.length > 0 ? lists.roleAssignments : 0) + (registries.some((r) => r.adminUserEnabled) ? lists.activity : 0);
    const tokens = (s.registries ?? []).map((r) => pages(r.tokens?.length ?? 0, size));
    tokenPages += tokens.reduce((a, b) => a + b, 0);
    const ips = (s.managedClusters ?? []).reduce((n, c) => n + (c.outboundIPs?.length ?? 0), 0);
    const ipPages = ips > 0 ? pages(ips, size) : 0;
    publicIpPages += ipPages;
    longestSubscriptionChain = Math.max(
      longestSubscriptionChain,
      lists.registries + Math.max(0, ...tokens, registries.length > 0 ? lists.roleAssignments : 0, registries.some((r) => r.adminUserEnabled) ? lists.activity : 0),
      lists.clusters + ipPages,
    );
  }
  const graphChain = Math.max(pages(apps, GRAPH_TOP), pages(sps, GRAPH_TOP));
  const armChain = subscriptionPages + longestSubscriptionChain;
  const chain = 1 + Math.max(graphChain, armChain) + (ownerBatches > 0 ? 1 : 0);
  const common = graphPages + ownerBatches + subscriptionPages + tokenPages + publicIpPages;
  return {
    minRequests: common + perSubscription,
    neededRequests: common + perSubscriptionNeeded,
    chain,
    lowerBoundSeconds: (chain * options.latencyMs) / 1000,
    breakdown: { graphPages, ownerBatches, subscriptionPages, perSubscription, tokenPages, publicIpPages },
  };
}

function eventsInWindow(s: FixtureSubscription, from: number, to: number): number {
  return (s.activityLog ?? []).filter((e) => {
    const at = Date.parse(e.eventTimestamp);
    return at >= from && at <= to && /^Microsoft\.ContainerRegistry\//i.test(e.operationName);
  }).length;
}
