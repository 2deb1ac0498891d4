// The Slack interactions endpoint through @azure/functions test mode: real HttpRequest objects signed
// the way Slack signs them, the sandbox's Slack Web API (chat.update) and the alert ledger in Table
// Storage on Azurite. A signed click is recorded and shown in the message; an unsigned, stale,
// tampered or otherwise forged one is 401 and changes nothing, in the ledger or in Slack.
import { InvocationContext, type HttpResponseInit } from "@azure/functions";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSlackInteractionsHandler } from "../../functions/slack-interactions.js";
import { TableLedger } from "../../shared/notify/ledger-table.js";
import { createSlackChannel } from "../../shared/notify/slack.js";
import type { Snooze } from "../../shared/suppress/snooze.js";
import { loadFixture, startSandbox, type Sandbox, type SlackMessageRecord } from "../sandbox/index.js";
import { startAzurite, type Azurite } from "../support/azurite.js";
import { ROOT } from "../support/run-cli.js";
import { ALICE, actionsFor, clickBody, currentMessage, interactionRequest } from "../support/slack-click.js";
import { aDigest } from "../notify/slack-teams-builders.js";

const SECRET = "8f742231b10e8888abcd99e7a1c385a5";
const NOW = new Date("2026-11-25T06:10:00Z");
const MINUTE = 60_000;

let receivers: Sandbox;
let azurite: Azurite;
let settings: Record<string, string>;
let ledger: TableLedger;
let top: SlackMessageRecord;
let thread: SlackMessageRecord[];
const digest = aDigest();
const critical = digest.report.findings.find((f) => f.severity === "critical" && !f.credential)!;
const withCredential = digest.report.findings.find((f) => f.severity !== "critical" && f.credential?.endDateTime)!;

beforeAll(async () => {
  [receivers, azurite] = await Promise.all([loadFixture(`${ROOT}/test/fixtures/demo.json`).then((fixture) => startSandbox({ fixture })), startAzurite()]);
  settings = { ...receivers.notifyEnv, SLACK_SIGNING_SECRET: SECRET, AzureWebJobsStorage: azurite.connectionString };
  useSettings(settings);
  ledger = TableLedger.fromConnectionString(azurite.connectionString, "credwatchledger");
  // A digest as credwatch posts it: the channel message and its thread, buttons under each alert.
  const sent = await createSlackChannel({ token: receivers.slack.token, channel: receivers.slack.channelId, apiUrl: receivers.slackApiUrl, owners: false }).send(digest);
  expect(sent.delivered).toBe(true);
  top = receivers.slack.messages.find((m) => !m.thread_ts)!;
  thread = receivers.slack.messages.filter((m) => m.thread_ts === top.ts);
}, 60_000);

afterAll(async () => {
  await Promise.all([receivers?.close(), azurite?.stop()]);
});

beforeEach(() => useSettings(settings));

function useSettings(env: Record<string, string>) {
  for (const key of Object.keys(process.env)) if (/^(AZURE_|IDENTITY_|MSI_|CREDWATCH_|SLACK_|TEAMS_|AzureWebJobs)/.test(key)) delete process.env[key];
  Object.assign(process.env, env);
}

const handler = createSlackInteractionsHandler({ clock: () => NOW });

async function call(request: ReturnType<typeof interactionRequest>): Promise<HttpResponseInit & { logged: string[] }> {
  const logged: string[] = [];
  const context = new InvocationContext({ functionName: "slack-interactions", invocationId: "test", logHandler: (level, ...args) => logged.push(`${level}: ${args.map(String).join(" ")}`) });
  const response = await handler(request, context);
  return { ...response, logged };
}

/** The message of the thread that holds the finding's buttons. */
function messageWith(findingId: string): SlackMessageRecord {
  const found = [top, ...thread].map((m) => currentMessage(receivers.slack.messages, m.ts)).find((m) => actionsFor(m, findingId));
  if (!found) throw new Error(`no message with buttons for ${findingId}`);
  return found;
}

/** What a refused request must leave alone: every snooze, and every message. */
async function snapshot(): Promise<{ snoozes: Snooze[]; messages: number; updates: number }> {
  return {
    snoozes: await ledger.readSnoozes(),
    messages: receivers.slack.messages.length,
    updates: receivers.slack.calls.filter((c) => c.method === "chat.update").length,
  };
}

