// Alerts honour suppressions, over simulated days on both ledger adapters (a JSON file, and Table
// Storage on Azurite): a suppressed finding sends nothing (not new, escalated, repeat or resolved),
// is counted in every digest, and its ledger entry is forgotten within the intent/outcome protocol —
// silently, never as a resolved note — so that when the suppression ends it alerts as new. Snoozes
// from Slack are kept in the same ledger and act the same way.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../shared/model.js";
import type { Ledger, Outcome, SnoozeStore } from "../../shared/notify/ledger.js";
import { notify, type NotifyDeps } from "../../shared/notify/notify.js";
import { intentFor, outcomeFor } from "../../shared/notify/outcome.js";
import { planChannel } from "../../shared/notify/plan.js";
import { snoozeFor, withSnoozes, type Snooze } from "../../shared/suppress/snooze.js";
import { appSecret, day, FakeChannel, minutesAfter, report, roleGap, tokenPassword } from "./builders.js";
import { useLedgers } from "./ledgers.js";

const kinds = useLedgers();

function suppressed(finding: Finding, until: Date | null = null): Finding {
  return { ...finding, suppressed: { reason: "accepted risk", until: until?.toISOString() ?? null, by: "alice", source: "rule 1" } };
}

/** A ledger whose process dies when it is about to write an outcome. */
class DiesBeforeOutcome implements Ledger {
  constructor(private readonly inner: Ledger) {}
  get location() {
    return this.inner.location;
  }
  read = (channel: Parameters<Ledger["read"]>[0]) => this.inner.read(channel);
  putIntent = (intent: Parameters<Ledger["putIntent"]>[0]) => this.inner.putIntent(intent);
  clearIntent = (intent: Parameters<Ledger["clearIntent"]>[0]) => this.inner.clearIntent(intent);
  recordOutcome = async (_outcome: Outcome): Promise<void> => {
    throw new Error("process died before writing the outcome");
  };
}

describe("planChannel", () => {
  it("tells nothing of a suppressed finding, never resolves it, and forgets its entry", () => {
    const entries = [appSecret(7), roleGap("no-pull-role")].map((f) => ({
      channel: "slack" as const,
      findingId: f.id,
      scope: { source: "arm" as const, subscriptionId: null, resourceId: f.subject.id },
      notified: { id: f.id, kind: f.kind, severity: f.severity, subjectType: f.subject.type, subjectName: f.subject.name, message: f.message },
      stage: null,
      notifiedAt: day(0).toISOString(),
      runId: "run-0",
    }));
    const plan = planChannel(report([suppressed(appSecret(1)), suppressed(roleGap("no-pull-role")), suppressed(tokenPassword(7))]), entries, day(1));
    // Escalated (7 → 1), repeat (critical, next day) and new would all have been told.
    expect(plan.alerts).toEqual([]);
    expect(plan.forget.map((e) => e.findingId).sort()).toEqual([appSecret(7).id, roleGap("no-pull-role").id].sort());
  });
});

