// Clicks on the alert buttons, as Slack sends them to /api/slack/interactions: verified (Slack's
// signing scheme), parsed, turned into snoozes kept in the ledger, and answered by replacing the
// clicked alert's buttons with a line saying who silenced it until when.
//
// Verification (api.slack.com/authentication/verifying-requests-from-slack): Slack sends
// X-Slack-Request-Timestamp (Unix seconds) and X-Slack-Signature = "v0=" + the hex HMAC-SHA256, keyed
// with the app's Signing Secret, of "v0:" + timestamp + ":" + the raw request body. A request is
// accepted only when the timestamp is within five minutes of now (either way: no replays) and the
// signature is equal, compared in constant time on equal-length buffers. Nothing is parsed first.
import { createHmac, timingSafeEqual } from "node:crypto";
import { WebClient } from "@slack/web-api";
import { quietLogger } from "./slack-logger.js";
import { z } from "zod";
import { snoozeFor, snoozeLine, type Snooze, type SnoozeAction, type SnoozeTarget } from "../suppress/snooze.js";
import type { SnoozeStore } from "./ledger.js";
import { actionOf, decodeButtonValue, isAlertBlockId, replaceActions } from "./slack-actions.js";
import { scrub } from "./slack-errors.js";

/** How far a request's timestamp may be from now, in seconds (Slack's documented five minutes). */
export const MAX_CLOCK_SKEW_S = 5 * 60;

export type Verification = { ok: true } | { ok: false; why: string };

/** "v0=" + hex HMAC-SHA256 of "v0:{timestamp}:{body}" keyed with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: string, body: Buffer): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:`, "utf8").update(body).digest("hex")}`;
}

/** Whether a request came from Slack, signed with this app's secret, within five minutes of `now`. */
export function verifySlackSignature(request: {
  signingSecret: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  /** The raw body, byte for byte as received. */
  body: Buffer;
  now: Date;
}): Verification {
  const { timestamp, signature } = request;
  if (!timestamp) return { ok: false, why: "no X-Slack-Request-Timestamp" };
  if (!signature) return { ok: false, why: "no X-Slack-Signature" };
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, why: "X-Slack-Request-Timestamp is not Unix seconds" };
  const skew = Math.abs(request.now.getTime() / 1000 - Number(timestamp));
  if (skew > MAX_CLOCK_SKEW_S) return { ok: false, why: `X-Slack-Request-Timestamp is ${Math.round(skew)} s from now (more than ${MAX_CLOCK_SKEW_S} s)` };
  const expected = Buffer.from(slackSignature(request.signingSecret, timestamp, request.body), "utf8");
  const given = Buffer.from(signature, "utf8");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: "X-Slack-Signature does not match" };
  return { ok: true };
}

/** One click on one of credwatch's buttons. */
export interface ClickedAction {
  action: SnoozeAction;
  target: SnoozeTarget;
  /** The alert's actions block, to replace in the message. */
  blockId: string;
}

export interface Interaction {
  user: { id: string; name: string };
  /** Where the clicked message is; null when Slack did not say (nothing to update then). */
  channelId: string | null;
  messageTs: string | null;
  /** The message as Slack holds it (its blocks are edited and sent back). */
  message: { text: string; blocks: unknown[] } | null;
  /** credwatch's actions in the click; others are ignored. */
  actions: ClickedAction[];
}

export type ParsedInteraction =
  | { ok: true; interaction: Interaction }
  /** Signed by Slack but not something credwatch acts on (another payload type): answer 200, change nothing. */
  | { ok: true; interaction: null; why: string }
  | { ok: false; problem: string };

const payloadSchema = z.object({
  type: z.string(),
  user: z.object({ id: z.string().min(1), username: z.string().optional(), name: z.string().optional() }),
  container: z.object({ channel_id: z.string().optional(), message_ts: z.string().optional() }).optional(),
  channel: z.object({ id: z.string() }).optional(),
  message: z.object({ ts: z.string().optional(), text: z.string().optional(), blocks: z.array(z.unknown()).optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), block_id: z.string().optional(), value: z.string().optional() })).optional(),
});

