// The Slack channel through HTTP against the sandbox's Slack Web API: the real @slack/web-api client,
// no stubs. Faults come from the sandbox (429 with Retry-After, 5xx).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSlackChannel, type SlackChannelOptions } from "../../shared/notify/slack.js";
import { everyResourceType } from "../sandbox/helpers.js";
import { startSandbox, type Sandbox, type SlackMessageRecord } from "../sandbox/index.js";
import { aFinding, aReport } from "../report/builders.js";
import { aDigest, alertsFor, collectingLog, HOSTILE_NAME, incompleteReport, manyFindings } from "./slack-teams-builders.js";

const POST_MESSAGE = "^/slack/api/chat\\.postMessage$";

let sandbox: Sandbox;
let logged: ReturnType<typeof collectingLog>;

beforeEach(async () => {
  sandbox = await startSandbox({ fixture: await everyResourceType() });
  logged = collectingLog();
});

afterEach(async () => {
  await sandbox.close();
});

function channel(overrides: Partial<SlackChannelOptions> = {}) {
  return createSlackChannel({
    token: sandbox.slack.token,
    channel: sandbox.slack.channelId,
    apiUrl: sandbox.slackApiUrl,
    owners: false,
    log: logged.log,
    // Fast backoff where the server names no wait; the bounds themselves are the defaults.
    retry: { baseDelayMs: 10 },
    ...overrides,
  });
}

function calls(method: string) {
  return sandbox.slack.calls.filter((c) => c.method === method);
}

/** The channel message and its replies, as received. */
function digestMessages(): { top: SlackMessageRecord; thread: SlackMessageRecord[] } {
  const inChannel = sandbox.slack.messages.filter((m) => m.method === "chat.postMessage" && m.channel === sandbox.slack.channelId);
  const top = inChannel.find((m) => m.thread_ts === undefined);
  expect(top).toBeDefined();
  return { top: top!, thread: inChannel.filter((m) => m.thread_ts === top!.ts) };
}

/** Every text a person can see in a message: fallback, header, sections, context elements. */
function texts(m: SlackMessageRecord): string[] {
  return [
    m.text ?? "",
    ...(m.blocks ?? []).flatMap((b: any) => [b.text?.text, ...(b.elements ?? []).map((e: any) => e.text)].filter((t): t is string => typeof t === "string")),
  ];
}

function allText(messages: SlackMessageRecord[]): string {
  return messages.flatMap(texts).join("\n");
}

/** Slack's Block Kit limits, checked on what the sandbox received. */
function expectWithinLimits(m: SlackMessageRecord): void {
  expect(m.text?.trim()).toBeTruthy();
  expect(m.unfurl_links).toBe(false);
  expect(m.unfurl_media).toBe(false);
  const blocks = m.blocks ?? [];
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const b of blocks) {
    if (b.type === "header") expect(b.text.text.length).toBeLessThanOrEqual(150);
    if (b.type === "section") expect(b.text.text.length).toBeLessThanOrEqual(3000);
    if (b.type === "context") {
      expect(b.elements.length).toBeLessThanOrEqual(10);
      for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(3000);
    }
  }
}

