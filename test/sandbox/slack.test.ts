// The sandbox's Slack Web API on the wire: request formats (form-encoded as @slack/web-api sends,
// JSON), Slack's answer shapes, token/channel/scope checks, Block Kit limits, faults.
import { WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { everyResourceType } from "./helpers.js";
import { startSandbox, type Sandbox } from "./index.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox({ fixture: await everyResourceType(), slack: { channelId: "C0ALERTS01", channelName: "platform-alerts" } });
});

afterEach(async () => {
  await sandbox.close();
});

async function call(method: string, fields: Record<string, string>, options: { token?: string | null; json?: boolean } = {}) {
  const token = options.token === undefined ? sandbox.slack.token : options.token;
  const response = await fetch(`${sandbox.slackApiUrl}${method}`, {
    method: "POST",
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      "content-type": options.json ? "application/json; charset=utf-8" : "application/x-www-form-urlencoded",
    },
    body: options.json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const SECTION = (text: string) => JSON.stringify([{ type: "section", text: { type: "mrkdwn", text } }]);

describe("sandbox Slack Web API", () => {
  it("is served at a loopback http URL ending in /slack/api/, with the settings that point credwatch at it", () => {
    expect(sandbox.slackApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/slack\/api\/$/);
    expect(sandbox.notifyEnv).toEqual({
      SLACK_BOT_TOKEN: sandbox.slack.token,
      SLACK_CHANNEL: "C0ALERTS01",
      SLACK_API_URL: sandbox.slackApiUrl,
      TEAMS_WEBHOOK_URL: sandbox.teamsWebhookUrl,
    });
    expect(sandbox.slack.token).toMatch(/^xoxb-[A-Za-z0-9-]+$/);
  });

  it("answers chat.postMessage like Slack and records the message, decoding form fields", async () => {
    const metadata = JSON.stringify({ event_type: "credwatch_digest", event_payload: { run_id: "r1" } });
    const answer = await call("chat.postMessage", { channel: "#platform-alerts", text: "hi", blocks: SECTION("*hi*"), unfurl_links: "false", metadata });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, channel: "C0ALERTS01", ts: expect.stringMatching(/^\d+\.\d{6}$/), message: { type: "message", text: "hi", bot_id: "B0CREDWATCH" } });
    expect(sandbox.slack.messages).toEqual([
      expect.objectContaining({
        method: "chat.postMessage",
        channel: "C0ALERTS01",
        ts: answer.body.ts,
        text: "hi",
        blocks: [{ type: "section", text: { type: "mrkdwn", text: "*hi*" } }],
        metadata: { event_type: "credwatch_digest", event_payload: { run_id: "r1" } },
        unfurl_links: false,
      }),
    ]);
  });

  it("accepts what @slack/web-api 8 sends (form-encoded, Bearer token)", async () => {
    const client = new WebClient(sandbox.slack.token, { slackApiUrl: sandbox.slackApiUrl, retryConfig: { retries: 0 } });
    expect(await client.auth.test()).toMatchObject({ ok: true, bot_id: "B0CREDWATCH" });
    const posted = await client.chat.postMessage({ channel: "C0ALERTS01", text: "t", blocks: [{ type: "divider" }], metadata: { event_type: "e", event_payload: { a: 1 } } });
    const reply = await client.chat.postMessage({ channel: "C0ALERTS01", text: "reply", thread_ts: posted.ts! });
    expect(sandbox.slack.messages.map((m) => [m.text, m.thread_ts])).toEqual([
      ["t", undefined],
      ["reply", posted.ts],
    ]);
    const updated = await client.chat.update({ channel: "C0ALERTS01", ts: posted.ts!, text: "t2" });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: "t2" });
    // History: parents only, newest first; metadata only when asked for.
    const history = await client.conversations.history({ channel: "C0ALERTS01", include_all_metadata: true });
    expect(history.messages?.map((m) => [m.text, m.metadata])).toEqual([["t2", { event_type: "e", event_payload: { a: 1 } }]]);
    const bare = await client.conversations.history({ channel: "C0ALERTS01" });
    expect(bare.messages?.[0]?.metadata).toBeUndefined();
  });

  it("accepts a JSON body with the token in the header", async () => {
    const answer = await call("chat.postMessage", { channel: "C0ALERTS01", text: "json" }, { json: true });
    expect(answer.body).toMatchObject({ ok: true, channel: "C0ALERTS01" });
  });

  it("refuses a missing or wrong token, an unknown channel and an unknown method with ok:false", async () => {
    expect((await call("chat.postMessage", { channel: "C0ALERTS01", text: "x" }, { token: null })).body).toEqual({ ok: false, error: "not_authed" });
    expect((await call("chat.postMessage", { channel: "C0ALERTS01", text: "x" }, { token: "xoxb-wrong" })).body).toEqual({ ok: false, error: "invalid_auth" });
    expect((await call("chat.postMessage", { channel: "C0OTHER001", text: "x" })).body).toEqual({ ok: false, error: "channel_not_found" });
    expect((await call("chat.postMessage", { channel: "C0ALERTS01" })).body).toEqual({ ok: false, error: "no_text" });
    expect((await call("chat.delete", { channel: "C0ALERTS01" })).body).toEqual({ ok: false, error: "unknown_method" });
    expect(sandbox.slack.messages).toHaveLength(0);
    expect(sandbox.slack.calls.map((c) => c.error)).toEqual(["not_authed", "invalid_auth", "channel_not_found", "no_text", "unknown_method"]);
  });

  it("enforces Block Kit limits as Slack does", async () => {
    const tooLong = await call("chat.postMessage", { channel: "C0ALERTS01", text: "x", blocks: SECTION("x".repeat(3_001)) });
    expect(tooLong.body).toEqual({ ok: false, error: "invalid_blocks", response_metadata: { messages: ["[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"] } });
    const tooMany = await call("chat.postMessage", { channel: "C0ALERTS01", text: "x", blocks: JSON.stringify(Array.from({ length: 51 }, () => ({ type: "divider" }))) });
    expect(tooMany.body.error).toBe("invalid_blocks");
    const header = await call("chat.postMessage", { channel: "C0ALERTS01", text: "x", blocks: JSON.stringify([{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }]) });
    expect(header.body.error).toBe("invalid_blocks");
    const total = JSON.stringify(Array.from({ length: 5 }, () => ({ type: "section", text: { type: "mrkdwn", text: "x".repeat(2_900) } })));
    expect((await call("chat.postMessage", { channel: "C0ALERTS01", text: "x", blocks: total })).body).toEqual({ ok: false, error: "msg_blocks_too_long" });
    expect((await call("chat.postMessage", { channel: "C0ALERTS01", text: "x", metadata: "{}" })).body).toEqual({ ok: false, error: "invalid_metadata_format" });
  });

  it("accepts buttons in actions blocks within Block Kit's limits, and refuses the rest", async () => {
    const button = (i: number, extra: Record<string, unknown> = {}) => ({ type: "button", action_id: `a${i}`, text: { type: "plain_text", text: "Snooze 7 days" }, value: "v", ...extra });
    const post = (blocks: unknown[]) => call("chat.postMessage", { channel: "C0ALERTS01", text: "x", blocks: JSON.stringify(blocks) });
    expect((await post([{ type: "actions", block_id: "b1", elements: [button(1), button(2)] }])).body.ok).toBe(true);
    const problems = async (blocks: unknown[]) => (await post(blocks)).body.response_metadata?.messages;
    expect(await problems([{ type: "actions", elements: Array.from({ length: 26 }, (_, i) => button(i)) }])).toEqual(["[ERROR] no more than 25 items allowed [json-pointer:/blocks/0/elements]"]);
    expect(await problems([{ type: "actions", elements: [button(1, { value: "v".repeat(2_001) })] }])).toEqual(["[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]"]);
    expect(await problems([{ type: "actions", elements: [button(1, { text: { type: "plain_text", text: "t".repeat(76) } })] }])).toEqual(["[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]"]);
    expect(await problems([{ type: "actions", elements: [button(1), button(1)] }])).toEqual(["[ERROR] action_id already exists [json-pointer:/blocks/0/elements/1/action_id]"]);
    expect(await problems([{ type: "divider", block_id: "same" }, { type: "actions", block_id: "same", elements: [button(1)] }])).toEqual(["[ERROR] block_id already exists [json-pointer:/blocks/1/block_id]"]);
  });

  it("looks users up by e-mail (seeded from the fixture's owners) and takes a user id as a DM channel", async () => {
    expect([...sandbox.slack.users.keys()].sort()).toEqual(["alice@contoso.example", "bob@contoso.example"]);
    const found = await call("users.lookupByEmail", { email: "Alice@Contoso.example" });
    expect(found.body).toMatchObject({ ok: true, user: { id: sandbox.slack.users.get("alice@contoso.example"), profile: { email: "Alice@Contoso.example" } } });
    expect((await call("users.lookupByEmail", { email: "carol@contoso.example" })).body).toEqual({ ok: false, error: "users_not_found" });
    const dm = await call("chat.postMessage", { channel: found.body.user.id, text: "yours" });
    expect(dm.body.channel).toBe(`D${found.body.user.id.slice(1)}`);
  });

  it("answers missing_scope for a method whose scope the token lacks", async () => {
    sandbox.slack.scopes.delete("channels:history");
    const answer = await call("conversations.history", { channel: "C0ALERTS01" });
    expect(answer.body).toMatchObject({ ok: false, error: "missing_scope", needed: "channels:history" });
  });

  it("pages conversations.history with a cursor and filters by oldest", async () => {
    for (const text of ["a", "b", "c"]) await call("chat.postMessage", { channel: "C0ALERTS01", text });
    const first = await call("conversations.history", { channel: "C0ALERTS01", limit: "2" });
    expect(first.body).toMatchObject({ ok: true, has_more: true });
    expect(first.body.messages.map((m: any) => m.text)).toEqual(["c", "b"]);
    const second = await call("conversations.history", { channel: "C0ALERTS01", limit: "2", cursor: first.body.response_metadata.next_cursor });
    expect(second.body.messages.map((m: any) => m.text)).toEqual(["a"]);
    expect(second.body.has_more).toBe(false);
    const future = await call("conversations.history", { channel: "C0ALERTS01", oldest: String(Date.now() / 1000 + 3600) });
    expect(future.body.messages).toEqual([]);
    expect((await call("conversations.history", { channel: "#platform-alerts" })).body).toEqual({ ok: false, error: "channel_not_found" });
  });

  it("applies the sandbox's faults: 429 with Retry-After and Slack's ratelimited body, then 5xx", async () => {
    sandbox.addFault({ method: "POST", path: "^/slack/api/chat\\.postMessage$", status: 429, retryAfter: 7, times: 1 });
    sandbox.addFault({ method: "POST", path: "^/slack/api/chat\\.postMessage$", status: 500, times: 1 });
    const limited = await call("chat.postMessage", { channel: "C0ALERTS01", text: "x" });
    expect([limited.status, limited.headers.get("retry-after"), limited.body]).toEqual([429, "7", { ok: false, error: "ratelimited" }]);
    const failed = await call("chat.postMessage", { channel: "C0ALERTS01", text: "x" });
    expect(failed.status).toBe(500);
    expect((await call("chat.postMessage", { channel: "C0ALERTS01", text: "x" })).body.ok).toBe(true);
    expect(sandbox.slack.calls.map((c) => c.status)).toEqual([429, 500, 200]);
  });
});
