// The pure part: the per-finding state machine, planning, intents, outcomes and recovery rules.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../shared/model.js";
import type { LedgerEntry } from "../../shared/notify/ledger.js";
import { intentFor, outcomeFor, partlyRecorded, recoveryFor } from "../../shared/notify/outcome.js";
import { planAlerts, wantsEmptyDigest } from "../../shared/notify/plan.js";
import { findingScope } from "../../shared/notify/scope.js";
import { EXPIRED_STAGE, isCloser, snapshotOf, stageOf, stepFor, utcDay } from "../../shared/notify/steps.js";
import { appSecret, armError, day, graphError, minutesAfter, report, roleGap, SUB, tokenPassword } from "./builders.js";

function told(finding: Finding, at: Date, runId = "run-0"): LedgerEntry {
  return {
    channel: "slack",
    findingId: finding.id,
    scope: findingScope(finding),
    notified: snapshotOf(finding),
    stage: stageOf(finding),
    notifiedAt: at.toISOString(),
    runId,
    etag: `etag-${finding.id}`,
  };
}

const longLived: Finding = { ...appSecret(30), kind: "credential-long-lived", severity: "low", credential: { ...appSecret(30).credential!, window: null } };

describe("stages", () => {
  it("is the window in days, expired lowest, nothing for findings that do not count down", () => {
    expect(stageOf(appSecret(14))).toBe(14);
    expect(stageOf(appSecret("expired"))).toBe(EXPIRED_STAGE);
    expect(stageOf(longLived)).toBeNull();
    expect(stageOf(roleGap("no-pull-role"))).toBeNull();
  });

  it("orders stages with configurable thresholds: any smaller window is closer", () => {
    expect(isCloser(10, 14)).toBe(true);
    expect(isCloser(0, 1)).toBe(true);
    expect(isCloser(30, null)).toBe(true);
    expect(isCloser(14, 14)).toBe(false);
    expect(isCloser(30, 14)).toBe(false);
    expect(isCloser(null, 7)).toBe(false);
  });

  it("counts days in UTC", () => {
    expect(utcDay(new Date("2026-03-01T23:59:59-05:00"))).toBe("2026-03-02");
  });
});

describe("stepFor", () => {
  it("new without an entry", () => {
    expect(stepFor(appSecret(30), undefined, day(0))).toBe("new");
  });
  it("escalated into a lower window, into expired, out of long-lived, or on a severity rise", () => {
    expect(stepFor(appSecret(7), told(appSecret(14), day(0)), day(0))).toBe("escalated");
    expect(stepFor(appSecret("expired"), told(appSecret(1), day(0)), day(0))).toBe("escalated");
    expect(stepFor(appSecret(30), told(longLived, day(0)), day(0))).toBe("escalated");
    expect(stepFor(roleGap("no-pull-role"), told(roleGap("broad-role-only"), day(0)), day(0))).toBe("escalated");
    expect(stepFor(appSecret(14, { impacted: true }), told(appSecret(14, { impacted: false }), day(0)), day(0))).toBe("escalated");
  });
  it("repeats only critical findings, only on a later UTC day", () => {
    expect(stepFor(appSecret(7), told(appSecret(7), day(0, 23, 59)), day(1, 0, 1))).toBe("repeat");
    expect(stepFor(appSecret(7), told(appSecret(7), day(0, 0, 1)), day(0, 23, 59))).toBeNull();
    expect(stepFor(appSecret(14), told(appSecret(14), day(0)), day(5))).toBeNull();
    // A clock gone backwards is not a new day.
    expect(stepFor(appSecret(7), told(appSecret(7), day(3)), day(2))).toBeNull();
  });
  it("stays quiet when it eases (severity falls, window widens)", () => {
    expect(stepFor(appSecret(7, { impacted: false }), told(appSecret(7), day(0)), day(0))).toBeNull();
    expect(stepFor(appSecret(30), told(appSecret(14), day(0)), day(0))).toBeNull();
  });
});