describe("Slack digest", () => {
  it("posts one channel message and the details in its thread, every message within limits and tagged with the run", async () => {
    const digest = aDigest();
    const outcome = await channel().send(digest);
    expect(outcome).toMatchObject({ delivered: true });

    const { top, thread } = digestMessages();
    expect(thread.length).toBeGreaterThan(0);
    for (const m of [top, ...thread]) {
      expectWithinLimits(m);
      expect(m.metadata).toEqual({ event_type: "credwatch_digest", event_payload: { run_id: digest.runId, part: m === top ? "digest" : "thread" } });
    }
    expect(sandbox.slack.messages).toHaveLength(1 + thread.length);

    const header = top.blocks![0];
    expect(header).toEqual({ type: "header", text: { type: "plain_text", text: "credwatch: 4 new, 1 escalated, 1 repeat, 1 resolved", emoji: true } });
    const channelText = allText([top]);
    expect(channelText).toContain("`44444444-4444-4444-4444-444444444444`");
    expect(channelText).toContain("2 critical, 1 high, 2 medium, 1 low");
    expect(channelText).toContain("40 credentials examined");
    // The most urgent alert first, with its fix command.
    const firstAlert = top.blocks!.find((b: any) => b.type === "section" && b.text.text.includes("#1 CRITICAL"));
    expect(firstAlert.text.text).toContain("```\naz acr network-rule add -n acrprod --ip-address 20.1.2.3\n```");

    // The thread details every alert, with every fix command in a code block, and the resolved note.
    const details = allText(thread);
    for (const alert of digest.alerts) expect(details).toContain(alert.id.replace(/&/g, "&amp;"));
    for (const command of digest.report.findings.flatMap((f) => f.fix)) expect(details).toMatch(new RegExp("```\\n(?:.*\\n)*" + escapeRegExp(command) + "\\n"));
    expect(details).toContain("Resolved");
    expect(details).toContain("`retired &lt;!channel&gt; *urgent* &amp; &lt;https://evil.example|click here&gt;`");
  });

  it("shows the hostile display name escaped, never as markup Slack would obey", async () => {
    await channel().send(aDigest());
    const everything = allText(sandbox.slack.messages);
    expect(everything).toContain("&lt;!channel&gt;");
    expect(everything).toContain("&lt;https://evil.example|click here&gt;");
    expect(everything).not.toContain("<!channel>");
    expect(everything).not.toContain("<https://evil.example");
    expect(everything).not.toMatch(/<[!@#]/);
    // In prose (the finding's message), emphasis is broken by zero-width spaces; in code spans it is inert.
    expect(everything).toContain("\u200b*\u200burgent\u200b*\u200b");
    const outsideCode = everything.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
    expect(outsideCode).not.toContain("*urgent*");
    // The fallback text (notifications) is escaped too.
    for (const m of sandbox.slack.messages) expect(m.text).not.toContain("<");
    expect(HOSTILE_NAME).toContain("<!channel>");
  });

  // 400: with each alert's snooze / acknowledge buttons counted, 40 thread messages hold about 440.
  it("splits 400 findings into messages within the limits, every alert present", async () => {
    const findings = manyFindings(400);
    const digest = aDigest({ report: aReport({ findings }) });
    const outcome = await channel().send(digest);
    expect(outcome).toMatchObject({ delivered: true });
    expect(sandbox.slack.calls.filter((c) => c.error)).toEqual([]);

    const { top, thread } = digestMessages();
    for (const m of [top, ...thread]) expectWithinLimits(m);
    expect(thread.length).toBeGreaterThan(1);
    expect(thread.map((m) => m.text)).toEqual(thread.map((_, i) => `credwatch details, part ${i + 1} of ${thread.length}`));

    // Count the alerts detailed in the thread: one "_id_ `…`" each.
    const ids = allText(thread).match(/_id_ `[^`]+`/g) ?? [];
    expect(ids).toHaveLength(digest.alerts.length);
    expect(new Set(ids).size).toBe(401);
    for (const f of findings) expect(ids).toContain(`_id_ \`${f.id}\``);
    expect(allText([top])).toContain(`${digest.alerts.length} alerts in all`);
  });

  it("shortens an oversized string visibly, never silently", async () => {
    const huge = "x".repeat(10_000);
    const report = aReport({ findings: [aFinding({ subject: { type: "application", id: "a", name: huge }, message: `Secret of ${huge} expires.` })] });
    const outcome = await channel().send(aDigest({ report }));
    expect(outcome).toMatchObject({ delivered: true });
    for (const m of sandbox.slack.messages) expectWithinLimits(m);
    expect(allText(sandbox.slack.messages)).toMatch(/… \[shortened: \d+ more characters\]/);
  });
});

describe("Slack rate limits and failures", () => {
  it("waits out a 429's Retry-After, then delivers", async () => {
    sandbox.addFault({ method: "POST", path: POST_MESSAGE, status: 429, retryAfter: 1, times: 1 });
    const started = performance.now();
    const outcome = await channel().send(aDigest());
    expect(outcome).toMatchObject({ delivered: true });
    expect(calls("chat.postMessage").slice(0, 2).map((c) => c.status)).toEqual([429, 200]);
    // Retry-After is honoured, not shortened.
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(digestMessages().thread.length).toBeGreaterThan(0);
  });

  it("gives up on a persistent 429 after a bounded number of tries, as a retryable failure", async () => {
    sandbox.addFault({ method: "POST", path: POST_MESSAGE, status: 429, retryAfter: 0 });
    const outcome = await channel({ retry: { attempts: 3, baseDelayMs: 10 } }).send(aDigest());
    expect(outcome).toMatchObject({ delivered: false, retryable: true, kind: "transient" });
    expect(calls("chat.postMessage").map((c) => c.status)).toEqual([429, 429, 429]);
    expect(sandbox.slack.messages).toHaveLength(0);
    if (!outcome.delivered) expect(outcome.error).toMatch(/chat\.postMessage: rate limited after 3 tries/);
  });

  it("does not wait longer than its cap when Slack asks for more", async () => {
    sandbox.addFault({ method: "POST", path: POST_MESSAGE, status: 429, retryAfter: 120 });
    const outcome = await channel().send(aDigest());
    expect(outcome).toMatchObject({ delivered: false, retryable: true });
    expect(calls("chat.postMessage")).toHaveLength(1);
    if (!outcome.delivered) expect(outcome.error).toContain("asked to wait 120 s");
  });

  it("retries 5xx, then delivers", async () => {
    sandbox.addFault({ method: "POST", path: POST_MESSAGE, status: 503, times: 2 });
    const outcome = await channel().send(aDigest());
    expect(outcome).toMatchObject({ delivered: true });
    expect(calls("chat.postMessage").slice(0, 3).map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it("reports channel_not_found as a configuration error, once, without the token", async () => {
    const outcome = await channel({ channel: "C0NOTHERE1" }).send(aDigest());
    expect(outcome).toMatchObject({ delivered: false, retryable: false, kind: "configuration" });
    expect(calls("chat.postMessage")).toEqual([expect.objectContaining({ status: 200, error: "channel_not_found" })]);
    if (!outcome.delivered) {
      expect(outcome.error).toContain("channel_not_found");
      expect(outcome.error).toContain("SLACK_CHANNEL");
      expect(outcome.error).not.toContain(sandbox.slack.token);
      expect(outcome.error).not.toMatch(/xox[a-z]-/);
    }
    expect(logged.lines.join("\n")).not.toContain(sandbox.slack.token);
  });

  it("reports a wrong token as invalid_auth without echoing either token", async () => {
    const wrong = "xoxb-1111111111-wrong-token-value";
    const outcome = await channel({ token: wrong }).send(aDigest());
    expect(outcome).toMatchObject({ delivered: false, retryable: false, kind: "configuration" });
    if (!outcome.delivered) {
      expect(outcome.error).toContain("invalid_auth");
      expect(outcome.error).not.toContain(wrong);
    }
    expect(calls("chat.postMessage")).toHaveLength(1);
    expect(logged.lines.join("\n")).not.toContain(wrong);
  });
});

describe("Slack owners", () => {
  function ownersDigest() {
    const report = aReport({
      findings: [
        aFinding({ owners: ["Alice@contoso.example"] }),
        aFinding({ id: "credential-expiring:app-object-2:k2", subject: { type: "application", id: "app-object-2", name: "orphan-app" }, owners: ["nobody@contoso.example"] }),
      ],
    });
    return aDigest({ report, alerts: alertsFor(report.findings) });
  }

  it("looks each owner up by e-mail and messages them their own findings; an unknown owner is noted in the thread", async () => {
    const outcome = await channel({ owners: true }).send(ownersDigest());
    expect(outcome).toMatchObject({ delivered: true });
    expect(calls("users.lookupByEmail")).toHaveLength(2);

    const aliceId = sandbox.slack.users.get("alice@contoso.example")!;
    const dms = sandbox.slack.messages.filter((m) => m.channel === `D${aliceId.slice(1)}`);
    expect(dms).toHaveLength(1);
    expectWithinLimits(dms[0]!);
    expect(dms[0]!.args.channel).toBe(aliceId);
    expect(dms[0]!.metadata?.event_payload.part).toBe("owner");
    expect(allText(dms)).toContain("`ci-pull`");
    expect(allText(dms)).not.toContain("orphan-app");

    const note = allText(digestMessages().thread);
    expect(note).toMatch(/Owners messaged directly \(1\):\* `Alice@contoso\.example`/);
    expect(note).toMatch(/Not found in Slack, not messaged \(1\):\* `nobody@contoso\.example`/);
  });

  it("says so in the thread when owners cannot be looked up (missing scope), and still delivers", async () => {
    sandbox.slack.scopes.delete("users:read.email");
    const outcome = await channel({ owners: true }).send(ownersDigest());
    expect(outcome).toMatchObject({ delivered: true });
    expect(calls("users.lookupByEmail")).toHaveLength(1);
    expect(visible(allText(digestMessages().thread))).toMatch(/Owner look-up stopped, 2 owners not messaged:\* .*missing_scope.*\(needed: users:read\.email\)/);
  });

  it("looks nobody up when owners are off", async () => {
    await channel({ owners: false }).send(ownersDigest());
    expect(calls("users.lookupByEmail")).toHaveLength(0);
  });
});

describe("Slack read-back", () => {
  it("wasDelivered is false before the digest is sent and true after", async () => {
    const slack = channel();
    const digest = aDigest();
    const since = new Date(Date.now() - 60_000);
    expect(await slack.wasDelivered(digest.runId, since)).toBe(false);
    await slack.send(digest);
    expect(await slack.wasDelivered(digest.runId, since)).toBe(true);
    expect(await slack.wasDelivered("another-run", since)).toBe(false);
    // A fresh channel object (a new process after a crash) finds it too.
    expect(await channel().wasDelivered(digest.runId, since)).toBe(true);
    expect(calls("conversations.history").every((c) => c.status === 200 && !c.error)).toBe(true);
  });

  it("wasDelivered is null when Slack refuses to read the channel back", async () => {
    sandbox.slack.scopes.delete("channels:history");
    expect(await channel().wasDelivered("run", new Date(0))).toBeNull();
  });

  it("wasDelivered is null for a #name until a post has told it the channel's id", async () => {
    const slack = channel({ channel: `#${sandbox.slack.channelName}` });
    const digest = aDigest();
    expect(await slack.wasDelivered(digest.runId, new Date(0))).toBeNull();
    await slack.send(digest);
    expect(await slack.wasDelivered(digest.runId, new Date(0))).toBe(true);
  });
});

describe("Slack silence is never ambiguous", () => {
  it("posts the unread scopes of an incomplete sweep even with no alerts", async () => {
    const outcome = await channel().send(aDigest({ report: incompleteReport([], 2), alerts: [] }));
    expect(outcome).toMatchObject({ delivered: true });
    expect(sandbox.slack.messages).toHaveLength(1);
    const text = allText(sandbox.slack.messages);
    expect(text).toContain("Incomplete sweep: 2 scopes could not be read.");
    expect(text).toContain("`/subscriptions/33333330-3333-3333-3333-333333333333`");
    expect(text).toContain("`/subscriptions/33333331-3333-3333-3333-333333333333`");
    expect(text).toContain("&lt;!here&gt;");
    expect(text).toContain("This is not an all-clear");
    expect(text).not.toContain("all clear,");
  });

  it("lists every unread scope: the first ten in the channel, all of them in the thread", async () => {
    await channel().send(aDigest({ report: incompleteReport([], 15), alerts: [] }));
    const { top, thread } = digestMessages();
    expect(allText([top])).toContain("…and 5 more: every unread scope is listed in the thread.");
    const listed = allText(thread).match(/\/subscriptions\/3333333\d+-/g) ?? [];
    expect(listed).toHaveLength(15);
  });

  it("posts the heartbeat only after a complete sweep", async () => {
    const quiet = await channel().send(aDigest({ alerts: [], heartbeat: false }));
    expect(quiet).toEqual({ delivered: true, detail: "nothing to send" });
    expect(sandbox.slack.calls).toHaveLength(0);

    await channel().send(aDigest({ alerts: [], heartbeat: true }));
    expect(sandbox.slack.messages).toHaveLength(1);
    expect(allText(sandbox.slack.messages)).toContain("credwatch: all clear, 40 credentials checked");

    sandbox.slack.messages.length = 0;
    await channel().send(aDigest({ report: incompleteReport(), alerts: [], heartbeat: true }));
    expect(sandbox.slack.messages).toHaveLength(1);
    const text = allText(sandbox.slack.messages);
    expect(text).not.toContain("all clear,");
    expect(text).toContain("Incomplete sweep");
  });
});

/** Text as a person reads it: zero-width spaces are invisible. */
function visible(text: string): string {
  return text.replace(/\u200b/g, "");
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