describe("a signed click", () => {
  it("records the snooze in the ledger and replaces that alert's buttons in the message", async () => {
    const message = messageWith(withCredential.id);
    const body = clickBody({ message, findingId: withCredential.id, action: "credwatch_snooze" });
    const response = await call(interactionRequest({ body, secret: SECRET, at: new Date(NOW.getTime() - 30_000) }));
    expect(response.status).toBe(200);

    const snoozes = await ledger.readSnoozes();
    expect(snoozes).toContainEqual({
      findingId: withCredential.id,
      action: "snooze",
      until: "2026-12-02T00:00:00.000Z",
      by: "@alice (U0ALICE)",
      reason: "snoozed in Slack by @alice",
      at: NOW.toISOString(),
    });

    const updated = receivers.slack.messages.at(-1)!;
    expect(updated).toMatchObject({ method: "chat.update", ts: message.ts, channel: message.channel });
    expect(receivers.slack.calls.filter((c) => c.error)).toEqual([]);
    expect(actionsFor(updated, withCredential.id)).toBeUndefined();
    const line = updated.blocks!.find((b: { type: string; elements?: { text: string }[] }) => b.type === "context" && b.elements?.[0]?.text.includes("Snoozed"));
    expect(line.elements[0].text).toBe(":zzz: Snoozed until 2026-12-02 by @alice");
    // Every other alert keeps its buttons; the rest of the message is as it was.
    const before = message.blocks!.filter((b: { type: string }) => b.type === "actions").length;
    expect(updated.blocks!.filter((b: { type: string }) => b.type === "actions")).toHaveLength(before - 1);
    expect(updated.blocks!.length).toBe(message.blocks!.length);
    expect(updated.text).toBe(message.text);
  });

  it("acknowledges a critical finding for 7 days at most (30 asked)", async () => {
    const message = messageWith(critical.id);
    const body = clickBody({ message, findingId: critical.id, action: "credwatch_acknowledge", user: { id: "U0BOB", username: "bob" } });
    expect((await call(interactionRequest({ body, secret: SECRET, at: NOW }))).status).toBe(200);
    const snooze = (await ledger.readSnoozes()).find((s) => s.findingId === critical.id);
    expect(snooze).toMatchObject({ action: "acknowledge", until: "2026-12-02T00:00:00.000Z", by: "@bob (U0BOB)", reason: "acknowledged in Slack by @bob" });
    expect(JSON.stringify(receivers.slack.messages.at(-1)!.blocks)).toContain(":zzz: Acknowledged until 2026-12-02 by @bob");
  });

  it("ignores signed payloads that are not credwatch's buttons, and refuses a signed one that is not a payload", async () => {
    const before = await snapshot();
    const other = new URLSearchParams({ payload: JSON.stringify({ type: "block_actions", user: { id: "U1" }, actions: [{ action_id: "someone_else", block_id: "x", value: "1" }] }) }).toString();
    expect((await call(interactionRequest({ body: other, secret: SECRET, at: NOW }))).status).toBe(200);
    const shortcut = new URLSearchParams({ payload: JSON.stringify({ type: "shortcut", user: { id: "U1" } }) }).toString();
    expect((await call(interactionRequest({ body: shortcut, secret: SECRET, at: NOW }))).status).toBe(200);
    expect((await call(interactionRequest({ body: "payload=%7Bnot-json", secret: SECRET, at: NOW }))).status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});

describe("anything not signed by Slack with the app's secret is refused and changes nothing", () => {
  const findingId = () => digest.report.findings.find((f) => f.id !== withCredential.id && f.id !== critical.id && actionsFor(messageWith(f.id), f.id))!.id;
  const body = () => clickBody({ message: messageWith(findingId()), findingId: findingId(), action: "credwatch_acknowledge", user: ALICE });

  it.each([
    ["unsigned", /no X-Slack-Request-Timestamp/, () => ({ body: body(), secret: null, at: NOW })],
    ["signed with another secret", /does not match/, () => ({ body: body(), secret: "0000000000000000deadbeefdeadbeef", at: NOW })],
    ["stale: signed 5 minutes and 1 second ago", /301 s from now/, () => ({ body: body(), secret: SECRET, at: new Date(NOW.getTime() - 5 * MINUTE - 1_000) })],
    ["stale: signed an hour ago", /3600 s from now/, () => ({ body: body(), secret: SECRET, at: new Date(NOW.getTime() - 60 * MINUTE) })],
    ["from the future: 6 minutes ahead", /360 s from now/, () => ({ body: body(), secret: SECRET, at: new Date(NOW.getTime() + 6 * MINUTE) })],
    ["tampered body: another finding's id", /does not match/, () => ({ body: body(), sentBody: body().replace(encodeURIComponent(findingId()).slice(0, 20), encodeURIComponent(critical.id).slice(0, 20)), secret: SECRET, at: NOW })],
    ["tampered body: one byte appended", /does not match/, () => ({ body: body(), sentBody: `${body()}&x=1`, secret: SECRET, at: NOW })],
    ["replayed with a fresh timestamp header", /does not match/, () => ({ body: body(), secret: SECRET, at: new Date(NOW.getTime() - 60 * MINUTE), sentTimestamp: String(Math.floor(NOW.getTime() / 1000)) })],
  ])("%s: 401", async (_name, why, make) => {
    const options = make();
    if ("sentBody" in options) expect(options.sentBody).not.toBe(options.body);
    const before = await snapshot();
    const response = await call(interactionRequest(options));
    expect(response.status).toBe(401);
    expect(response.jsonBody).toEqual({ error: "unauthorized" });
    expect(response.logged.find((l) => l.startsWith("warning: slack interaction refused"))).toMatch(why);
    expect(response.logged.join("\n")).not.toContain(SECRET);
    expect(await snapshot()).toEqual(before);
  });

  it("accepts a signature made 4 minutes ago (within Slack's five)", async () => {
    const id = findingId();
    const response = await call(interactionRequest({ body: body(), secret: SECRET, at: new Date(NOW.getTime() - 4 * MINUTE) }));
    expect(response.status).toBe(200);
    expect((await ledger.readSnoozes()).some((s) => s.findingId === id)).toBe(true);
  });
});

describe("the endpoint itself", () => {
  it("answers 500 naming SLACK_SIGNING_SECRET when it is not set, and changes nothing", async () => {
    const { SLACK_SIGNING_SECRET: _s, ...without } = settings;
    useSettings(without);
    const before = await snapshot();
    const message = messageWith(critical.id);
    const response = await call(interactionRequest({ body: clickBody({ message, findingId: critical.id, action: "credwatch_snooze" }), secret: SECRET, at: NOW }));
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.jsonBody)).toContain("SLACK_SIGNING_SECRET");
    expect(await snapshot()).toEqual(before);
  });

  it("takes POST only", async () => {
    const response = await call(interactionRequest({ body: "", secret: SECRET, at: NOW, method: "GET" }));
    expect(response.status).toBe(405);
  });
});
