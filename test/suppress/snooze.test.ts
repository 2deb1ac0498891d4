// Snoozes and acknowledgements from Slack, pure: how long each button silences a finding, the caps
// (7 days for critical findings, whatever was asked), and application over simulated days with an
// injected clock — a snoozed finding comes back (unsuppressed, so alerts plan it as new) when the
// snooze ends.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../shared/model.js";
import {
  applySnoozes,
  capUntil,
  requestedUntil,
  snoozeFor,
  snoozeLine,
  withSnoozes,
  type Snooze,
} from "../../shared/suppress/snooze.js";
import { applySuppressions } from "../../shared/suppress/apply.js";
import { parseSuppressionRules } from "../../shared/suppress/rules.js";
import { aCredential, aFinding, aReport } from "../report/builders.js";

const AT = new Date("2026-11-25T06:00:00Z");
const DAY = 86_400_000;
const day = (n: number, hours = 0) => new Date(AT.getTime() + n * DAY + hours * 3_600_000);
/** Midnight UTC starting the n-th day after AT's: where snoozes end. */
const midnight = (n: number) => new Date(Date.UTC(2026, 10, 25 + n));
const alice = { name: "@alice", id: "U0ALICE" };

const mediumCredential = aFinding({
  id: "credential:application:orders:k1",
  severity: "medium",
  credential: aCredential({ endDateTime: "2026-12-19T12:00:00Z", daysLeft: 24, window: 30 }),
});
const criticalGap = aFinding({ id: "role-gap:aks-web:acrprod", kind: "role-gap", severity: "critical", reason: "no-pull-role" });
const { credential: _none, ...gapWithoutCredential } = criticalGap;
const roleGap: Finding = gapWithoutCredential;

const target = (f: Finding) => ({ findingId: f.id, severity: f.severity, credentialEnd: f.credential?.endDateTime ?? null });
const suppressedOn = (findings: Finding[], snoozes: Snooze[], now: Date) => applySnoozes(findings, snoozes, now).map((f) => f.suppressed?.source ?? null);

describe("how long a button silences", () => {
  it("Snooze 7 days: until the start of the 7th day after the click (UTC), whatever its hour", () => {
    expect(requestedUntil(target(mediumCredential), "snooze", AT)).toEqual(midnight(7));
    expect(requestedUntil(target(mediumCredential), "snooze", new Date("2026-11-25T23:59:00Z"))).toEqual(midnight(7));
    expect(requestedUntil(target(mediumCredential), "snooze", new Date("2026-11-25T00:00:00Z"))).toEqual(midnight(7));
    expect(snoozeFor(target(mediumCredential), "snooze", AT, alice)).toEqual({
      findingId: mediumCredential.id,
      action: "snooze",
      until: "2026-12-02T00:00:00.000Z",
      by: "@alice (U0ALICE)",
      reason: "snoozed in Slack by @alice",
      at: "2026-11-25T06:00:00.000Z",
    });
  });

  it("Acknowledge until expiry: a credential until its end date; anything else 30 days", () => {
    expect(snoozeFor(target(mediumCredential), "acknowledge", AT, alice)).toMatchObject({ until: "2026-12-19T12:00:00.000Z", reason: "acknowledged in Slack by @alice" });
    const gapLow = { ...roleGap, severity: "low" as const };
    expect(snoozeFor(target(gapLow), "acknowledge", AT, alice).until).toBe(midnight(30).toISOString());
    // An expired credential has no end ahead: 30 days.
    const expired = aFinding({ severity: "high", credential: aCredential({ endDateTime: "2026-11-20T00:00:00Z" }) });
    expect(snoozeFor(target(expired), "acknowledge", AT, alice).until).toBe(midnight(30).toISOString());
  });

  it("critical: at most 7 days, whatever was asked (30 days asked → 7)", () => {
    expect(requestedUntil(target(roleGap), "acknowledge", AT)).toEqual(midnight(30));
    expect(snoozeFor(target(roleGap), "acknowledge", AT, alice).until).toBe(midnight(7).toISOString());
    const criticalSecret = aFinding({ credential: aCredential({ endDateTime: "2026-12-20T00:00:00Z" }) });
    expect(snoozeFor(target(criticalSecret), "acknowledge", AT, alice).until).toBe(midnight(7).toISOString());
    expect(capUntil("critical", AT, day(30))).toEqual(midnight(7));
    expect(capUntil("critical", AT, day(2))).toEqual(day(2));
  });

  it("nothing longer than a year from a button (a long-lived credential's end years away)", () => {
    const longLived = aFinding({ kind: "credential-long-lived", severity: "low", credential: aCredential({ endDateTime: "2029-03-01T00:00:00Z", daysLeft: 826, window: null }) });
    expect(snoozeFor(target(longLived), "acknowledge", AT, alice).until).toBe(midnight(365).toISOString());
  });

  it("names the person without repeating an id used as a name", () => {
    expect(snoozeFor(target(roleGap), "snooze", AT, { name: "U0BOB", id: "U0BOB" }).by).toBe("U0BOB");
    expect(snoozeLine(snoozeFor(target(mediumCredential), "snooze", AT, alice), "@alice")).toBe("Snoozed until 2026-12-02 by @alice");
    expect(snoozeLine(snoozeFor(target(mediumCredential), "acknowledge", AT, alice), "@alice")).toBe("Acknowledged until 2026-12-19 by @alice");
  });
});

