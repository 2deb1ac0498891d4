// The Slack channel: posts a run's digest (one channel message, details in its thread), messages
// owners directly when asked to, and reads the channel back to tell whether a run's digest landed.
// Retries are ours and bounded (http-retry.ts): the client's own policy would wait up to ~30
// minutes, so it is set to never retry and to throw on 429 with Retry-After instead of sleeping.
import { WebClient } from "@slack/web-api";
import { quietLogger } from "./slack-logger.js";
import type { Channel, DeliveryOutcome, Digest } from "./types.js";
import { alertsByOwner, digestShape, type AlertView } from "./alert-view.js";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./http-retry.js";
import { buildSlackDigest, withWarning } from "./slack-digest.js";
import { classifySlackError, retryVerdict, scrub, SlackCallError, toSlackCallError } from "./slack-errors.js";
import { limitProblems, type SlackMessage } from "./slack-limits.js";
import { ownerMessages, ownerNote, type OwnerOutcome } from "./slack-owners.js";

export const DIGEST_EVENT_TYPE = "credwatch_digest";

export interface SlackChannelOptions {
  /** Bot token, xoxb-… */
  token: string;
  /** Channel id (C0123456789) or #name. Read-back (wasDelivered) needs the id, or a post made earlier by this channel. */
  channel: string;
  /** Web API base URL ending in "/"; null: https://slack.com/api/. */
  apiUrl: string | null;
  /** Message each finding's owners directly (looked up by e-mail). */
  owners: boolean;
  /** Progress and problems for people; never given the token. */
  log?: (message: string) => void;
  /** Bounds on waiting for one call (defaults: 4 tries, 30 s longest wait, 60 s in all). */
  retry?: Partial<RetryPolicy>;
  /** Most owners messaged in one run (default 50): each costs a look-up and a message. */
  maxOwners?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Snooze / acknowledge buttons under each alert (default true). Off when nothing would receive the
   *  clicks (no SLACK_SIGNING_SECRET: the interactions endpoint refuses them). */
  buttons?: boolean;
}

type Part = "digest" | "thread" | "owner";

interface Posted {
  channel: string;
  ts: string;
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;

export function createSlackChannel(options: SlackChannelOptions): Channel {
  const log = (message: string) => options.log?.(scrub(message, [options.token]));
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const secrets = [options.token];
  const client = new WebClient(options.token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 30_000,
    logger: quietLogger(log),
  });
  // The channel's id as Slack answered a post, for read-back when the setting is a #name.
  let channelId: string | null = CHANNEL_ID.test(options.channel) ? options.channel : null;
  const buttons = options.buttons ?? true;

