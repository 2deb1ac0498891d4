// Limits handling without a network: packing, the thread and card caps, and the bounded retry both
// channels use.
import { describe, expect, it } from "vitest";
import { payloadBytes } from "../../shared/notify/adaptive-card.js";
import { RetriesExhausted, retryAfterMs, withRetry } from "../../shared/notify/http-retry.js";
import { buildSlackDigest } from "../../shared/notify/slack-digest.js";
import { limitProblems, packGroups, section } from "../../shared/notify/slack-limits.js";
import { buildTeamsPayloads } from "../../shared/notify/teams-cards.js";
import { aReport } from "../report/builders.js";
import { aDigest, manyFindings } from "./slack-teams-builders.js";

describe("packGroups", () => {
  it("starts a new page before a group would break the block or character budget", () => {
    const group = (chars: number) => ({ blocks: [section("x".repeat(chars))], alertIds: ["a"] });
    expect(packGroups(Array.from({ length: 60 }, () => group(10)), { blocks: 1, chars: 0 }).map((p) => p.length)).toEqual([49, 11]);
    expect(packGroups([group(2_900), group(2_900), group(2_900), group(2_900), group(2_900)], { blocks: 0, chars: 0 }).map((p) => p.length)).toEqual([4, 1]);
  });

  it("names what breaks a limit", () => {
    expect(limitProblems({ text: "t", blocks: [section("x".repeat(3_001))] })).toEqual(["block 0: section of 3001 characters"]);
    expect(limitProblems({ text: "", blocks: Array.from({ length: 51 }, () => ({ type: "divider" as const })) })).toEqual(["no fallback text", "51 blocks"]);
  });
});

describe("caps on very large digests", () => {
  const huge = aDigest({ report: aReport({ findings: manyFindings(2_000) }) });

  it("Slack: at most 40 thread messages, the last saying how many alerts it left out", () => {
    const { top, thread } = buildSlackDigest(huge);
    expect(thread).toHaveLength(40);
    for (const m of [top!, ...thread]) expect(limitProblems(m)).toEqual([]);
    const detailed = thread.flatMap((m) => m.blocks).flatMap((b) => (b.type === "section" ? b.text.text.match(/_id_ `/g) ?? [] : [])).length;
    const last = thread[39]!.blocks.map((b) => (b.type === "section" ? b.text.text : "")).join("\n");
    const omitted = Number(/\*(\d+) more alerts not detailed here:\*/.exec(last)?.[1]);
    expect(detailed + omitted).toBe(huge.alerts.length);
    expect(JSON.stringify(top!.blocks)).toContain(`The thread details ${detailed} of ${huge.alerts.length} alerts`);
  });

  it("Teams: at most 40 cards, each under 20 KB, the last saying how many alerts it left out", () => {
    const payloads = buildTeamsPayloads(huge);
    expect(payloads).toHaveLength(40);
    for (const p of payloads) expect(payloadBytes(p)).toBeLessThan(20_000);
    const last = JSON.stringify(payloads[39]);
    expect(last).toMatch(/\d+ more alerts not in these cards/);
  });
});

describe("withRetry", () => {
  const noWait = async () => {};

  it("tries at most `attempts` times", async () => {
    let tries = 0;
    const failing = () => {
      tries += 1;
      return Promise.reject(new Error("503"));
    };
    const error = await withRetry(failing, () => ({ retry: true }), { attempts: 4, baseDelayMs: 1, maxDelayMs: 10, maxTotalMs: 100 }, noWait).catch((e) => e);
    expect(error).toBeInstanceOf(RetriesExhausted);
    expect(error).toMatchObject({ attempts: 4, why: "attempts" });
    expect(tries).toBe(4);
  });

  it("stops at once when the server asks for a longer wait than the cap, or the total would run over", async () => {
    const waits: number[] = [];
    const wait = async (ms: number) => void waits.push(ms);
    const tooLong = await withRetry(() => Promise.reject(new Error("429")), () => ({ retry: true, afterMs: 120_000 }), undefined, wait).catch((e) => e);
    expect(tooLong).toMatchObject({ attempts: 1, why: "wait-too-long", askedWaitMs: 120_000 });
    const budget = await withRetry(() => Promise.reject(new Error("429")), () => ({ retry: true, afterMs: 25_000 }), { attempts: 10, baseDelayMs: 1, maxDelayMs: 30_000, maxTotalMs: 60_000 }, wait).catch((e) => e);
    expect(budget).toMatchObject({ attempts: 3, why: "time-budget" });
    expect(waits).toEqual([25_000, 25_000]);
  });

  it("rethrows a final failure as it is", async () => {
    const final = new Error("channel_not_found");
    await expect(withRetry(() => Promise.reject(final), () => ({ retry: false }), undefined, noWait)).rejects.toBe(final);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = new Date("2026-11-25T06:00:00Z");
    expect(retryAfterMs("3", now)).toBe(3_000);
    expect(retryAfterMs("Wed, 25 Nov 2026 06:00:10 GMT", now)).toBe(10_000);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
  });
});
