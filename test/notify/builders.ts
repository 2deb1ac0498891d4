// Findings, reports, days and channels for the alert tests. The fake channels implement our own
// Channel interface and record every digest they are given.
import type { CollectionError, Finding, Report, Severity } from "../../shared/model.js";
import type { Channel, DeliveryOutcome, Digest } from "../../shared/notify/types.js";
import { credentialFindingId, roleGapFindingId } from "../../shared/analyze/finding-id.js";

export const SUB = "33333333-3333-4333-8333-333333333333";
export const OTHER_SUB = "44444444-4444-4444-8444-444444444444";
export const APP = "a1000000-0000-4000-8000-000000000001";
export const OTHER_APP = "a1000000-0000-4000-8000-000000000002";
export const KEY = "0a000000-0000-4000-8000-00000000a11c";
export const REGISTRY_ID = `/subscriptions/${SUB}/resourceGroups/rg-prod/providers/Microsoft.ContainerRegistry/registries/acrprod`;
export const TOKEN_ID = `${REGISTRY_ID}/tokens/ci-pull`;
export const CLUSTER_ID = `/subscriptions/${SUB}/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod`;

/** 06:00 UTC on day n (day 0: 2026-03-01), the nightly sweep's hour. */
export function day(n: number, hour = 6, minute = 0): Date {
  return new Date(Date.UTC(2026, 2, 1 + n, hour, minute));
}

export function minutesAfter(time: Date, minutes: number): Date {
  return new Date(time.getTime() + minutes * 60_000);
}

/** An app secret: expiring in a window (critical from 7 down), or expired (window null). */
export function appSecret(window: number | "expired", options: { app?: string; key?: string; impacted?: boolean } = {}): Finding {
  const app = options.app ?? APP;
  const key = options.key ?? KEY;
  const expired = window === "expired";
  const impacted = options.impacted ?? true;
  const severity: Severity = expired || window <= 7 ? (impacted ? "critical" : "high") : window <= 14 && impacted ? "high" : "medium";
  return {
    id: credentialFindingId("application", app, key),
    kind: expired ? "credential-expired" : "credential-expiring",
    severity,
    subject: { type: "application", id: app, name: "ci-pull", appId: "b1000000-0000-4000-8000-000000000001" },
    credential: {
      type: "secret",
      id: key,
      name: "ci",
      startDateTime: "2025-03-01T00:00:00Z",
      endDateTime: "2026-03-20T00:00:00Z",
      daysLeft: expired ? -1 : window,
      window: expired ? null : window,
      rotated: false,
    },
    impact: impacted ? { registries: ["acrprod"], clusters: ["aks-prod"] } : { registries: [], clusters: [] },
    message: expired ? 'Client secret "ci" of app ci-pull expired' : `Client secret "ci" of app ci-pull expires within ${window} days`,
    fix: [],
  };
}

export function tokenPassword(window: number): Finding {
  return {
    id: credentialFindingId("acrToken", TOKEN_ID, "password1"),
    kind: "credential-expiring",
    severity: window <= 7 ? "critical" : "medium",
    subject: { type: "acrToken", id: TOKEN_ID, name: "ci-pull" },
    credential: { type: "tokenPassword", id: "password1", name: null, startDateTime: null, endDateTime: "2026-03-20T00:00:00Z", daysLeft: window, window, rotated: false },
    registry: "acrprod",
    impact: { registries: ["acrprod"], clusters: [] },
    message: `Password password1 of ACR token ci-pull expires within ${window} days`,
    fix: [],
  };
}

export function roleGap(reason: "broad-role-only" | "no-pull-role"): Finding {
  return {
    id: roleGapFindingId(CLUSTER_ID, "acrprod"),
    kind: "role-gap",
    severity: reason === "no-pull-role" ? "critical" : "low",
    subject: { type: "managedCluster", id: CLUSTER_ID, name: "aks-prod" },
    cluster: "aks-prod",
    registry: "acrprod",
    reason,
    impact: { registries: ["acrprod"], clusters: ["aks-prod"] },
    message: reason === "no-pull-role" ? "aks-prod cannot pull from acrprod" : "aks-prod pulls from acrprod only through a broad role",
    fix: [],
  };
}

export function report(findings: Finding[], errors: CollectionError[] = [], sweptAt = day(0)): Report {
  return {
    schemaVersion: 1,
    sweptAt: sweptAt.toISOString(),
    tenantId: "55555555-5555-4555-8555-555555555555",
    complete: errors.length === 0,
    coverage: { applications: 2, servicePrincipals: 2, subscriptions: 1, registries: 1, tokens: 1, managedClusters: 1, credentials: 9 },
    findings,
    errors,
  };
}

export function armError(scope: string): CollectionError {
  return { source: "arm", scope, status: 403, message: "403 AuthorizationFailed" };
}

export function graphError(scope: string): CollectionError {
  return { source: "graph", scope, status: 503, message: "503 Service Unavailable" };
}

export type Behaviour =
  /** Delivers. */
  | "ok"
  /** Reports a failure (delivered: false). */
  | "fail"
  /** Throws before anything arrives, as a process dying before the send would leave it. */
  | "throw-before"
  /** Delivers, then throws, as a process dying right after the send would leave it. */
  | "throw-after";

/**
 * A channel that records what reached it. "slack" answers wasDelivered from what it received
 * (read-back); "teams" cannot tell (null).
 */
export class FakeChannel implements Channel {
  readonly received: Digest[] = [];
  readonly checks: string[] = [];
  behaviour: Behaviour = "ok";

  constructor(readonly name: "slack" | "teams") {}

  async send(digest: Digest): Promise<DeliveryOutcome> {
    // A real channel awaits the network: let other runs interleave here.
    await new Promise((resolve) => setTimeout(resolve, 5));
    switch (this.behaviour) {
      case "fail":
        return { delivered: false, retryable: true, error: "503 from the fake" };
      case "throw-before":
        throw new Error("process died before the send");
      case "throw-after":
        this.received.push(digest);
        throw new Error("process died after the send");
      default:
        this.received.push(digest);
        return { delivered: true, detail: `${digest.alerts.length} alerts` };
    }
  }

  async wasDelivered(runId: string): Promise<boolean | null> {
    this.checks.push(runId);
    return this.name === "slack" ? this.received.some((digest) => digest.runId === runId) : null;
  }

  /** "reason id" of every alert received, in order. */
  alertsReceived(): string[] {
    return this.received.flatMap((digest) => digest.alerts.map((alert) => `${alert.reason} ${alert.id}`));
  }

  clear(): void {
    this.received.length = 0;
    this.checks.length = 0;
  }
}
