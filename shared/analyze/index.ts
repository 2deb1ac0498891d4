// analyze(inventory, policy, now): the pure core of credwatch. No I/O, no clock reads: `now` and the
// thresholds come in as arguments; bad records are skipped (or reported in `errors`), never thrown on.
//
// Composition: credential expiry (credential-findings.ts) · role gaps (role-gaps.ts) · network
// (network.ts) · admin keys (admin-keys.ts). Findings are deduplicated by id (the first wins: the
// same credential listed twice by a collector gives one finding) and sorted by severity, then
// daysLeft, then subject name, then id.

import type { Analysis, CollectionError, Finding, Inventory, Policy } from "../model.js";
import { adminKeyFindings } from "./admin-keys.js";
import { buildContext, clusterList } from "./context.js";
import { clusterViews } from "./consumers.js";
import { credentialFindings } from "./credential-findings.js";
import { networkFindings } from "./network.js";
import { sortFindings } from "./order.js";
import { pullingIdentity } from "./principals.js";
import { roleGapFindings } from "./role-gaps.js";

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  thresholds: [30, 14, 7, 1],
  maxLifetimeDays: 730,
  adminEventLookbackDays: 7,
});

export function analyze(inventory: Inventory, policy: Policy, now: Date): Analysis {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError("analyze: now must be a valid Date");
  const ctx = buildContext(inventory, policy, now);
  const views = clusterViews(ctx, clusterList(ctx), (c) => pullingIdentity(ctx, c));

  const credentials = credentialFindings(ctx);
  const gaps = roleGapFindings(ctx, views);
  const all: Finding[] = [...credentials.findings, ...gaps.findings, ...networkFindings(ctx, views), ...adminKeyFindings(ctx)];

  const byId = new Map<string, Finding>();
  for (const f of all) if (!byId.has(f.id)) byId.set(f.id, f);

  const errors = new Map<string, CollectionError>();
  for (const e of [...credentials.errors, ...gaps.errors]) {
    const key = `${e.source}\u0000${e.scope}\u0000${e.message}`;
    if (!errors.has(key)) errors.set(key, e);
  }
  return { findings: sortFindings([...byId.values()]), errors: [...errors.values()] };
}

export { countCredentialsInScope } from "./credential-expiry.js";
export { createDirectoryScreen, screenSubject, type DirectoryScreen, type ScreenCounts, type ScreenVerdict } from "./directory-screen.js";
export { DAY_MS, parseTimestamp } from "./dates.js";
export { credentialFindingId, roleGapFindingId, networkFindingId, adminUserEnabledFindingId, adminKeyRegeneratedFindingId } from "./finding-id.js";
export { ROLE, registryMode, roleGuid, grantsPull, isBroadRole, scopeCovers } from "./pull-roles.js";
export { parseIpv4, parseIpv4Range, rangeContains } from "./cidr.js";
export { compareFindings, sortFindings } from "./order.js";
export { shellQuote } from "./shell.js";
