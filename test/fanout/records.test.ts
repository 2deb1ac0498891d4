// The sweep records on Table Storage (Azurite): each shard is counted exactly once however many
// deliveries race, exactly one of them sees the count reach the total, and values of any size and
// script come back as they went in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSweepId } from "../../shared/fanout/message.js";
import { SweepRecords } from "../../shared/fanout/records.js";
import type { Report } from "../../shared/model.js";
import { startAzurite, type Azurite } from "../support/azurite.js";

let azurite: Azurite;
let records: SweepRecords;

beforeAll(async () => {
  azurite = await startAzurite();
  records = SweepRecords.fromConnectionString(azurite.connectionString);
});

afterAll(async () => {
  await azurite?.stop();
});

const NOW = new Date("2026-11-25T06:00:00Z");
const parameters = { tenantId: "t", now: NOW.toISOString(), subscriptionFilter: null, listingErrors: [], notify: false };

describe("sweep records", () => {
  it("count each of many racing shards once, duplicates included, and let exactly one delivery see the last", async () => {
    const id = newSweepId();
    const total = 24;
    await records.create(id, parameters, total, NOW);
    // Every shard delivered twice, all at once.
    const deliveries = [...Array(total).keys()].flatMap((shard) => [shard, shard]);
    const results = await Promise.all(deliveries.map((shard) => records.recordShard(id, shard, "subscription", { shard })));
    expect(results.filter((r) => r.recorded)).toHaveLength(total);
    expect(results.filter((r) => r.recorded && r.done === total)).toHaveLength(1);
    const meta = await records.meta(id);
    expect(meta).toMatchObject({ status: "running", shardsDone: total, shardsTotal: total });
    expect((await records.shards(id)).map((s) => [s.shard, s.value])).toEqual([...Array(total).keys()].map((shard) => [shard, { shard }]));
  }, 60_000);

  it("keep values bigger than a row, in any script, and the report", async () => {
    const id = newSweepId();
    const listingErrors = [{ source: "arm" as const, scope: "subscriptions", status: 503, message: "ü".repeat(40_000) }];
    await records.create(id, { ...parameters, subscriptionFilter: ["a", "b"], listingErrors }, 1, NOW);
    expect(await records.meta(id)).toMatchObject({ subscriptionFilter: ["a", "b"], listingErrors });
    const big = { names: Array.from({ length: 40_000 }, (_, i) => `名前-${i}-😀`) };
    expect(await records.recordShard(id, 0, "directory", big)).toEqual({ recorded: true, done: 1, total: 1 });
    expect((await records.shards(id))[0]?.value).toEqual(big);
    const report = { schemaVersion: 1, findings: big.names } as unknown as Report;
    await records.finish(id, report);
    expect(await records.report(id)).toEqual(report);
    expect((await records.meta(id))?.status).toBe("done");
  }, 60_000);

  it("mark a running sweep failed, but never a finished one", async () => {
    const running = newSweepId();
    await records.create(running, parameters, 2, NOW);
    await records.fail(running, "could not queue the shards");
    expect(await records.meta(running)).toMatchObject({ status: "failed", message: "could not queue the shards" });
    const done = newSweepId();
    await records.create(done, parameters, 1, NOW);
    await records.finish(done, { schemaVersion: 1 } as Report);
    await records.fail(done, "too late");
    expect(await records.meta(done)).toMatchObject({ status: "done", message: null });
  });

  it("drop sweeps older than the cut-off, and only those", async () => {
    const old = newSweepId();
    const recent = newSweepId();
    await records.create(old, parameters, 1, new Date("2026-11-01T00:00:00Z"));
    await records.recordShard(old, 0, "directory", { n: 1 });
    await records.create(recent, parameters, 1, NOW);
    expect(await records.dropCreatedBefore(new Date("2026-11-18T00:00:00Z"))).toBeGreaterThanOrEqual(1);
    expect(await records.meta(old)).toBeNull();
    expect(await records.shards(old)).toEqual([]);
    expect(await records.meta(recent)).not.toBeNull();
  });
});
