// One set of contract tests, run against both ledger adapters.
import { describe, expect, it } from "vitest";
import { LedgerConflictError, type Intent, type LedgerEntry } from "../../shared/notify/ledger.js";
import { intentFor, outcomeFor } from "../../shared/notify/outcome.js";
import { planAlerts } from "../../shared/notify/plan.js";
import { appSecret, day, report, roleGap, tokenPassword } from "./builders.js";
import { useLedgers } from "./ledgers.js";

const kinds = useLedgers();

/** Ids with every character Table keys forbid or URLs mangle, and then some. */
const AWKWARD_IDS = [
  "credential:acrToken:/subscriptions/s/resourcegroups/rg/providers/microsoft.containerregistry/registries/r/tokens/t:password1",
  "role-gap:/subscriptions/s/x:we#ird?name\\with%25'quotes'~tilde",
  "role-gap:/subscriptions/s/x:ünïcödé 名前 🚀",
  "role-gap:/subscriptions/s/x:tab\there\u0001ctl",
];

function entryFor(id: string, runId = "run-0"): LedgerEntry {
  return {
    channel: "slack",
    findingId: id,
    scope: { source: "arm", subscriptionId: "s", resourceId: "/subscriptions/s/x" },
    notified: { id, kind: "role-gap", severity: "critical", subjectType: "managedCluster", subjectName: "aks", message: `m ${id}` },
    stage: null,
    notifiedAt: day(0).toISOString(),
    runId,
  };
}

function heldIntent(runId: string, alerts: Intent["alerts"] = []): Intent {
  return { runId, channel: "slack", at: day(0).toISOString(), alerts };
}