describe.each(kinds)("suppressed findings over days: $name ledger", (kind) => {
  function setup(names: ("slack" | "teams")[] = ["slack"]) {
    const ledger = kind.open();
    const channels = names.map((name) => new FakeChannel(name));
    let runs = 0;
    const run = (findings: Finding[], now: Date, extra: Partial<NotifyDeps> = {}) =>
      notify(report(findings, [], now), { ledger, channels, now, runId: `run-${++runs}`, heartbeat: false, ...extra });
    return { ledger, channels, slack: channels[0]!, run };
  }
  const gap = roleGap("no-pull-role");

  it("never alerts a suppressed finding, and counts it in the digest", async () => {
    const { slack, run } = setup();
    await run([suppressed(gap), appSecret(30)], day(0));
    expect(slack.alertsReceived()).toEqual([`new ${appSecret(30).id}`]);
    expect(slack.received[0]!.suppressed).toBe(1);
    // Critical every day, but suppressed: no repeat, ever.
    await run([suppressed(gap), appSecret(30)], day(1));
    await run([suppressed(gap), appSecret(30)], day(2));
    expect(slack.received).toHaveLength(1);
  });

  it("forgets a told finding silently once suppressed; when the suppression ends it is new again", async () => {
    const { ledger, slack, run } = setup();
    await run([gap], day(0));
    const before = await ledger.read("slack");
    expect(before.entries.map((e) => e.findingId)).toEqual([gap.id]);

    // Day 1: suppressed until day 3. No repeat, no resolved note: nothing is sent at all.
    const quiet = await run([suppressed(gap, day(3))], day(1));
    expect(quiet.perChannel[0]).toMatchObject({ sent: 0, outcome: { status: "quiet" }, forgotten: 1, alerts: [] });
    expect(slack.received).toHaveLength(1);
    const after = await ledger.read("slack");
    expect(after.entries).toEqual([]);
    expect(after.intent).toBeNull();
    // The channel state is the last digest's: a silent forget is no digest.
    expect(after.state).toMatchObject({ lastRunId: "run-1", lastDigestAt: day(0).toISOString() });

    // Day 2: still suppressed, nothing left to forget: no write at all.
    const idle = await run([suppressed(gap, day(3))], day(2));
    expect(idle.perChannel[0]).toEqual({ name: "slack", sent: 0, outcome: { status: "quiet" }, alerts: [] });
    expect((await ledger.read("slack")).state?.etag).toBe(after.state?.etag);

    // Day 3: the suppression has ended: new, not repeat.
    await run([gap], day(3));
    expect(slack.alertsReceived()).toEqual([`new ${gap.id}`, `new ${gap.id}`]);
  });

  it("never resolves a suppressed finding, present or gone", async () => {
    const { slack, run } = setup();
    await run([gap, appSecret(7)], day(0));
    await run([suppressed(gap), suppressed(appSecret(7))], day(1));
    // Gone from the sweep while forgotten: no resolved note either.
    await run([], day(2));
    expect(slack.alertsReceived().filter((a) => a.startsWith("resolved"))).toEqual([]);
    expect(slack.received).toHaveLength(1);
  });

  it("forgets in the same outcome write as a digest that goes out", async () => {
    const { ledger, slack, run } = setup();
    await run([gap], day(0));
    const summary = await run([suppressed(gap), tokenPassword(14)], day(0, 12));
    expect(summary.perChannel[0]).toMatchObject({ sent: 1, outcome: { status: "delivered" }, forgotten: 1 });
    expect(slack.received[1]!.alerts.map((a) => `${a.reason} ${a.id}`)).toEqual([`new ${tokenPassword(14).id}`]);
    expect(slack.received[1]!.suppressed).toBe(1);
    const view = await ledger.read("slack");
    expect(view.entries.map((e) => e.findingId)).toEqual([tokenPassword(14).id]);
    expect(view.state?.lastRunId).toBe("run-2");
  });

  it("keeps Slack and Teams apart: each channel forgets its own entry", async () => {
    const { ledger, channels, run } = setup(["slack", "teams"]);
    await run([gap], day(0));
    const summary = await run([suppressed(gap)], day(1));
    expect(summary.perChannel.map((c) => [c.name, c.forgotten])).toEqual([
      ["slack", 1],
      ["teams", 1],
    ]);
    expect((await ledger.read("slack")).entries).toEqual([]);
    expect((await ledger.read("teams")).entries).toEqual([]);
    await run([gap], day(2));
    for (const channel of channels) expect(channel.alertsReceived()).toEqual([`new ${gap.id}`, `new ${gap.id}`]);
  });

  it("a heartbeat digest carries the forget too, and counts what is suppressed", async () => {
    const { ledger, slack, run } = setup();
    await run([gap], day(0));
    await run([suppressed(gap)], day(1), { heartbeat: true });
    expect(slack.received.map((d) => [d.alerts.length, d.heartbeat, d.suppressed])).toEqual([
      [1, false, 0],
      [0, true, 1],
    ]);
    expect((await ledger.read("slack")).entries).toEqual([]);
  });

  it("a silent forget left by a crash is never mistaken for a delivery: dropped after the lease, done again", async () => {
    const { ledger, slack, run } = setup();
    await run([gap], day(0));
    const crashed = await run([suppressed(gap)], day(1), { ledger: new DiesBeforeOutcome(ledger) });
    expect(crashed.perChannel[0]!.outcome).toMatchObject({ status: "error" });
    const left = (await ledger.read("slack")).intent;
    expect(left).toMatchObject({ silent: true, alerts: [{ id: gap.id, reason: "forget", record: null }] });

    const early = await run([suppressed(gap)], minutesAfter(day(1), 5));
    expect(early.perChannel[0]!.outcome.status).toBe("busy");
    // No read-back for a silent intent: it sent nothing to look for.
    expect(slack.checks).toEqual([]);

    const late = await run([suppressed(gap)], minutesAfter(day(1), 11));
    expect(late.perChannel[0]).toMatchObject({ recovered: "discarded", forgotten: 1 });
    const view = await ledger.read("slack");
    expect(view.entries).toEqual([]);
    expect(view.state?.lastRunId).toBe("run-1");
    expect(slack.received).toHaveLength(1);
  });
});

