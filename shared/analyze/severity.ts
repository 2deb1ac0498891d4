// Severity (DESIGN §4 "Severity" and the fixed severities of the other kinds).
//
// Credential findings — first the base:
//   critical: expired, or window ≤ 7, with impact;
//   high:     expired, or window ≤ 7, without impact; window ≤ 14 (i.e. 7 < window ≤ 14) with impact;
//   medium:   every other window;
//   low:      credential-long-lived;
// then a rotated credential drops one step (critical → high → medium → low; low stays low).
// With the default thresholds (30, 14, 7, 1) "window ≤ 14 and > 7" is exactly "window 14"; custom
// thresholds fall into the bucket their size says.

import type { FindingKind, RoleGapReason, Severity } from "../model.js";
import { SEVERITIES } from "../model.js";

export function dropOne(severity: Severity): Severity {
  const i = SEVERITIES.indexOf(severity);
  return SEVERITIES[Math.min(i + 1, SEVERITIES.length - 1)]!;
}

export function credentialSeverity(input: {
  kind: "credential-expired" | "credential-expiring" | "credential-long-lived";
  window: number | null;
  impacted: boolean;
  rotated: boolean;
}): Severity {
  let base: Severity;
  if (input.kind === "credential-long-lived") base = "low";
  else if (input.kind === "credential-expired" || (input.window !== null && input.window <= 7)) {
    base = input.impacted ? "critical" : "high";
  } else if (input.window !== null && input.window <= 14 && input.impacted) base = "high";
  else base = "medium";
  return input.rotated ? dropOne(base) : base;
}

export function roleGapSeverity(reason: RoleGapReason): Severity {
  return reason === "no-pull-role" ? "critical" : reason === "unknown-registry" ? "medium" : "low";
}

export const FIXED_SEVERITY: Readonly<Partial<Record<FindingKind, Severity>>> = {
  "network-blocked": "critical",
  "admin-user-enabled": "medium",
  "admin-key-regenerated": "high",
};

export function severityRank(severity: Severity): number {
  const i = SEVERITIES.indexOf(severity);
  return i < 0 ? SEVERITIES.length : i;
}
