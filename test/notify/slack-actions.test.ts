// The Snooze / Acknowledge buttons, without a network: one actions block per open alert in the
// channel message and the thread, within Slack's limits (value ≤ 2,000, ≤ 25 elements, unique
// block_ids, the 50-block packing counting them), and what a click changes in the message. Digests
// count suppressed findings on both channels.
import { describe, expect, it } from "vitest";
import { buildSlackDigest } from "../../shared/notify/slack-digest.js";
import { limitProblems, SLACK_LIMITS, section, type SlackBlock, type SlackMessage } from "../../shared/notify/slack-limits.js";
import { ACTION_IDS, actionOf, alertActions, decodeButtonValue, encodeButtonValue, replaceActions } from "../../shared/notify/slack-actions.js";
import { viewAlert } from "../../shared/notify/alert-view.js";
import { buildTeamsPayloads } from "../../shared/notify/teams-cards.js";
import { aFinding, aReport } from "../report/builders.js";
import { aDigest, manyFindings } from "./slack-teams-builders.js";

type Actions = Extract<SlackBlock, { type: "actions" }>;
const actionsOf = (m: SlackMessage) => m.blocks.filter((b): b is Actions => b.type === "actions");

describe("buttons under each alert", () => {
  const digest = aDigest();
  const built = buildSlackDigest(digest);
  const open = digest.alerts.filter((a) => a.reason !== "resolved");

  it("the thread gives every open alert its two buttons, right after its text; resolved notes none", () => {
    const blocks = built.thread.flatMap((m) => actionsOf(m));
    expect(blocks).toHaveLength(open.length);
    const ids = blocks.map((b) => decodeButtonValue(b.elements[0]!.value)!.findingId);
    expect(ids.sort()).toEqual(open.map((a) => a.id).sort());
    for (const b of blocks) {
      expect(b.elements.map((e) => [e.action_id, e.text.text])).toEqual([
        [ACTION_IDS.snooze, "Snooze 7 days"],
        [ACTION_IDS.acknowledge, "Acknowledge until expiry"],
      ]);
      expect(b.elements[0]!.value).toBe(b.elements[1]!.value);
    }
    for (const m of built.thread) {
      m.blocks.forEach((b, i) => {
        if (b.type === "actions") expect(m.blocks[i - 1]!.type).toBe("section");
      });
    }
  });

  it("the channel message gives each urgent alert its buttons too", () => {
    const top = built.top!;
    const urgent = Math.min(5, built.views.length);
    const withButtons = built.views.slice(0, urgent).filter((v) => v.reason !== "resolved");
    expect(actionsOf(top).map((b) => decodeButtonValue(b.elements[0]!.value)!.findingId)).toEqual(withButtons.map((v) => v.id));
  });

  it("every message stays within Slack's limits, block_ids unique in each", () => {
    for (const m of [built.top!, ...built.thread]) {
      expect(limitProblems(m)).toEqual([]);
      const ids = m.blocks.flatMap((b) => ("block_id" in b && b.block_id ? [b.block_id] : []));
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it("carries the finding's id, severity and credential end in a value of at most 2,000 characters", () => {
    const finding = aFinding();
    const block = alertActions(viewAlert({ id: finding.id, reason: "new", finding })!, 3) as Actions;
    expect(block.block_id).toBe("credwatch_alert_3");
    expect(decodeButtonValue(block.elements[1]!.value)).toEqual({ findingId: finding.id, severity: "critical", credentialEnd: "2026-11-30T00:00:00Z" });
    const gap = aFinding({ id: "role-gap:/x|y:acr", kind: "role-gap", severity: "high" });
    const { credential: _c, ...noCredential } = gap;
    const value = (alertActions(viewAlert({ id: gap.id, reason: "new", finding: noCredential })!, 1) as Actions).elements[0]!.value;
    expect(decodeButtonValue(value)).toEqual({ findingId: "role-gap:/x|y:acr", severity: "high", credentialEnd: null });
    // An id too long for Slack's value limit gets no buttons rather than a refused message.
    const huge = aFinding({ id: `role-gap:${"x".repeat(2_000)}` });
    expect(alertActions(viewAlert({ id: huge.id, reason: "new", finding: huge })!, 1)).toBeNull();
    expect(encodeButtonValue({ findingId: "x".repeat(1_970), severity: "critical", credentialEnd: "2026-11-30T00:00:00Z" }).length).toBeGreaterThan(SLACK_LIMITS.buttonValue);
  });

  it("accepts only values and action ids credwatch made", () => {
    expect(decodeButtonValue("2|critical||x")).toBeNull();
    expect(decodeButtonValue("1|urgent||x")).toBeNull();
    expect(decodeButtonValue("1|low|yesterday|x")).toBeNull();
    expect(decodeButtonValue("1|low||")).toBeNull();
    expect(decodeButtonValue("not a value")).toBeNull();
    expect(actionOf("credwatch_snooze")).toBe("snooze");
    expect(actionOf("credwatch_acknowledge")).toBe("acknowledge");
    expect(actionOf("something_else")).toBeNull();
  });

  it("the 50-block packing counts the buttons: alerts with short texts fill messages by blocks", () => {
    const findings = Array.from({ length: 120 }, (_, i) =>
      aFinding({ id: `f-${i}`, message: "m", fix: [], owners: [], impact: { registries: [], clusters: [] }, subject: { type: "application", id: `a-${i}`, name: `a${i}` } }),
    );
    const { thread } = buildSlackDigest(aDigest({ report: aReport({ findings }) }));
    for (const m of thread) {
      expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      expect(limitProblems(m)).toEqual([]);
    }
    // Some message is full by blocks: without counting the actions blocks it would have overflowed.
    expect(Math.max(...thread.map((m) => m.blocks.length))).toBeGreaterThan(45);
    // An alert's text and its buttons are never split across messages.
    for (const m of thread) {
      // One "_id_ `…`" per open alert (resolved notes, which say it too, have no buttons).
      const sections = m.blocks.filter((b) => b.type === "section" && b.text.text.includes("_id_ `") && !b.text.text.includes("Resolved*")).length;
      expect(actionsOf(m).length).toBe(sections);
    }
  });

  it("none at all when turned off (no SLACK_SIGNING_SECRET: nothing would receive the clicks)", () => {
    const off = buildSlackDigest(digest, { buttons: false });
    for (const m of [off.top!, ...off.thread]) expect(actionsOf(m)).toEqual([]);
  });

  it("limitProblems names actions that break Slack's limits", () => {
    const button = (value: string, id = "a") => ({ type: "button" as const, action_id: id, text: { type: "plain_text" as const, text: "Go", emoji: true as const }, value });
    const tooMany: SlackBlock = { type: "actions", block_id: "b1", elements: Array.from({ length: 26 }, (_, i) => button("v", `a${i}`)) };
    const longValue: SlackBlock = { type: "actions", block_id: "b2", elements: [button("v".repeat(2_001))] };
    const twice: SlackBlock = { type: "actions", block_id: "b2", elements: [button("v"), button("v")] };
    expect(limitProblems({ text: "t", blocks: [tooMany, longValue, twice, section("x")] })).toEqual([
      "block 0: 26 actions elements",
      "block 1: button 0 value of 2001 characters",
      "block 2: repeated action_id",
      "repeated block_id",
    ]);
  });
});

describe("a click replaces the alert's buttons with who silenced it until when", () => {
  it("replaces only the clicked alert's block, keeping its block_id", () => {
    const { top } = buildSlackDigest(aDigest());
    const blocks = JSON.parse(JSON.stringify(top!.blocks)) as unknown[];
    const replaced = replaceActions(blocks, "credwatch_alert_1", "Snoozed until 2026-12-02 by @alice <!channel>")!;
    expect(replaced).toHaveLength(blocks.length);
    const at = blocks.findIndex((b) => (b as { block_id?: string }).block_id === "credwatch_alert_1");
    expect(replaced[at]).toEqual({
      type: "context",
      block_id: "credwatch_alert_1",
      elements: [{ type: "mrkdwn", text: ":zzz: Snoozed until 2026-12-02 by @alice &lt;!channel&gt;", verbatim: true }],
    });
    expect(replaced.filter((_, i) => i !== at)).toEqual(blocks.filter((_, i) => i !== at));
    expect(replaceActions(blocks, "credwatch_alert_99", "x")).toBeNull();
  });
});

describe("digests count suppressed findings", () => {
  it("Slack says how many are suppressed; Teams lists them as a fact", () => {
    const digest = aDigest({ suppressed: 3 });
    const top = buildSlackDigest(digest).top!;
    expect(JSON.stringify(top.blocks)).toContain(" · 3 suppressed");
    const card = JSON.stringify(buildTeamsPayloads(digest)[0]);
    expect(card).toContain('{"title":"Suppressed","value":"3"}');
    expect(JSON.stringify(buildSlackDigest(aDigest()).top!.blocks)).not.toContain("suppressed");
  });

  it("a digest of many findings keeps every message within limits with the buttons", () => {
    const { top, thread } = buildSlackDigest(aDigest({ report: aReport({ findings: manyFindings(300) }) }));
    for (const m of [top!, ...thread]) expect(limitProblems(m)).toEqual([]);
  });
});