describe.each(kinds)("ledger records of suppression: $name", (kind) => {
  it("keeps a silent intent's forget alerts, and its outcome leaves the channel state alone", async () => {
    const ledger = kind.open();
    const gap = roleGap("no-pull-role");
    const held = await ledger.putIntent(intentFor("slack", "run-1", day(0), [{ id: gap.id, reason: "new", finding: gap }]));
    await ledger.recordOutcome(outcomeFor(held, await ledger.read("slack")));
    const state = (await ledger.read("slack")).state;

    const view = await ledger.read("slack");
    const silent = intentFor("slack", "run-2", day(1), [], view.entries, { silent: true });
    const stored = await ledger.putIntent(silent);
    expect((await ledger.read("slack")).intent).toEqual({ ...silent, etag: stored.etag });
    const outcome = outcomeFor(stored, await ledger.read("slack"));
    expect(outcome.state).toBeNull();
    expect(outcome.remove.map((e) => e.findingId)).toEqual([gap.id]);
    await ledger.recordOutcome(outcome);
    expect(await ledger.read("slack")).toEqual({ entries: [], state, intent: null });
  });

  it("keeps the latest snooze per finding, beside the channels, for any finding id", async () => {
    const ledger = kind.open() as Ledger & SnoozeStore;
    expect(await ledger.readSnoozes()).toEqual([]);
    const ids = ["role-gap:/subscriptions/s/x:we#ird?name\\with%25'quotes'~tilde", "credential:acrToken:/subscriptions/s/y:password1", `role-gap:${"x".repeat(600)}`];
    const alice = { name: "@alice", id: "U0ALICE" };
    const snoozes: Snooze[] = ids.map((id) => snoozeFor({ findingId: id, severity: "critical", credentialEnd: null }, "snooze", day(0), alice));
    for (const s of snoozes) await ledger.putSnooze(s);
    const renewed = snoozeFor({ findingId: ids[0]!, severity: "low", credentialEnd: null }, "acknowledge", day(3), { name: "@bob", id: "U0BOB" });
    await ledger.putSnooze(renewed);
    const read = await ledger.readSnoozes();
    const byId = (list: Snooze[]) => [...list].sort((a, b) => a.findingId.localeCompare(b.findingId));
    expect(byId(read)).toEqual(byId([renewed, snoozes[1]!, snoozes[2]!]));
    // Snoozes are not channel records.
    expect(await ledger.read("slack")).toEqual({ entries: [], state: null, intent: null });
  });

  it("a snoozed critical finding (30 days asked) stays quiet for exactly 7 days, then alerts as new", async () => {
    const ledger = kind.open() as Ledger & SnoozeStore;
    const slack = new FakeChannel("slack");
    const gap = roleGap("no-pull-role");
    let runs = 0;
    // What alert-tenant.ts does: read the snoozes, mark the report, notify.
    const run = async (now: Date) => {
      const marked = withSnoozes(report([gap], [], now), await ledger.readSnoozes(), now);
      return notify(marked, { ledger, channels: [slack], now, runId: `run-${++runs}`, heartbeat: false });
    };
    await run(day(0));
    // Clicked in the evening after the morning's digest.
    await ledger.putSnooze(snoozeFor({ findingId: gap.id, severity: "critical", credentialEnd: null }, "acknowledge", day(0, 21), { name: "@alice", id: "U0ALICE" }));
    for (let n = 1; n <= 6; n++) await run(day(n));
    await run(day(6, 23, 59));
    expect(slack.alertsReceived()).toEqual([`new ${gap.id}`]);
    // The nightly run of day 7 tells it again, as new (not as a daily repeat).
    await run(day(7));
    expect(slack.alertsReceived()).toEqual([`new ${gap.id}`, `new ${gap.id}`]);
    await run(day(7, 12));
    expect(slack.alertsReceived()).toHaveLength(2);
  });
});
