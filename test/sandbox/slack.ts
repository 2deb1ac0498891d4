// The Slack Web API methods credwatch calls, as Slack answers them: POST /slack/api/{method} with a
// form-encoded body (what @slack/web-api 8 sends: objects such as blocks and metadata as JSON
// strings) or a JSON body, the bot token as `Authorization: Bearer xoxb-…` (or a `token` field),
// HTTP 200 with {ok:true, …} or {ok:false, error}. Messages are validated against the Block Kit
// limits Slack enforces and recorded as received.
import { randomBytes } from "node:crypto";
import type { FaultSet } from "./faults.js";
import type { Fixture } from "./fixture-schema.js";
import type { SandboxRequest, SandboxResponse } from "./http-types.js";

export const SLACK_API_PREFIX = "/slack/api/";

export interface SlackMessageRecord {
  method: "chat.postMessage" | "chat.update";
  /** The channel id the message is in (a D… id for a direct message). */
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: any[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  unfurl_links?: unknown;
  unfurl_media?: unknown;
  /** Every argument as received, decoded. */
  args: Record<string, unknown>;
  at: string;
}

export interface SlackCallRecord {
  method: string;
  /** HTTP status of the answer. */
  status: number;
  /** The `error` of an ok:false answer. */
  error?: string;
  at: string;
}

export interface SlackSandboxOptions {
  /** Bot token the receiver accepts (default: a random xoxb- token). */
  token?: string;
  /** Id of the one channel credwatch may post to (default C0CREDWATCH). */
  channelId?: string;
  /** Its name, accepted by chat.postMessage as "name" or "#name" (default credwatch-alerts). */
  channelName?: string;
}

export interface SlackSandbox {
  token: string;
  channelId: string;
  channelName: string;
  /** Every chat.postMessage and chat.update received and accepted, in order. */
  messages: SlackMessageRecord[];
  /** E-mail (lower-case) → user id, for users.lookupByEmail; seeded from the fixture's owners. */
  users: Map<string, string>;
  /** The token's scopes; a method needing one that is missing answers missing_scope. */
  scopes: Set<string>;
  /** Every call, faults and refusals included. */
  calls: SlackCallRecord[];
}

// What each method needs (docs.slack.dev/reference/methods). auth.test needs none.
const NEEDED_SCOPE: Record<string, string | undefined> = {
  "chat.postMessage": "chat:write",
  "chat.update": "chat:write",
  "users.lookupByEmail": "users:read.email",
  "conversations.history": "channels:history",
};

const BOT = { userId: "U0CREDWATCH", botId: "B0CREDWATCH", teamId: "T0SANDBOX" };

export function createSlackSandbox(fixture: Fixture, options: SlackSandboxOptions = {}): SlackSandbox {
  return {
    token: options.token ?? `xoxb-0000000000-sandbox-${randomBytes(12).toString("hex")}`,
    channelId: options.channelId ?? "C0CREDWATCH",
    channelName: options.channelName ?? "credwatch-alerts",
    messages: [],
    users: seedUsers(fixture),
    scopes: new Set(["chat:write", "users:read", "users:read.email", "channels:history"]),
    calls: [],
  };
}

/** Every owner with an address in the fixture is a Slack user with that e-mail. */
function seedUsers(fixture: Fixture): Map<string, string> {
  const users = new Map<string, string>();
  const holders = [...(fixture.applications ?? []), ...(fixture.servicePrincipals ?? [])];
  for (const owner of holders.flatMap((h) => h.owners ?? [])) {
    const email = (owner.mail ?? owner.userPrincipalName)?.toLowerCase();
    if (email && !users.has(email)) users.set(email, `U${owner.id.replace(/-/g, "").slice(0, 10).toUpperCase()}`);
  }
  return users;
}

/** Messages as the channel holds them now (updates applied), per channel id. */
interface Conversation {
  messages: Map<string, SlackMessageRecord>;
}

export function slackHandler(slack: SlackSandbox, faults: FaultSet): (req: SandboxRequest) => Promise<SandboxResponse> {
  const conversations = new Map<string, Conversation>();
  let sequence = 0;
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++sequence).padStart(6, "0")}`;
  const conversation = (id: string) => {
    let c = conversations.get(id);
    if (!c) conversations.set(id, (c = { messages: new Map() }));
    return c;
  };

  return async (req) => {
    const method = req.path.slice(SLACK_API_PREFIX.length);
    const at = new Date().toISOString();
    const response = await answer(method, req);
    const body = response.body as { ok?: boolean; error?: string } | undefined;
    slack.calls.push({ method, status: response.status, ...(body?.ok === false && body.error ? { error: body.error } : {}), at });
    return response;
  };

  async function answer(method: string, req: SandboxRequest): Promise<SandboxResponse> {
    const fault = faults.take(req.method, req.path);
    if (fault) {
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.status !== undefined || fault.body !== undefined) return faultResponse(fault.status ?? 200, fault.body, fault.retryAfter);
    }
    if (req.method !== "POST" && req.method !== "GET") return { status: 405, body: { ok: false, error: "method_not_supported_for_channel_type" } };
    let args: Record<string, unknown>;
    try {
      args = parseArguments(req);
    } catch {
      return ok(false, { error: "invalid_json" });
    }
    const token = bearer(req) ?? (typeof args.token === "string" ? args.token : undefined);
    if (!token) return ok(false, { error: "not_authed" });
    if (token !== slack.token) return ok(false, { error: "invalid_auth" });
    const scope = NEEDED_SCOPE[method];
    if (scope && !slack.scopes.has(scope)) return ok(false, { error: "missing_scope", needed: scope, provided: [...slack.scopes].join(",") });
    switch (method) {
      case "auth.test":
        return ok(true, { url: "https://credwatch-sandbox.slack.com/", team: "credwatch sandbox", user: "credwatch", team_id: BOT.teamId, user_id: BOT.userId, bot_id: BOT.botId, is_enterprise_install: false });
      case "chat.postMessage":
        return postMessage(args);
      case "chat.update":
        return update(args);
      case "users.lookupByEmail":
        return lookupByEmail(args);
      case "conversations.history":
        return history(args);
      default:
        return ok(false, { error: "unknown_method" });
    }
  }

  /** A channel argument as Slack resolves it: the channel (id or name) or a user (their DM). */
  function resolveChannel(value: unknown): string | null {
    if (typeof value !== "string" || value === "") return null;
    if (value === slack.channelId || value.replace(/^#/, "") === slack.channelName) return slack.channelId;
    if ([...slack.users.values()].includes(value)) return `D${value.slice(1)}`;
    if (value.startsWith("D") && [...slack.users.values()].includes(`U${value.slice(1)}`)) return value;
    return null;
  }

  function messageProblems(args: Record<string, unknown>): SandboxResponse | null {
    const blocks = args.blocks;
    if ((typeof args.text !== "string" || args.text === "") && blocks === undefined) return ok(false, { error: "no_text" });
    if (blocks !== undefined) {
      const problems = blockProblems(blocks);
      if (problems.tooLong) return ok(false, { error: "msg_blocks_too_long" });
      if (problems.messages.length > 0) return ok(false, { error: "invalid_blocks", response_metadata: { messages: problems.messages.map((m) => `[ERROR] ${m}`) } });
    }
    if (args.metadata !== undefined && !validMetadata(args.metadata)) return ok(false, { error: "invalid_metadata_format" });
    return null;
  }

  function record(method: SlackMessageRecord["method"], channel: string, ts: string, args: Record<string, unknown>, threadTs?: string): SlackMessageRecord {
    return {
      method,
      channel,
      ts,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(typeof args.text === "string" ? { text: args.text } : {}),
      ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
      ...(validMetadata(args.metadata) ? { metadata: args.metadata } : {}),
      ...("unfurl_links" in args ? { unfurl_links: args.unfurl_links } : {}),
      ...("unfurl_media" in args ? { unfurl_media: args.unfurl_media } : {}),
      args,
      at: new Date().toISOString(),
    };
  }

  function wireMessage(m: SlackMessageRecord, withMetadata: boolean): Record<string, unknown> {
    return {
      type: "message",
      user: BOT.userId,
      bot_id: BOT.botId,
      app_id: "A0CREDWATCH",
      team: BOT.teamId,
      text: m.text ?? "",
      ts: m.ts,
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.thread_ts ? { thread_ts: m.thread_ts, parent_user_id: BOT.userId } : {}),
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    };
  }

  function postMessage(args: Record<string, unknown>): SandboxResponse {
    const channel = resolveChannel(args.channel);
    if (!channel) return ok(false, { error: "channel_not_found" });
    const problem = messageProblems(args);
    if (problem) return problem;
    const threadTs = typeof args.thread_ts === "string" && args.thread_ts !== "" ? args.thread_ts : undefined;
    const message = record("chat.postMessage", channel, nextTs(), args, threadTs);
    slack.messages.push(message);
    conversation(channel).messages.set(message.ts, message);
    return ok(true, { channel, ts: message.ts, message: wireMessage(message, true) });
  }

  function update(args: Record<string, unknown>): SandboxResponse {
    const channel = resolveChannel(args.channel);
    if (!channel) return ok(false, { error: "channel_not_found" });
    const existing = typeof args.ts === "string" ? conversations.get(channel)?.messages.get(args.ts) : undefined;
    if (!existing) return ok(false, { error: "message_not_found" });
    const problem = messageProblems(args);
    if (problem) return problem;
    const message = record("chat.update", channel, existing.ts, { ...existing.args, ...args }, existing.thread_ts);
    slack.messages.push(message);
    conversation(channel).messages.set(message.ts, message);
    return ok(true, { channel, ts: message.ts, text: message.text ?? "", message: wireMessage(message, true) });
  }

  function lookupByEmail(args: Record<string, unknown>): SandboxResponse {
    if (typeof args.email !== "string" || args.email === "") return ok(false, { error: "invalid_arguments" });
    const id = slack.users.get(args.email.toLowerCase());
    if (!id) return ok(false, { error: "users_not_found" });
    const name = args.email.split("@")[0] ?? args.email;
    return ok(true, { user: { id, team_id: BOT.teamId, name, deleted: false, real_name: name, is_bot: false, profile: { email: args.email, real_name: name, display_name: name } } });
  }

  function history(args: Record<string, unknown>): SandboxResponse {
    // conversations.history takes an id only; a #name is not found.
    if (args.channel !== slack.channelId) return ok(false, { error: "channel_not_found" });
    const oldest = Number(args.oldest ?? 0);
    const latest = args.latest === undefined ? Number.POSITIVE_INFINITY : Number(args.latest);
    const inclusive = args.inclusive === true || args.inclusive === "true" || args.inclusive === "1";
    const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 999);
    const offset = typeof args.cursor === "string" && args.cursor !== "" ? Number(Buffer.from(args.cursor, "base64").toString("utf8").replace(/^offset:/, "")) : 0;
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === "true" || args.include_all_metadata === "1";
    const parents = [...(conversations.get(slack.channelId)?.messages.values() ?? [])]
      // Replies live in their thread, not the channel's history.
      .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
      .filter((m) => {
        const ts = Number(m.ts);
        return (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest);
      })
      .sort((a, b) => Number(b.ts) - Number(a.ts));
    const page = parents.slice(offset, offset + limit);
    const more = offset + limit < parents.length;
    return ok(true, {
      messages: page.map((m) => wireMessage(m, withMetadata)),
      has_more: more,
      pin_count: 0,
      response_metadata: { next_cursor: more ? Buffer.from(`offset:${offset + limit}`).toString("base64") : "" },
    });
  }
}

function ok(okay: boolean, fields: Record<string, unknown>): SandboxResponse {
  return { status: 200, body: { ok: okay, ...fields } };
}

function faultResponse(status: number, rawBody: string | undefined, retryAfter: number | undefined): SandboxResponse {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": String(retryAfter) };
  if (rawBody !== undefined) return { status, rawBody, headers };
  // Slack answers a rate limit with 429, Retry-After and {"ok":false,"error":"ratelimited"}.
  const error = status === 429 ? "ratelimited" : status >= 500 ? "internal_error" : "invalid_request";
  return { status, headers, body: { ok: false, error } };
}

function bearer(req: SandboxRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  return match?.[1];
}

/** Form fields (JSON-valued ones decoded, as Slack does) or a JSON object. */
function parseArguments(req: SandboxRequest): Record<string, unknown> {
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("application/json")) {
    const parsed = JSON.parse(req.body === "" ? "{}" : req.body) as unknown;
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as Record<string, unknown>;
  }
  const args: Record<string, unknown> = Object.fromEntries(req.query);
  for (const [key, value] of new URLSearchParams(req.body)) args[key] = decodeField(key, value);
  return args;
}

const JSON_FIELDS = new Set(["blocks", "attachments", "metadata"]);

function decodeField(key: string, value: string): unknown {
  if (JSON_FIELDS.has(key)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // Reported as invalid_blocks / invalid_metadata_format.
    }
  }
  if (value === "true") return true;
  if (value === "false") return false;
  return value;
}

function validMetadata(value: unknown): value is { event_type: string; event_payload: Record<string, unknown> } {
  const m = value as { event_type?: unknown; event_payload?: unknown } | null;
  return (
    typeof m === "object" &&
    m !== null &&
    typeof m.event_type === "string" &&
    m.event_type !== "" &&
    typeof m.event_payload === "object" &&
    m.event_payload !== null &&
    !Array.isArray(m.event_payload)
  );
}

// Block Kit limits (docs.slack.dev/reference/block-kit): 50 blocks, section text 3,000, header 150,
// context 10 elements, actions 25 elements (buttons only here), block_id unique and up to 255. Slack refuses blocks holding somewhat over 13,000 characters in all
// (msg_blocks_too_long; undocumented, observed in slackapi/bolt-js#2509): approximated at 13,000.
const TOTAL_LIMIT = 13_000;

function blockProblems(blocks: unknown): { messages: string[]; tooLong: boolean } {
  if (!Array.isArray(blocks)) return { messages: ["expected an array [json-pointer:/blocks]"], tooLong: false };
  const messages: string[] = [];
  if (blocks.length > 50) messages.push("no more than 50 items allowed [json-pointer:/blocks]");
  let total = 0;
  const textOf = (value: unknown, pointer: string, max: number): void => {
    const t = value as { type?: unknown; text?: unknown } | undefined;
    if (!t || typeof t.text !== "string" || (t.type !== "mrkdwn" && t.type !== "plain_text")) {
      messages.push(`must provide a text object [json-pointer:${pointer}]`);
      return;
    }
    if (t.text.length === 0) messages.push(`must be more than 0 characters [json-pointer:${pointer}/text]`);
    if (t.text.length > max) messages.push(`must be less than ${max + 1} characters [json-pointer:${pointer}/text]`);
    total += t.text.length;
  };
  const blockIds = new Set<string>();
  blocks.forEach((block: any, i: number) => {
    const at = `/blocks/${i}`;
    if (block?.block_id !== undefined) {
      // A block_id is up to 255 characters and unique in the message.
      if (typeof block.block_id !== "string" || block.block_id.length === 0 || block.block_id.length > 255) messages.push(`must be less than 256 characters [json-pointer:${at}/block_id]`);
      else if (blockIds.has(block.block_id)) messages.push(`block_id already exists [json-pointer:${at}/block_id]`);
      else blockIds.add(block.block_id);
    }
    switch (block?.type) {
      case "header":
        if (block.text?.type !== "plain_text") messages.push(`must be a plain_text object [json-pointer:${at}/text]`);
        textOf(block.text, `${at}/text`, 150);
        break;
      case "section":
        if (block.text !== undefined) textOf(block.text, `${at}/text`, 3_000);
        else if (!Array.isArray(block.fields)) messages.push(`must provide text or fields [json-pointer:${at}]`);
        break;
      case "context":
        if (!Array.isArray(block.elements) || block.elements.length === 0) messages.push(`must provide elements [json-pointer:${at}/elements]`);
        else if (block.elements.length > 10) messages.push(`no more than 10 items allowed [json-pointer:${at}/elements]`);
        else block.elements.forEach((e: unknown, j: number) => textOf(e, `${at}/elements/${j}`, 3_000));
        break;
      case "divider":
        break;
      case "actions":
        // docs.slack.dev/reference/block-kit/blocks/actions-block: up to 25 elements; buttons
        // (block-elements/button-element): plain_text text up to 75, action_id up to 255 and unique
        // in the block, value up to 2,000.
        if (!Array.isArray(block.elements) || block.elements.length === 0) messages.push(`must provide elements [json-pointer:${at}/elements]`);
        else if (block.elements.length > 25) messages.push(`no more than 25 items allowed [json-pointer:${at}/elements]`);
        else {
          const actionIds = new Set<string>();
          block.elements.forEach((e: any, j: number) => {
            const el = `${at}/elements/${j}`;
            if (e?.type !== "button") {
              messages.push(`unsupported element type ${JSON.stringify(e?.type)} in this sandbox [json-pointer:${el}]`);
              return;
            }
            if (e.text?.type !== "plain_text") messages.push(`must be a plain_text object [json-pointer:${el}/text]`);
            textOf(e.text, `${el}/text`, 75);
            if (e.action_id !== undefined) {
              if (typeof e.action_id !== "string" || e.action_id.length === 0 || e.action_id.length > 255) messages.push(`must be less than 256 characters [json-pointer:${el}/action_id]`);
              else if (actionIds.has(e.action_id)) messages.push(`action_id already exists [json-pointer:${el}/action_id]`);
              else actionIds.add(e.action_id);
            }
            if (e.value !== undefined && (typeof e.value !== "string" || e.value.length > 2_000)) messages.push(`must be less than 2001 characters [json-pointer:${el}/value]`);
          });
        }
        break;
      default:
        messages.push(`unsupported block type ${JSON.stringify(block?.type)} in this sandbox [json-pointer:${at}]`);
    }
  });
  return { messages, tooLong: total > TOTAL_LIMIT };
}