/** The form body Slack posts (`payload=<JSON>`), after its signature was verified. */
export function parseInteraction(body: string): ParsedInteraction {
  const raw = new URLSearchParams(body).get("payload");
  if (raw === null) return { ok: false, problem: "no payload field (application/x-www-form-urlencoded)" };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, problem: "payload is not JSON" };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problem: `payload: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ")}` };
  const p = parsed.data;
  if (p.type !== "block_actions") return { ok: true, interaction: null, why: `payload type ${p.type} is not handled` };
  const actions = (p.actions ?? []).flatMap((a): ClickedAction[] => {
    const action = actionOf(a.action_id);
    const target = a.value === undefined ? null : decodeButtonValue(a.value);
    if (!action || !target || a.block_id === undefined || !isAlertBlockId(a.block_id)) return [];
    return [{ action, target, blockId: a.block_id }];
  });
  if (actions.length === 0) return { ok: true, interaction: null, why: "no credwatch action in the payload" };
  const handle = p.user.username ?? p.user.name;
  return {
    ok: true,
    interaction: {
      user: { id: p.user.id, name: handle ? `@${handle}` : p.user.id },
      channelId: p.container?.channel_id ?? p.channel?.id ?? null,
      messageTs: p.container?.message_ts ?? p.message?.ts ?? null,
      message: p.message?.blocks ? { text: p.message.text ?? "credwatch", blocks: p.message.blocks } : null,
      actions,
    },
  };
}

/** Replaces a message's text and blocks (chat.update). */
export type MessageUpdater = (channel: string, ts: string, text: string, blocks: unknown[]) => Promise<void>;

export interface InteractionDeps {
  snoozes: SnoozeStore;
  /** Null: the message is left as it is (no bot token configured). */
  updateMessage: MessageUpdater | null;
  now: Date;
  log?: (message: string) => void;
}

export interface InteractionResult {
  snoozes: Snooze[];
  /** Whether the message was updated to show them. */
  updated: boolean;
}

/**
 * Records a snooze per clicked alert (ledger first: a failure there throws, and Slack shows the
 * click failed), then replaces the clicked alerts' buttons with who silenced them until when. A
 * failed message update is logged: the snooze holds anyway.
 */
export async function handleInteraction(interaction: Interaction, deps: InteractionDeps): Promise<InteractionResult> {
  const log = deps.log ?? (() => {});
  const snoozes: Snooze[] = [];
  let blocks: unknown[] | null = interaction.message?.blocks ?? null;
  for (const clicked of interaction.actions) {
    const snooze = snoozeFor(clicked.target, clicked.action, deps.now, interaction.user);
    await deps.snoozes.putSnooze(snooze);
    snoozes.push(snooze);
    log(`slack: ${snooze.reason}: ${snooze.findingId} until ${snooze.until}`);
    if (blocks) blocks = replaceActions(blocks, clicked.blockId, snoozeLine(snooze, interaction.user.name)) ?? blocks;
  }
  let updated = false;
  if (deps.updateMessage && blocks && interaction.message && interaction.channelId && interaction.messageTs) {
    try {
      await deps.updateMessage(interaction.channelId, interaction.messageTs, interaction.message.text, blocks);
      updated = true;
    } catch (error) {
      log(`slack: snoozed, but the message could not be updated: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { snoozes, updated };
}

/** chat.update with the bot token: one try, bounded (Slack expects an answer to the click within 3 s). */
export function createMessageUpdater(options: { token: string; apiUrl: string | null; timeoutMs?: number; log?: (message: string) => void }): MessageUpdater {
  const log = (message: string) => options.log?.(scrub(message, [options.token]));
  const client = new WebClient(options.token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logger: quietLogger(log),
  });
  return async (channel, ts, text, blocks) => {
    try {
      await client.chat.update({ channel, ts, text, blocks: blocks as never });
    } catch (error) {
      throw new Error(scrub(`chat.update failed: ${error instanceof Error ? error.message : String(error)}`, [options.token]));
    }
  };
}