  /** One Web API call with bounded retries; failures come out as SlackCallError. */
  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    let attempts = 0;
    try {
      return await withRetry(
        () => {
          attempts += 1;
          return run();
        },
        (error) => {
          const failure = classifySlackError(error, secrets);
          const verdict = retryVerdict(failure);
          if (verdict.retry) log(`slack: ${method} try ${attempts} failed (${failure.kind}); retrying`);
          return verdict;
        },
        policy,
      );
    } catch (error) {
      const failed = toSlackCallError(method, error, secrets);
      // Counted here: a final refusal after retried failures still counts every try.
      throw new SlackCallError(method, failed.failure, attempts, failed.gaveUp, failed.askedWaitMs);
    }
  }

  async function post(channel: string, message: SlackMessage, runId: string, part: Part, threadTs?: string): Promise<Posted> {
    const problems = limitProblems(message);
    // A builder bug; sending would fail at Slack anyway, with a vaguer error.
    if (problems.length > 0) throw new SlackCallError("chat.postMessage", { kind: "rejected", code: "over_limits", detail: `message over Slack's limits: ${problems.join("; ")}` }, 0, null);
    const result = await call("chat.postMessage", () =>
      client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { run_id: runId, part } },
      }),
    );
    if (!result.channel || !result.ts) throw new SlackCallError("chat.postMessage", { kind: "rejected", code: "no_ts", detail: "Slack answered without channel or ts" }, 1, null);
    return { channel: result.channel, ts: result.ts };
  }

  async function messageOwners(digest: Digest, views: AlertView[]): Promise<OwnerOutcome> {
    const owners = [...alertsByOwner(views).values()];
    const limit = options.maxOwners ?? 50;
    const chosen = owners.slice(0, limit);
    const outcome: OwnerOutcome = { messaged: [], notFound: [], failed: [], stopped: null, overLimit: owners.length - chosen.length };
    for (const [i, owner] of chosen.entries()) {
      let userId: string | undefined;
      try {
        const found = await call("users.lookupByEmail", () => client.users.lookupByEmail({ email: owner.email }));
        userId = found.user?.id;
      } catch (error) {
        const failed = error as SlackCallError;
        if (failed.failure.kind === "rejected" && failed.failure.code === "users_not_found") {
          outcome.notFound.push(owner.email);
          continue;
        }
        // A missing scope or a dead token fails every look-up alike: say it once and stop.
        outcome.stopped = { reason: failed.message, left: chosen.length - i };
        break;
      }
      if (!userId) {
        outcome.notFound.push(owner.email);
        continue;
      }
      try {
        for (const message of ownerMessages(digest, owner, { buttons })) await post(userId, message, digest.runId, "owner");
        outcome.messaged.push(owner.email);
      } catch (error) {
        const failed = error as SlackCallError;
        outcome.failed.push({ email: owner.email, error: failed.failure.kind === "configuration" || failed.failure.kind === "rejected" ? failed.failure.code : failed.failure.kind });
      }
    }
    log(`slack: owners messaged ${outcome.messaged.length}, not found ${outcome.notFound.length}, failed ${outcome.failed.length}${outcome.stopped ? `, look-up stopped: ${outcome.stopped.reason}` : ""}`);
    return outcome;
  }

  async function send(digest: Digest): Promise<DeliveryOutcome> {
    const built = buildSlackDigest(digest, { buttons });
    if (!built.top) return { delivered: true, detail: "nothing to send" };
    let parent: Posted;
    try {
      parent = await post(options.channel, built.top, digest.runId, "digest");
    } catch (error) {
      return failure(error as SlackCallError);
    }
    channelId = parent.channel;
    const notes: string[] = [`digest posted (${parent.channel} ${parent.ts})`];

    let threadFailure: SlackCallError | null = null;
    let posted = 0;
    for (const message of built.thread) {
      try {
        await post(parent.channel, message, digest.runId, "thread", parent.ts);
        posted += 1;
      } catch (error) {
        threadFailure = error as SlackCallError;
        break;
      }
    }
    if (threadFailure) {
      // The people in the channel were told; say where the rest went rather than leave them to guess.
      const warning = `Details incomplete: ${posted} of ${built.thread.length} thread messages were posted (${threadFailure.message}). Every alert is in the report.`;
      notes.push(warning);
      log(`slack: ${warning}`);
      try {
        const updated = withWarning(built.top, warning);
        await call("chat.update", () => client.chat.update({ channel: parent.channel, ts: parent.ts, text: updated.text, blocks: updated.blocks }));
      } catch (error) {
        log(`slack: could not mark the digest incomplete: ${(error as Error).message}`);
      }
      return { delivered: true, detail: notes.join("; ") };
    }
    if (built.thread.length > 0) notes.push(`${built.thread.length} thread messages`);

    if (options.owners && digestShape(digest) === "alerts") {
      const outcome = await messageOwners(digest, built.views);
      const note = ownerNote(outcome);
      if (note) {
        try {
          await post(parent.channel, note, digest.runId, "thread", parent.ts);
        } catch (error) {
          log(`slack: could not post the owners note: ${(error as Error).message}`);
        }
      }
      notes.push(`owners messaged ${outcome.messaged.length}, not found ${outcome.notFound.length}`);
    }
    return { delivered: true, detail: notes.join("; ") };
  }

  async function wasDelivered(runId: string, since: Date): Promise<boolean | null> {
    if (!channelId) {
      log("slack: cannot read back a digest: SLACK_CHANNEL is a name, not an id (C0123456789)");
      return null;
    }
    const channel = channelId;
    let cursor: string | undefined;
    // Five pages of 200 messages since `since`; a busier channel than that cannot be told about.
    for (let page = 0; page < 5; page++) {
      let result;
      try {
        result = await call("conversations.history", () =>
          client.conversations.history({
            channel,
            oldest: (since.getTime() / 1000).toFixed(6),
            inclusive: true,
            include_all_metadata: true,
            limit: 200,
            ...(cursor ? { cursor } : {}),
          }),
        );
      } catch (error) {
        log(`slack: cannot read back the channel: ${(error as Error).message}`);
        return null;
      }
      const found = (result.messages ?? []).some(
        (m) => m.metadata?.event_type === DIGEST_EVENT_TYPE && (m.metadata.event_payload as Record<string, unknown> | undefined)?.run_id === runId,
      );
      if (found) return true;
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!result.has_more || !cursor) return false;
    }
    return null;
  }

  return { name: "slack", send, wasDelivered };
}

function failure(error: SlackCallError): DeliveryOutcome {
  const kind = error.failure.kind === "configuration" ? "configuration" : error.retryable ? "transient" : "rejected";
  return { delivered: false, retryable: error.retryable, error: error.message, kind };
}

