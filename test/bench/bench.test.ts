// The benchmark's arithmetic, and the benchmark itself on a tiny tenant: its JSON, its checks. No
// time is asserted (times belong to the machine); request counts are.
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { bounds } from "../../bench/bounds.js";
import { generateTenant } from "../../bench/generate.js";
import { parseFixture } from "../sandbox/index.js";
import { ROOT } from "../support/run-cli.js";

describe("bench/bounds.ts", () => {
  it("counts the pages of every list, and the longest chain of dependent requests", () => {
    const { fixture } = generateTenant({ applications: 2_500, servicePrincipals: 3_000, subscriptions: 3, registries: 2, tokens: 250, clusters: 1 }, { seed: 3 });
    const now = new Date(fixture.now);
    const b = bounds(fixture, { armPageSize: 100, latencyMs: 20, ownerSubjects: 45, now, lookbackDays: 7 });
    // Graph: 3 + 4 pages at 999, 45 owners in 3 batches. ARM: 1 subscription page; 4 lists in each of
    // 3 subscriptions (role assignments fit one page each); 125 tokens a registry: 2 pages each; public
    // IPs in the one subscription with a cluster.
    expect(b.breakdown).toEqual({ graphPages: 7, ownerBatches: 3, subscriptionPages: 1, perSubscription: 12, tokenPages: 4, publicIpPages: 1 });
    expect(b.minRequests).toBe(28);
    // Token, 4 pages of service principals, the owners batch.
    expect(b.chain).toBe(6);
    expect(b.lowerBoundSeconds).toBeCloseTo(0.12);
  });

  it("generates the same valid tenant for the same seed", () => {
    const size = { applications: 300, servicePrincipals: 400, subscriptions: 4, registries: 2, tokens: 20, clusters: 3 };
    const a = generateTenant(size, { seed: 11 }).fixture;
    expect(generateTenant(size, { seed: 11 }).fixture).toEqual(a);
    expect(() => parseFixture(JSON.parse(JSON.stringify(a)), "generated")).not.toThrow();
  });
});

describe("npm run bench", () => {
  it("prints one JSON object last: full and incremental sweeps, the baseline, the bounds", async () => {
    const args = ["bench/run.ts", "--json", "--apps", "400", "--subscriptions", "6", "--registries", "3", "--tokens", "30", "--clusters", "3", "--latency-ms", "0", "--no-warmup"];
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["--import", "tsx", ...args], { cwd: ROOT, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      ),
    );
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!);
    expect(result.tenant).toEqual({ applications: 400, servicePrincipals: 480, subscriptions: 6, registries: 3, tokens: 30, clusters: 3 });
    expect(result.credwatch.requests).toBe(result.neededRequests);
    expect(result.credwatch.requests).toBeLessThanOrEqual(result.minRequests);
    expect(result.credwatch.peakRssMb).toBeGreaterThan(0);
    // After five changes: two delta rounds and one $batch for the owners of the changed subjects.
    expect(result.incremental.graphRequests).toBe(3);
    expect(result.incremental.sameFindingsAsFullSweep).toBe(true);
    expect(result.baseline.sameFindings).toBe(true);
    expect(result.baseline.requests).toBeGreaterThan(result.credwatch.requests);
  }, 180_000);
});