describe("snoozes applied over simulated days", () => {
  it("a snoozed critical finding (30 days asked) is suppressed for exactly 7 days, then back", () => {
    const snooze = snoozeFor(target(roleGap), "acknowledge", AT, alice);
    expect(suppressedOn([roleGap], [snooze], day(0))).toEqual(["slack"]);
    expect(suppressedOn([roleGap], [snooze], day(6))).toEqual(["slack"]);
    expect(suppressedOn([roleGap], [snooze], new Date(midnight(7).getTime() - 1))).toEqual(["slack"]);
    expect(suppressedOn([roleGap], [snooze], midnight(7))).toEqual([null]);
    expect(suppressedOn([roleGap], [snooze], day(7))).toEqual([null]);
    expect(suppressedOn([roleGap], [snooze], day(8))).toEqual([null]);
    expect(applySnoozes([roleGap], [snooze], day(3))[0]!.suppressed).toEqual({
      reason: "acknowledged in Slack by @alice",
      until: midnight(7).toISOString(),
      by: "@alice (U0ALICE)",
      source: "slack",
    });
  });

  it("a finding that turns critical while acknowledged gets 7 days from the click, no more", () => {
    const snooze = snoozeFor(target(mediumCredential), "acknowledge", AT, alice);
    expect(snooze.until).toBe("2026-12-19T12:00:00.000Z");
    const later = { ...mediumCredential, severity: "critical" as const };
    expect(suppressedOn([mediumCredential], [snooze], day(10))).toEqual(["slack"]);
    expect(suppressedOn([later], [snooze], day(6))).toEqual(["slack"]);
    expect(suppressedOn([later], [snooze], day(7))).toEqual([null]);
  });

  it("matches by finding id only, and the latest snooze of a finding wins", () => {
    const first = snoozeFor(target(mediumCredential), "snooze", AT, alice);
    const renewed = snoozeFor(target(mediumCredential), "snooze", day(6), { name: "@bob", id: "U0BOB" });
    expect(suppressedOn([mediumCredential, roleGap], [first], day(1))).toEqual(["slack", null]);
    expect(suppressedOn([mediumCredential], [renewed, first], day(10))).toEqual(["slack"]);
    expect(applySnoozes([mediumCredential], [renewed, first], day(10))[0]!.suppressed?.by).toBe("@bob (U0BOB)");
    expect(suppressedOn([mediumCredential], [renewed, first], day(13))).toEqual([null]);
  });

  it("a rule's suppression holds over a snooze; a report without snoozes is left as it is", () => {
    const parsed = parseSuppressionRules(JSON.stringify([{ id: mediumCredential.id, reason: "accepted risk" }]), "test");
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    const ruled = applySuppressions([mediumCredential], parsed.rules, AT).findings;
    const snooze = snoozeFor(target(mediumCredential), "snooze", AT, alice);
    expect(applySnoozes(ruled, [snooze], day(1))[0]!.suppressed?.source).toBe("rule 1");
    const report = aReport({ findings: [mediumCredential] });
    expect(withSnoozes(report, [], day(1))).toBe(report);
    expect(withSnoozes(report, [snooze], day(1)).findings[0]!.suppressed?.source).toBe("slack");
    // Applying twice changes nothing (the CLI and HTTP mark the report before alerting marks it again).
    const once = withSnoozes(report, [snooze], day(1));
    expect(withSnoozes(once, [snooze], day(1))).toEqual(once);
  });
});

describe("rules expiring over simulated days", () => {
  it("a rule with until suppresses through its last day, then its findings come back", () => {
    const parsed = parseSuppressionRules(JSON.stringify([{ kind: "role-gap", reason: "fix in progress", until: "2026-11-30" }]), "test");
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    const on = (now: Date) => applySuppressions([roleGap, mediumCredential], parsed.rules, now).findings.map((f) => f.suppressed?.source ?? null);
    expect(on(day(0))).toEqual(["rule 1", null]);
    expect(on(new Date("2026-11-30T23:59:59Z"))).toEqual(["rule 1", null]);
    expect(on(new Date("2026-12-01T00:00:00Z"))).toEqual([null, null]);
  });
});
