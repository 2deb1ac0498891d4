// A click on one of credwatch's buttons as Slack sends it to the Interactivity Request URL: a
// block_actions payload, form-encoded (`payload=<JSON>`), signed per Slack's documented scheme
// (api.slack.com/authentication/verifying-requests-from-slack) — computed here on its own, not with
// credwatch's code: X-Slack-Signature = "v0=" + hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + body).
import { createHmac } from "node:crypto";
import { HttpRequest } from "@azure/functions";
import type { SlackMessageRecord } from "../sandbox/index.js";

export interface SlackUser {
  id: string;
  username: string;
}

export const ALICE: SlackUser = { id: "U0ALICE", username: "alice" };

export interface ClickOptions {
  /** The message as the Slack sandbox holds it (the latest record of its ts). */
  message: SlackMessageRecord;
  findingId: string;
  action: "credwatch_snooze" | "credwatch_acknowledge" | string;
  user?: SlackUser;
}

/** The actions block whose buttons name `findingId` (value "1|severity|end|id"). */
export function actionsFor(message: SlackMessageRecord, findingId: string): { block_id: string; elements: { action_id: string; value: string; text: unknown }[] } | undefined {
  return (message.blocks ?? []).find(
    (b: { type?: string; elements?: { value?: string }[] }) => b.type === "actions" && b.elements?.some((e) => e.value?.endsWith(`|${findingId}`)),
  );
}

/** The form body Slack would post for the click. */
export function clickBody(options: ClickOptions): string {
  const { message } = options;
  const block = actionsFor(message, options.findingId);
  if (!block) throw new Error(`no buttons for ${options.findingId} in message ${message.ts}`);
  const button = block.elements.find((e) => e.action_id === options.action) ?? { ...block.elements[0]!, action_id: options.action };
  const user = options.user ?? ALICE;
  const payload = {
    type: "block_actions",
    user: { id: user.id, username: user.username, name: user.username, team_id: "T0SANDBOX" },
    api_app_id: "A0CREDWATCH",
    token: "deprecated-verification-token",
    container: { type: "message", message_ts: message.ts, channel_id: message.channel, is_ephemeral: false, ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}) },
    trigger_id: "123.456.abc",
    team: { id: "T0SANDBOX", domain: "credwatch-sandbox" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: "credwatch-alerts" },
    message: { type: "message", user: "U0CREDWATCH", bot_id: "B0CREDWATCH", text: message.text, ts: message.ts, ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}), blocks: message.blocks },
    state: { values: {} },
    response_url: "https://hooks.slack.com/actions/T0SANDBOX/1/abc",
    actions: [{ action_id: button.action_id, block_id: block.block_id, text: button.text, value: button.value, type: "button", action_ts: "1764050000.000001" }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function sign(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface RequestOptions {
  body: string;
  /** Signed with this secret; null: no signature headers at all. */
  secret: string | null;
  /** When Slack sent it. */
  at: Date;
  /** Headers as sent, when they differ from the signed ones (tampering). */
  sentBody?: string;
  sentTimestamp?: string;
  method?: string;
}

/** The request the Functions host would hand the handler. */
export function interactionRequest(options: RequestOptions): HttpRequest {
  const timestamp = String(Math.floor(options.at.getTime() / 1000));
  const body = options.sentBody ?? options.body;
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    "content-length": String(Buffer.byteLength(body)),
    "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
  };
  if (options.secret !== null) {
    headers["x-slack-request-timestamp"] = options.sentTimestamp ?? timestamp;
    headers["x-slack-signature"] = sign(options.secret, timestamp, options.body);
  }
  return new HttpRequest({
    method: options.method ?? "POST",
    url: "https://func-credwatch.azurewebsites.net/api/slack/interactions",
    headers,
    ...(options.method === "GET" ? {} : { body: { string: body } }),
  });
}

/** The message with this ts as the channel holds it now (updates applied). */
export function currentMessage(messages: SlackMessageRecord[], ts: string): SlackMessageRecord {
  const found = messages.filter((m) => m.ts === ts).at(-1);
  if (!found) throw new Error(`no message ${ts}`);
  return found;
}
