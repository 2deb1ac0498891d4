// A run that dies between writing its intent and writing its outcome, at every point: the next run
// neither loses nor doubles a Slack message; Teams, which cannot tell, waits out the lease and then
// sends again (at-least-once).
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../shared/model.js";
import type { Ledger, Outcome } from "../../shared/notify/ledger.js";
import { FileLedger } from "../../shared/notify/ledger-file.js";
import { notify } from "../../shared/notify/notify.js";
import { intentFor } from "../../shared/notify/outcome.js";
import { planAlerts } from "../../shared/notify/plan.js";
import { appSecret, day, FakeChannel, minutesAfter, report, tokenPassword } from "./builders.js";
import { useLedgers } from "./ledgers.js";

const kinds = useLedgers();

/** The ledger of a process that dies when it is about to write an outcome (the write never happens). */
class DiesBeforeOutcome implements Ledger {
  dying = true;
  constructor(private readonly inner: Ledger) {}
  get location() {
    return this.inner.location;
  }
  read = (channel: Parameters<Ledger["read"]>[0]) => this.inner.read(channel);
  putIntent = (intent: Parameters<Ledger["putIntent"]>[0]) => this.inner.putIntent(intent);
  clearIntent = (intent: Parameters<Ledger["clearIntent"]>[0]) => this.inner.clearIntent(intent);
  recordOutcome = async (outcome: Outcome) => {
    if (this.dying) throw new Error("process died before writing the outcome");
    return this.inner.recordOutcome(outcome);
  };
}

