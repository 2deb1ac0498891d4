// Issue #7, beyond one instance: a sweep fanned out by subscription over a real Storage queue and
// Table Storage (Azurite, queue and table services), worked by three concurrent stand-ins for
// Functions instances that receive with QueueClient and call the queue trigger's own handler through
// @azure/functions test mode, against the sandbox tenant over HTTPS with the real SDK clients.
import { readFile } from "node:fs/promises";
import { InvocationContext, type Timer } from "@azure/functions";
import { QueueServiceClient, type QueueClient } from "@azure/storage-queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepShard } from "../../functions/sweep-shard.js";
import { createNightlySweepHandler } from "../../functions/nightly-sweep.js";
import { loadConfig, type Config } from "../../shared/config/index.js";
import { SHARD_QUEUE, openFanoutStorage, startFanoutIfWanted, sweepStatus, type StartedSweep } from "../../shared/fanout/index.js";
import { encodeShardMessage, parseShardMessage, type ShardMessage } from "../../shared/fanout/message.js";
import type { SweepRecords } from "../../shared/fanout/records.js";
import type { Report } from "../../shared/model.js";
import { sweepTenant } from "../../shared/sweep-tenant.js";
import { parseFixture, startSandbox, type Sandbox } from "../sandbox/index.js";
import { startAzurite, type Azurite } from "../support/azurite.js";
import { validateReport } from "../support/json-schema.js";
import { ROOT } from "../support/run-cli.js";
import { runWorkers, type WorkerStats } from "../support/shard-workers.js";
import { registry, subscription } from "../support/tenants.js";

const PRODUCTION = "f40930eb-e113-5f5c-b720-5238dbd311c1";
const LOCKED = "eed38c5c-2eae-5210-8985-9f9d6145da65";
const NOW = new Date("2026-11-25T06:00:00Z");

let tenant: Sandbox;
let azurite: Azurite;
let settings: Record<string, string>;
let config: Config;
let queue: QueueClient;
let records: SweepRecords;
/** The same tenant swept in one instance: what every fan-out sweep must report. */
let single: Report;

beforeAll(async () => {
  // The demo tenant (a cluster pulling as a service principal, a subscription that cannot be read)
  // and two more subscriptions with registries of their own: six shards with the directory.
  const demo = JSON.parse(await readFile(`${ROOT}/test/fixtures/demo.json`, "utf8")) as { subscriptions: unknown[] };
  const token = (name: string) => ({ tokens: [{ name, passwords: [{ name: "password1", expiry: "2026-11-28T00:00:00Z" }] }] });
  demo.subscriptions.push(subscription("fanout-extra-1", { registries: [registry("acrfanoutone", token("ci-one"))] }));
  demo.subscriptions.push(subscription("fanout-extra-2", { registries: [registry("acrfanouttwo", token("ci-two"))] }));
  [tenant, azurite] = await Promise.all([startSandbox({ fixture: parseFixture(demo, "fan-out tenant") }), startAzurite({ queue: true })]);
  settings = { ...tenant.env, ...tenant.notifyEnv, AzureWebJobsStorage: azurite.connectionString };
  useSettings(settings);
  config = loadConfig(process.env);
  const storage = openFanoutStorage(config.fanout.storage!, { getToken: async () => null });
  records = storage.records;
  queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(SHARD_QUEUE);
  single = await sweepTenant(config, { now: NOW });
}, 120_000);

afterAll(async () => {
  await Promise.all([tenant?.close(), azurite?.stop()]);
});

/** What the Functions host does with app settings: they are the process environment. */
function useSettings(env: Record<string, string>) {
  for (const key of Object.keys(process.env)) if (/^(AZURE_|IDENTITY_|MSI_|CREDWATCH_|SLACK_|TEAMS_|AzureWebJobs)/.test(key)) delete process.env[key];
  Object.assign(process.env, env);
}

async function start(): Promise<StartedSweep> {
  const started = await startFanoutIfWanted(config, { now: NOW, mode: "fanout", notify: false });
  expect(started).not.toBeNull();
  return started!;
}

const ended = (id: string) => async () => (await records.meta(id))?.status !== "running";

async function work(id: string, options: { crash?: (item: unknown, dequeueCount: number) => boolean } = {}): Promise<WorkerStats[]> {
  return runWorkers(3, { queue, handler: sweepShard, until: ended(id), ...options });
}

async function reportOf(id: string): Promise<Report> {
  const state = await sweepStatus(config, id);
  expect(state?.status).toBe("done");
  return (state as { report: Report }).report;
}

/** The shard messages waiting on the queue, without taking them. */
async function waiting(): Promise<ShardMessage[]> {
  const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
  return peekedMessageItems.map((m) => parseShardMessage(m.messageText)!);
}

const isShard = (item: unknown, kind: string, subscriptionId?: string) => {
  const message = parseShardMessage(item);
  return message?.kind === kind && (subscriptionId === undefined || (message.kind === "subscription" && message.subscription.subscriptionId === subscriptionId));
};