describe("planAlerts", () => {
  it("gives previous for told findings, resolved notes last, most urgent first", () => {
    const gone = tokenPassword(7);
    const entries = [told(appSecret(14), day(0)), told(gone, day(0))];
    const alerts = planAlerts(report([roleGap("broad-role-only"), appSecret(7), roleGap("broad-role-only")]), entries, day(1));
    expect(alerts.map((a) => [a.reason, a.id])).toEqual([
      ["escalated", appSecret(7).id],
      ["new", roleGap("broad-role-only").id],
      ["resolved", gone.id],
    ]);
    expect(alerts[0]!.previous).toEqual(snapshotOf(appSecret(14)));
    expect(alerts[0]!.finding).toEqual(appSecret(7));
    expect(alerts[2]).toEqual({ id: gone.id, reason: "resolved", previous: snapshotOf(gone) });
  });

  it("resolves only what the sweep read", () => {
    const entries = [told(appSecret(7), day(0)), told(tokenPassword(7), day(0))];
    const resolved = (errors: Parameters<typeof report>[1]) => planAlerts(report([], errors), entries, day(1)).map((a) => a.id);
    expect(resolved([])).toHaveLength(2);
    expect(resolved([armError(SUB)])).toEqual([appSecret(7).id]);
    expect(resolved([graphError("servicePrincipals")])).toEqual([tokenPassword(7).id]);
    expect(resolved([graphError("authentication")])).toEqual([]);
  });

  it("does not resolve an ARM finding whose subscription left the listing without an error", () => {
    const entries = [told(appSecret(7), day(0)), told(tokenPassword(7), day(0))];
    const resolved = (subscriptionsRead: string[]) =>
      planAlerts({ ...report([], []), subscriptionsRead }, entries, day(1)).map((a) => a.id);
    expect(resolved([SUB.toLowerCase()]).sort()).toEqual([appSecret(7).id, tokenPassword(7).id].sort());
    // The identity lost its role on SUB: no error, and no finding either — which is not a fix.
    expect(resolved([])).toEqual([appSecret(7).id]);
  });

  it("returns nothing for a same-day re-run", () => {
    const findings = [appSecret(7), roleGap("no-pull-role")];
    const entries = findings.map((f) => told(f, day(0)));
    expect(planAlerts(report(findings), entries, day(0, 20))).toEqual([]);
  });
});

describe("wantsEmptyDigest", () => {
  const state = (at: Date) => ({ channel: "slack" as const, lastDigestAt: at.toISOString(), lastRunId: "r" });
  it("heartbeat or an incomplete sweep, once per UTC day", () => {
    expect(wantsEmptyDigest(report([]), false, null, day(0))).toBe(false);
    expect(wantsEmptyDigest(report([]), true, null, day(0))).toBe(true);
    expect(wantsEmptyDigest(report([]), true, state(day(0)), day(0, 12))).toBe(false);
    expect(wantsEmptyDigest(report([]), true, state(day(0)), day(1))).toBe(true);
    expect(wantsEmptyDigest(report([], [armError(SUB)]), false, state(day(0)), day(1))).toBe(true);
  });
});

describe("intents and outcomes", () => {
  const findings = [appSecret(7), tokenPassword(14)];
  const gone = roleGap("no-pull-role");
  const entries = [told(appSecret(14), day(0)), told(gone, day(0))];
  const alerts = planAlerts(report(findings), entries, day(1));
  const intent = { ...intentFor("slack", "run-1", day(1), alerts), etag: "i1" };

  it("carries each alert's future entry, null for resolved", () => {
    expect(intent.alerts.map((a) => [a.reason, a.record?.stage ?? "none"])).toEqual([
      ["escalated", 7],
      ["new", 14],
      ["resolved", "none"],
    ]);
    expect(intent.alerts[0]!.record).toEqual({ scope: findingScope(appSecret(7)), notified: snapshotOf(appSecret(7)), stage: 7 });
  });

  it("writes entries by etag, creates new ones, removes resolved ones", () => {
    const outcome = outcomeFor(intent, { entries, state: null });
    expect(outcome.put.map((e) => [e.findingId, e.etag, e.runId, e.notifiedAt])).toEqual([
      [appSecret(7).id, `etag-${appSecret(7).id}`, "run-1", day(1).toISOString()],
      [tokenPassword(14).id, undefined, "run-1", day(1).toISOString()],
    ]);
    expect(outcome.remove.map((e) => e.findingId)).toEqual([gone.id]);
    expect(outcome.state).toEqual({ channel: "slack", lastDigestAt: day(1).toISOString(), lastRunId: "run-1" });
  });

  it("is idempotent over a half-written outcome, which also proves delivery", () => {
    const half = [{ ...told(appSecret(7), day(1), "run-1"), etag: "new" }, told(gone, day(0))];
    expect(partlyRecorded(intent, { entries, state: null })).toBe(false);
    expect(partlyRecorded(intent, { entries: half, state: null })).toBe(true);
    expect(partlyRecorded(intent, { entries: [told(appSecret(14), day(0))], state: null })).toBe(true);
    const rest = outcomeFor(intent, { entries: half, state: null });
    expect(rest.put.map((e) => e.findingId)).toEqual([tokenPassword(14).id]);
    expect(rest.remove.map((e) => e.findingId)).toEqual([gone.id]);
  });

  it("recovery: delivered → record; otherwise wait within the lease, then discard", () => {
    const lease = 10 * 60_000;
    expect(recoveryFor(intent, true, day(1), lease)).toEqual({ action: "record" });
    expect(recoveryFor(intent, false, minutesAfter(day(1), 9), lease)).toEqual({ action: "wait", until: minutesAfter(day(1), 10) });
    expect(recoveryFor(intent, null, minutesAfter(day(1), 9), lease).action).toBe("wait");
    expect(recoveryFor(intent, false, minutesAfter(day(1), 10), lease)).toEqual({ action: "discard" });
    expect(recoveryFor(intent, null, minutesAfter(day(2), 0), lease)).toEqual({ action: "discard" });
  });
});