describe.each(kinds)("ledger contract: $name", (kind) => {
  it("starts empty", async () => {
    const ledger = kind.open();
    expect(await ledger.read("slack")).toEqual({ entries: [], state: null, intent: null });
  });

  it("keeps an intent with its alerts and hands out an etag", async () => {
    const ledger = kind.open();
    const alerts = planAlerts(report([appSecret(7), tokenPassword(14), roleGap("no-pull-role")]), [], day(0));
    // Run ids come from outside (an invocation id): any characters.
    const intent = intentFor("slack", "run/1.x:y#?", day(0), alerts);
    const held = await ledger.putIntent(intent);
    expect(held.etag).toEqual(expect.any(String));
    const { intent: read } = await ledger.read("slack");
    expect(read).toEqual({ ...intent, etag: held.etag });
  });

  it("holds one intent per channel: a second is a conflict, another channel is free", async () => {
    const ledger = kind.open();
    await ledger.putIntent(heldIntent("run-1"));
    await expect(ledger.putIntent(heldIntent("run-2"))).rejects.toBeInstanceOf(LedgerConflictError);
    await ledger.putIntent({ ...heldIntent("run-2"), channel: "teams" });
    expect((await ledger.read("slack")).intent?.runId).toBe("run-1");
    expect((await ledger.read("teams")).intent?.runId).toBe("run-2");
  });

  it("lets exactly one of two simultaneous writers take the channel", async () => {
    const key = kind.newKey();
    const [one, two] = [kind.open(key), kind.open(key)];
    const results = await Promise.allSettled([one.putIntent(heldIntent("run-a")), two.putIntent(heldIntent("run-b"))]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(LedgerConflictError);
  });

  it("clears an intent only by its current etag", async () => {
    const ledger = kind.open();
    const first = await ledger.putIntent(heldIntent("run-1"));
    await ledger.clearIntent(first);
    expect((await ledger.read("slack")).intent).toBeNull();
    await expect(ledger.clearIntent(first)).rejects.toBeInstanceOf(LedgerConflictError);
    const second = await ledger.putIntent(heldIntent("run-2"));
    await expect(ledger.clearIntent(first)).rejects.toBeInstanceOf(LedgerConflictError);
    expect((await ledger.read("slack")).intent?.runId).toBe("run-2");
    await ledger.clearIntent(second);
  });

  it("records an outcome: entries and state written, intent gone", async () => {
    const ledger = kind.open();
    const alerts = planAlerts(report([appSecret(7), tokenPassword(14)]), [], day(0));
    const held = await ledger.putIntent(intentFor("slack", "run-1", day(0), alerts));
    await ledger.recordOutcome(outcomeFor(held, await ledger.read("slack")));
    const view = await ledger.read("slack");
    expect(view.intent).toBeNull();
    expect(view.state).toMatchObject({ channel: "slack", lastDigestAt: day(0).toISOString(), lastRunId: "run-1" });
    const byId = new Map(view.entries.map((e) => [e.findingId, e]));
    expect(byId.get(appSecret(7).id)).toMatchObject({ stage: 7, runId: "run-1", notified: { severity: "critical" }, scope: { source: "graph" } });
    expect(byId.get(tokenPassword(14).id)).toMatchObject({ stage: 14, notified: { severity: "medium" }, scope: { source: "arm" } });
    expect((await ledger.read("teams")).entries).toEqual([]);
  });

  it("stores finding ids with forbidden key characters and gives them back unchanged", async () => {
    const ledger = kind.open();
    const held = await ledger.putIntent(heldIntent("run-1"));
    await ledger.recordOutcome({ intent: held, put: AWKWARD_IDS.map((id) => entryFor(id)), remove: [], state: { channel: "slack", lastDigestAt: held.at, lastRunId: "run-1" } });
    const entries = (await ledger.read("slack")).entries;
    expect(entries.map((e) => e.findingId).sort()).toEqual([...AWKWARD_IDS].sort());
    expect(entries.find((e) => e.findingId === AWKWARD_IDS[2])?.notified.message).toBe(`m ${AWKWARD_IDS[2]}`);
  });

  it("removes entries and replaces them by etag", async () => {
    const ledger = kind.open();
    const first = await ledger.putIntent(heldIntent("run-1"));
    await ledger.recordOutcome({ intent: first, put: [entryFor("a"), entryFor("b")], remove: [], state: { channel: "slack", lastDigestAt: first.at, lastRunId: "run-1" } });
    const view = await ledger.read("slack");
    const [a, b] = ["a", "b"].map((id) => view.entries.find((e) => e.findingId === id)!);
    const second = await ledger.putIntent(heldIntent("run-2"));
    await ledger.recordOutcome({ intent: second, put: [{ ...a!, runId: "run-2", stage: 1 }], remove: [b!], state: { ...view.state!, lastRunId: "run-2" } });
    const after = await ledger.read("slack");
    expect(after.entries.map((e) => [e.findingId, e.runId, e.stage])).toEqual([["a", "run-2", 1]]);
    expect(after.state?.lastRunId).toBe("run-2");
  });

  it("two writers with stale etags: the first wins, the second fails loudly and writes nothing", async () => {
    const key = kind.newKey();
    const [one, two] = [kind.open(key), kind.open(key)];
    const seed = await one.putIntent(heldIntent("run-0"));
    await one.recordOutcome({ intent: seed, put: [entryFor("a")], remove: [], state: { channel: "slack", lastDigestAt: seed.at, lastRunId: "run-0" } });
    const seenByOne = await one.read("slack");
    const seenByTwo = await two.read("slack");

    const heldByOne = await one.putIntent(heldIntent("run-1"));
    await one.recordOutcome({ intent: heldByOne, put: [{ ...seenByOne.entries[0]!, runId: "run-1" }], remove: [], state: { ...seenByOne.state!, lastRunId: "run-1" } });

    // Two planned from the old read; even holding the channel, its writes name stale etags.
    const heldByTwo = await two.putIntent(heldIntent("run-2"));
    const stale = { intent: heldByTwo, put: [{ ...seenByTwo.entries[0]!, runId: "run-2" }], remove: [], state: { ...seenByTwo.state!, lastRunId: "run-2" } };
    await expect(two.recordOutcome(stale)).rejects.toBeInstanceOf(LedgerConflictError);
    const after = await two.read("slack");
    expect(after.entries[0]?.runId).toBe("run-1");
    expect(after.state?.lastRunId).toBe("run-1");
    expect(after.intent?.runId).toBe("run-2");

    // A create of what exists is a conflict too.
    await expect(two.recordOutcome({ ...stale, put: [entryFor("a", "run-2")], state: { ...after.state!, lastRunId: "run-2" } })).rejects.toBeInstanceOf(LedgerConflictError);
  });

  it("refuses an outcome for an intent it no longer holds", async () => {
    const ledger = kind.open();
    const held = await ledger.putIntent(heldIntent("run-1"));
    await ledger.clearIntent(held);
    await ledger.putIntent(heldIntent("run-2"));
    await expect(ledger.recordOutcome({ intent: held, put: [entryFor("a", "run-1")], remove: [], state: { channel: "slack", lastDigestAt: held.at, lastRunId: "run-1" } })).rejects.toBeInstanceOf(LedgerConflictError);
    const view = await ledger.read("slack");
    expect(view.entries).toEqual([]);
    expect(view.intent?.runId).toBe("run-2");
  });

  it("handles a first run of thousands of alerts (beyond one entity, beyond one transaction)", async () => {
    const ledger = kind.open();
    const base = "credential:acrToken:/subscriptions/33333333-3333-4333-8333-333333333333/resourcegroups/rg-with-a-rather-long-name/providers/microsoft.containerregistry/registries/acrprod/tokens/";
    const findings = Array.from({ length: 2500 }, (_, i) => ({ ...tokenPassword(30), id: `${base}token-${i}:password1`, message: `Password password1 of ACR token token-${i} expires within 30 days ${"é".repeat(40)}` }));
    const alerts = planAlerts(report(findings), [], day(0));
    const intent = intentFor("slack", "run-big", day(0), alerts);
    expect(JSON.stringify(intent.alerts).length).toBeGreaterThan(1_000_000);
    const held = await ledger.putIntent(intent);
    const read = await ledger.read("slack");
    expect(read.intent?.alerts).toEqual(intent.alerts);
    await ledger.recordOutcome(outcomeFor(held, read));
    const after = await ledger.read("slack");
    expect(after.entries).toHaveLength(2500);
    expect(after.intent).toBeNull();
    expect(planAlerts(report(findings), after.entries, day(0))).toEqual([]);
  }, 120_000);
});