describe("a fan-out sweep", () => {
  it("worked by three instances, reports exactly what a sweep in one instance reports", async () => {
    const { id, shardsTotal } = await start();
    expect(shardsTotal).toBe(1 + 5);
    expect((await waiting()).map((m) => m.shard).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);

    const stats = await work(id);
    const report = await reportOf(id);
    expect(report).toEqual(single);
    expect(validateReport(report)).toBe(true);
    expect(stats.reduce((n, s) => n + s.handled, 0)).toBeGreaterThanOrEqual(shardsTotal);

    // The baseline is worth comparing with: findings from every shard, and the unreadable subscription named.
    expect(report.findings.map((f) => f.subject.name)).toEqual(expect.arrayContaining(["aks-payments-sp", "ci-one", "ci-two"]));
    expect(report.errors.map((e) => e.scope)).toEqual([LOCKED]);
    expect(report.complete).toBe(false);
    expect(report.coverage.subscriptions).toBe(4);
    const meta = await records.meta(id);
    expect(meta).toMatchObject({ status: "done", shardsDone: shardsTotal, shardsTotal });
  }, 120_000);

  it("is not changed by a duplicated message, nor by a message delivered again after it finished", async () => {
    const { id, shardsTotal } = await start();
    const first = (await waiting()).find((m) => m.sweep === id && m.shard === 1)!;
    await queue.sendMessage(encodeShardMessage(first));
    await work(id);
    const report = await reportOf(id);
    expect(report).toEqual(single);
    expect((await records.shards(id)).map((s) => s.shard)).toEqual([0, 1, 2, 3, 4, 5]);
    expect((await records.meta(id))?.shardsDone).toBe(shardsTotal);

    // Delivered again once the sweep is done (the host lost the delete): nothing changes.
    await queue.sendMessage(encodeShardMessage(first));
    const drained = async () => (await queue.getProperties()).approximateMessagesCount === 0;
    await runWorkers(1, { queue, handler: sweepShard, until: drained });
    expect(await reportOf(id)).toEqual(report);
    expect((await records.meta(id))?.shardsDone).toBe(shardsTotal);
  }, 120_000);

  it("reports a subscription whose shard never finishes as an error after five deliveries, and finishes", async () => {
    const { id } = await start();
    const stats = await work(id, { crash: (item, dequeueCount) => isShard(item, "subscription", PRODUCTION) && dequeueCount <= 5 });
    expect(stats.reduce((n, s) => n + s.crashed, 0)).toBe(5);
    const report = await reportOf(id);
    expect(validateReport(report)).toBe(true);
    expect(report.complete).toBe(false);
    const failed = report.errors.find((e) => e.scope === PRODUCTION);
    expect(failed?.message).toMatch(/gave up after 5 deliveries/);
    // (and analysis says what it could not work out without it: aks-batch pulls from a registry there)
    expect(report.errors.map((e) => e.scope).filter((scope) => !scope.includes("/")).sort()).toEqual([LOCKED, PRODUCTION].sort());
    // The rest is read: the other subscriptions, their registries and tokens.
    expect(report.coverage.subscriptions).toBe(single.coverage.subscriptions - 1);
    expect(report.coverage.registries).toBe(single.coverage.registries - 2);
    expect(report.findings.map((f) => f.subject.name)).toEqual(expect.arrayContaining(["ci-one", "ci-two"]));
  }, 120_000);

  it("reports the directory as unread when its shard never finishes, and finishes", async () => {
    const { id } = await start();
    await work(id, { crash: (item, dequeueCount) => isShard(item, "directory") && dequeueCount <= 5 });
    const report = await reportOf(id);
    expect(report.errors.filter((e) => e.source === "graph").map((e) => e.scope)).toEqual(["applications", "servicePrincipals"]);
    expect(report.coverage).toMatchObject({ applications: 0, servicePrincipals: 0, subscriptions: single.coverage.subscriptions });
    // The registry tokens are ARM's: still found.
    expect(report.findings.map((f) => f.subject.name)).toEqual(expect.arrayContaining(["ci-one", "ci-two"]));
  }, 120_000);
});

describe("the nightly timer", () => {
  const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: "", next: "", lastUpdated: "" } };

  it("fans out a tenant beyond CREDWATCH_FANOUT_SUBSCRIPTIONS, and the worker that merges it sends the alerts", async () => {
    useSettings({ ...settings, CREDWATCH_FANOUT_SUBSCRIPTIONS: "3" });
    try {
      const lines: string[] = [];
      const context = new InvocationContext({ functionName: "nightly-sweep", invocationId: "test", logHandler: (_level, ...args) => lines.push(args.map(String).join(" ")) });
      const before = tenant.slack.messages.length;
      await createNightlySweepHandler({ clock: () => NOW })(timer, context);
      const id = /sweep ([0-9a-f-]{36})/.exec(lines.join("\n"))?.[1];
      expect(id, lines.join("\n")).toBeDefined();
      expect(tenant.slack.messages.length).toBe(before);

      await runWorkers(3, { queue, handler: sweepShard, until: async () => (await records.meta(id!))?.alerted === true });
      expect(await reportOf(id!)).toEqual(single);
      const digest = tenant.slack.messages.slice(before).find((m) => m.channel === tenant.slack.channelId && !m.thread_ts);
      expect(JSON.stringify(digest?.blocks)).toContain("aks-payments-sp");
    } finally {
      useSettings(settings);
    }
  }, 120_000);

  it("sweeps in its own instance up to CREDWATCH_FANOUT_SUBSCRIPTIONS", async () => {
    useSettings({ ...settings, CREDWATCH_FANOUT_SUBSCRIPTIONS: "50" });
    try {
      const lines: string[] = [];
      const context = new InvocationContext({ functionName: "nightly-sweep", invocationId: "test", logHandler: (_level, ...args) => lines.push(args.map(String).join(" ")) });
      await createNightlySweepHandler({ clock: () => NOW })(timer, context);
      expect(lines.join("\n")).not.toMatch(/fanned out/);
      expect(lines.join("\n")).toMatch(/INCOMPLETE|findings/);
    } finally {
      useSettings(settings);
    }
  }, 120_000);
});
