// Alert semantics over simulated days, with injected time and fake channels, on both ledgers.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../shared/model.js";
import type { Ledger } from "../../shared/notify/ledger.js";
import { notify, type NotifyDeps } from "../../shared/notify/notify.js";
import { appSecret, armError, day, FakeChannel, graphError, report, roleGap, SUB, tokenPassword, REGISTRY_ID } from "./builders.js";
import { useLedgers } from "./ledgers.js";

const kinds = useLedgers();

describe.each(kinds)("notify over days: $name ledger", (kind) => {
  function setup(names: ("slack" | "teams")[] = ["slack"]) {
    const ledger = kind.open();
    const channels = names.map((name) => new FakeChannel(name));
    let runs = 0;
    const run = (findings: Finding[], now: Date, extra: Partial<NotifyDeps> & { errors?: Parameters<typeof report>[1] } = {}) =>
      notify(report(findings, extra.errors ?? [], now), { ledger, channels, now, runId: `run-${++runs}`, heartbeat: false, ...extra });
    return { ledger, channels, slack: channels[0]!, run };
  }

  it("tells a new finding once; a same-day re-run sends nothing", async () => {
    const { slack, run } = setup();
    const first = await run([appSecret(7)], day(0));
    expect(slack.alertsReceived()).toEqual([`new ${appSecret(7).id}`]);
    expect(first.perChannel).toEqual([expect.objectContaining({ name: "slack", sent: 1, outcome: { status: "delivered", detail: "1 alerts" } })]);
    expect(first.alerts.map((a) => a.reason)).toEqual(["new"]);

    const again = await run([appSecret(7)], day(0, 18));
    expect(again.perChannel[0]).toMatchObject({ sent: 0, outcome: { status: "quiet" } });
    expect(slack.received).toHaveLength(1);
  });

  it("repeats a critical finding once on the next UTC day, and not again that day", async () => {
    const { slack, run } = setup();
    await run([appSecret(7)], day(0, 23, 30));
    await run([appSecret(7)], day(1, 0, 10));
    await run([appSecret(7)], day(1, 12));
    expect(slack.alertsReceived()).toEqual([`new ${appSecret(7).id}`, `repeat ${appSecret(7).id}`]);
    expect(slack.received[1]!.alerts[0]!.previous?.severity).toBe("critical");
  });

  it("does not repeat what is not critical", async () => {
    const { slack, run } = setup();
    await run([appSecret(30)], day(0));
    await run([appSecret(30)], day(1));
    expect(slack.alertsReceived()).toEqual([`new ${appSecret(30).id}`]);
  });

  it("escalates across windows 30 → 14 → 7 → 1 → expired under one id", async () => {
    const { slack, run } = setup();
    const id = appSecret(30).id;
    await run([appSecret(30)], day(0));
    await run([appSecret(14)], day(16));
    await run([appSecret(14)], day(17)); // high, not critical: no repeat
    await run([appSecret(7)], day(23));
    await run([appSecret(7)], day(23, 20)); // same day: nothing
    await run([appSecret(1)], day(29));
    await run([appSecret("expired")], day(30));
    expect(appSecret("expired").id).toBe(id);
    expect(slack.alertsReceived()).toEqual([`new ${id}`, `escalated ${id}`, `escalated ${id}`, `escalated ${id}`, `escalated ${id}`]);
    const last = slack.received.at(-1)!.alerts[0]!;
    expect(last.finding?.kind).toBe("credential-expired");
    expect(last.previous?.kind).toBe("credential-expiring");
  });

  it("escalates a role gap whose severity rises under the same id", async () => {
    const { slack, run } = setup();
    await run([roleGap("broad-role-only")], day(0));
    await run([roleGap("no-pull-role")], day(0, 12));
    expect(slack.alertsReceived()).toEqual([`new ${roleGap("no-pull-role").id}`, `escalated ${roleGap("no-pull-role").id}`]);
  });

  it("resolves a finding gone from a sweep that read its scope, once", async () => {
    const { slack, run } = setup();
    await run([appSecret(7), tokenPassword(7)], day(0));
    await run([], day(1));
    await run([], day(2));
    expect(slack.alertsReceived().slice(2).sort()).toEqual([`resolved ${appSecret(7).id}`, `resolved ${tokenPassword(7).id}`].sort());
    const note = slack.received[1]!.alerts.find((a) => a.id === tokenPassword(7).id)!;
    expect(note.finding).toBeUndefined();
    expect(note.previous).toMatchObject({ subjectName: "ci-pull", severity: "critical", kind: "credential-expiring" });
  });

  it("never resolves what the sweep could not read", async () => {
    const { slack, run } = setup();
    await run([appSecret(7), tokenPassword(7)], day(0));
    await run([], day(1), { errors: [armError(SUB), graphError("applications")] });
    await run([], day(2), { errors: [armError("subscriptions"), graphError(`servicePrincipals/page 2 item 3`)] });
    await run([], day(3), { errors: [armError(REGISTRY_ID), graphError("authentication")] });
    expect(slack.alertsReceived().sort()).toEqual([`new ${appSecret(7).id}`, `new ${tokenPassword(7).id}`].sort());
    // Owner lookups and other subscriptions do not hide them.
    await run([], day(4), { errors: [graphError(`applications/${appSecret(7).subject.id}/owners`), armError("99999999-9999-4999-8999-999999999999")] });
    expect(slack.alertsReceived().filter((a) => a.startsWith("resolved"))).toHaveLength(2);
  });

  it("tells a finding that comes back after it was resolved as new", async () => {
    const { slack, run } = setup();
    await run([appSecret(14)], day(0));
    await run([], day(1));
    await run([appSecret(14)], day(2));
    expect(slack.alertsReceived()).toEqual([`new ${appSecret(14).id}`, `resolved ${appSecret(14).id}`, `new ${appSecret(14).id}`]);
  });

  it("keeps channels apart: the one that failed gets it next run, the other is not told twice", async () => {
    const { channels, run } = setup(["slack", "teams"]);
    const [slack, teams] = channels as [FakeChannel, FakeChannel];
    teams.behaviour = "fail";
    const first = await run([appSecret(7)], day(0));
    expect(first.perChannel.map((c) => [c.name, c.outcome.status, c.sent])).toEqual([
      ["slack", "delivered", 1],
      ["teams", "failed", 0],
    ]);
    teams.behaviour = "ok";
    await run([appSecret(7)], day(0, 12));
    expect(slack.alertsReceived()).toEqual([`new ${appSecret(7).id}`]);
    expect(teams.alertsReceived()).toEqual([`new ${appSecret(7).id}`]);
    await run([appSecret(7)], day(0, 18));
    expect(slack.received).toHaveLength(1);
    expect(teams.received).toHaveLength(1);
  });

  it("timer retry: two runs for the same report at the same time send one message", async () => {
    const { slack, channels, run } = setup(["slack", "teams"]);
    const results = await Promise.all([run([appSecret(7)], day(0)), run([appSecret(7)], day(0))]);
    expect(slack.received).toHaveLength(1);
    const teams = results.flatMap((r) => r.perChannel.filter((c) => c.name === "teams"));
    // The other run found the channel taken (busy) or, if it came second, nothing left to say (quiet).
    const statuses = teams.map((c) => c.outcome.status);
    expect(statuses.filter((s) => s === "delivered")).toHaveLength(1);
    expect(statuses.filter((s) => s === "busy" || s === "quiet")).toHaveLength(1);
    expect(channels[1]!.received).toHaveLength(1);
    await run([appSecret(7)], day(0));
    expect(slack.received).toHaveLength(1);
  });

  it("sends a heartbeat once a day when asked, and a coverage note for an incomplete sweep", async () => {
    const { slack, run } = setup();
    await run([], day(0));
    expect(slack.received).toHaveLength(0);
    await run([], day(0), { heartbeat: true });
    await run([], day(0, 12), { heartbeat: true });
    expect(slack.received.map((d) => [d.alerts.length, d.heartbeat])).toEqual([[0, true]]);
    await run([], day(1), { errors: [armError(SUB)] });
    await run([], day(1, 12), { errors: [armError(SUB)] });
    expect(slack.received).toHaveLength(2);
    expect(slack.received[1]!.report.complete).toBe(false);
    expect(slack.received[1]!.suppressed).toBe(0);
  });
});

describe("notify with a ledger that fails", () => {
  it("reports the channel's ledger error without stopping the others", async () => {
    const broken: Ledger = {
      location: "nowhere",
      read: async () => {
        throw new Error("table unreachable");
      },
      putIntent: async () => {
        throw new Error("unreachable");
      },
      clearIntent: async () => {},
      recordOutcome: async () => {},
    };
    const slack = new FakeChannel("slack");
    const summary = await notify(report([appSecret(7)]), { ledger: broken, channels: [slack], now: day(0), heartbeat: false });
    expect(summary.perChannel[0]).toMatchObject({ name: "slack", sent: 0, outcome: { status: "error", error: "table unreachable" } });
    expect(slack.received).toHaveLength(0);
  });
});