describe.each(kinds)("crash recovery: $name ledger", (kind) => {
  function setup(name: "slack" | "teams") {
    const ledger = kind.open();
    const channel = new FakeChannel(name);
    let runs = 0;
    const run = (findings: Finding[], now: Date, viaLedger: Ledger = ledger) =>
      notify(report(findings, [], now), { ledger: viaLedger, channels: [channel], now, runId: `run-${++runs}`, heartbeat: false });
    return { ledger, channel, run };
  }
  const findings = [appSecret(7), tokenPassword(14)];

  it("Slack, delivered but the outcome never written: the next run records it and sends nothing", async () => {
    const { ledger, channel, run } = setup("slack");
    const crashed = await run(findings, day(0), new DiesBeforeOutcome(ledger));
    expect(crashed.perChannel[0]).toMatchObject({ sent: 2, outcome: { status: "error" } });
    expect((await ledger.read("slack")).intent?.runId).toBe("run-1");

    const next = await run(findings, minutesAfter(day(0), 1));
    expect(next.perChannel[0]).toMatchObject({ recovered: "recorded", outcome: { status: "quiet" } });
    expect(channel.checks).toEqual(["run-1"]);
    expect(channel.received).toHaveLength(1);
    expect((await ledger.read("slack")).entries.map((e) => e.runId)).toEqual(["run-1", "run-1"]);
  });

  it("Slack, died inside the send after posting: recorded, not resent", async () => {
    const { channel, run } = setup("slack");
    channel.behaviour = "throw-after";
    const crashed = await run(findings, day(0));
    expect(crashed.perChannel[0]!.outcome).toMatchObject({ status: "failed" });
    channel.behaviour = "ok";
    const next = await run(findings, minutesAfter(day(0), 1));
    expect(next.perChannel[0]).toMatchObject({ recovered: "recorded", sent: 0 });
    expect(channel.received).toHaveLength(1);
  });

  it("Slack, died before anything arrived: waits out the lease, then sends once", async () => {
    const { ledger, channel, run } = setup("slack");
    channel.behaviour = "throw-before";
    await run(findings, day(0));
    channel.behaviour = "ok";
    // Within the lease the intent may belong to a live run still inside send(): hands off.
    const early = await run(findings, minutesAfter(day(0), 5));
    expect(early.perChannel[0]!.outcome).toEqual({ status: "busy", until: minutesAfter(day(0), 10).toISOString() });
    expect(channel.received).toHaveLength(0);

    const late = await run(findings, minutesAfter(day(0), 11));
    expect(late.perChannel[0]).toMatchObject({ recovered: "discarded", sent: 2, outcome: { status: "delivered" } });
    await run(findings, minutesAfter(day(0), 12));
    expect(channel.received).toHaveLength(1);
    expect(channel.alertsReceived().sort()).toEqual(findings.map((f) => `new ${f.id}`).sort());
    expect((await ledger.read("slack")).intent).toBeNull();
  });

  it("Slack, died between writing the intent and sending: resent once after the lease", async () => {
    const { ledger, channel, run } = setup("slack");
    const alerts = planAlerts(report(findings), [], day(0));
    await ledger.putIntent(intentFor("slack", "run-dead", day(0), alerts));
    await run(findings, minutesAfter(day(0), 30));
    await run(findings, minutesAfter(day(0), 31));
    expect(channel.checks).toEqual(["run-dead"]);
    expect(channel.received).toHaveLength(1);
  });

  it("Teams, delivered but not recorded: skipped within the lease, sent again after it (at-least-once)", async () => {
    const { ledger, channel, run } = setup("teams");
    await run(findings, day(0), new DiesBeforeOutcome(ledger));
    expect(channel.received).toHaveLength(1);

    const early = await run(findings, minutesAfter(day(0), 9));
    expect(early.perChannel[0]!.outcome.status).toBe("busy");
    expect(channel.received).toHaveLength(1);

    const late = await run(findings, minutesAfter(day(0), 10));
    expect(late.perChannel[0]).toMatchObject({ recovered: "discarded", sent: 2 });
    expect(channel.received).toHaveLength(2);
    await run(findings, minutesAfter(day(0), 11));
    expect(channel.received).toHaveLength(2);
  });

  it("Teams, never delivered: sent once after the lease", async () => {
    const { channel, run } = setup("teams");
    channel.behaviour = "throw-before";
    await run(findings, day(0));
    channel.behaviour = "ok";
    await run(findings, minutesAfter(day(0), 3));
    await run(findings, minutesAfter(day(0), 15));
    await run(findings, minutesAfter(day(0), 16));
    expect(channel.received).toHaveLength(1);
  });

  it("a delivered intent is recorded even when its findings have gone since, so they resolve later", async () => {
    const { channel, run, ledger } = setup("slack");
    await run(findings, day(0), new DiesBeforeOutcome(ledger));
    const next = await run([], day(1));
    expect(next.perChannel[0]!.recovered).toBe("recorded");
    expect(channel.alertsReceived().slice(2).sort()).toEqual(findings.map((f) => `resolved ${f.id}`).sort());
  });

  it("a failed send clears the intent: the next run retries at once", async () => {
    const { ledger, channel, run } = setup("teams");
    channel.behaviour = "fail";
    await run(findings, day(0));
    expect((await ledger.read("teams")).intent).toBeNull();
    channel.behaviour = "ok";
    await run(findings, minutesAfter(day(0), 1));
    expect(channel.received).toHaveLength(1);
  });
});

describe("crash recovery from a half-written outcome", () => {
  const [fileKind] = kinds;

  it("an entry already carrying the intent's run proves delivery: completed without asking or resending", async () => {
    const ledger = fileKind!.open() as FileLedger;
    const channel = new FakeChannel("teams");
    const findings = [appSecret(7), tokenPassword(14)];
    await notify(report(findings), { ledger: new DiesBeforeOutcome(ledger), channels: [channel], now: day(0), runId: "run-1", heartbeat: false });

    // What a multi-batch Table write leaves when it dies after its first batch: one entry written.
    const data = JSON.parse(await readFile(ledger.path, "utf8"));
    const teams = data.channels.teams;
    const first = teams.intent.alerts[0];
    teams.entries[first.id] = { findingId: first.id, ...first.record, notifiedAt: teams.intent.at, runId: "run-1", rev: data.version };
    await writeFile(ledger.path, JSON.stringify(data));

    const next = await notify(report(findings), { ledger, channels: [channel], now: minutesAfter(day(0), 30), runId: "run-2", heartbeat: false });
    expect(next.perChannel[0]).toMatchObject({ recovered: "recorded", outcome: { status: "quiet" } });
    expect(channel.checks).toEqual([]);
    expect(channel.received).toHaveLength(1);
    expect((await ledger.read("teams")).entries.map((e) => e.runId)).toEqual(["run-1", "run-1"]);
  });
});
