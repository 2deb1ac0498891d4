// The Teams channel: posts a run's digest to a Workflows webhook ("When a Teams webhook request is
// received"), one Adaptive Card per request. Any 2xx is delivered (Workflows answers 202 and runs
// the flow later). 429 and 5xx are retried within bounds, honouring Retry-After; any other 4xx is a
// setting to fix and is not retried. The webhook URL carries its credential (sig=) in the query
// string, so neither logs nor errors ever hold it: they name the host only.
import type { Channel, DeliveryOutcome, Digest } from "./types.js";
import { DEFAULT_RETRY, RetriesExhausted, retryAfterMs, withRetry, type RetryPolicy } from "./http-retry.js";
import { buildTeamsPayloads, type TeamsCardOptions } from "./teams-cards.js";
import type { TeamsPayload } from "./adaptive-card.js";

export interface TeamsChannelOptions {
  webhookUrl: string;
  /** Progress and problems for people; never given the webhook URL. */
  log?: (message: string) => void;
  /** Bounds on waiting for one card (defaults: 4 tries, 30 s longest wait, 60 s in all). */
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  cards?: TeamsCardOptions;
}

type FailureKind = "configuration" | "transient" | "rejected";

export class TeamsPostError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "TeamsPostError";
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "an unreadable URL";
  }
}

/** The error code a Workflows error body names ({"error":{"code":…}}), when it looks like one. */
function errorCode(body: string): string {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } })?.error?.code;
    return typeof code === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? ` ${code}` : "";
  } catch {
    return "";
  }
}

function networkCause(error: unknown): string {
  const e = error as { name?: unknown; cause?: { code?: unknown } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return "timed out";
  const code = e?.cause?.code;
  // Only the code: undici's messages can carry the URL.
  return typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code) ? code : "no response";
}

export function createTeamsChannel(options: TeamsChannelOptions): Channel {
  const host = hostOf(options.webhookUrl);
  const where = `Teams webhook at ${host}`;
  const log = (message: string) => options.log?.(message.split(options.webhookUrl).join(host));
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function postOnce(body: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(options.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new TeamsPostError("transient", `${where}: network error (${networkCause(error)})`);
    }
    const text = await response.text().catch(() => "");
    const status = response.status;
    if (status >= 200 && status < 300) return;
    const code = errorCode(text);
    if (status === 429 || status === 408 || status >= 500) {
      throw new TeamsPostError("transient", `${where}: HTTP ${status}${code}`, status, retryAfterMs(response.headers.get("retry-after")));
    }
    if (status === 413) throw new TeamsPostError("rejected", `${where}: HTTP 413${code}: the card is too large`, status);
    throw new TeamsPostError("configuration", `${where}: HTTP ${status}${code}: configuration error, check TEAMS_WEBHOOK_URL and the workflow`, status);
  }

  async function postCard(payload: TeamsPayload, label: string): Promise<void> {
    const body = JSON.stringify(payload);
    let attempts = 0;
    try {
      await withRetry(
        () => {
          attempts += 1;
          return postOnce(body);
        },
        (error) => {
          if (!(error instanceof TeamsPostError) || error.kind !== "transient") return { retry: false };
          log(`teams: ${label} try ${attempts} failed (${error.message}); retrying`);
          return error.retryAfterMs === undefined ? { retry: true } : { retry: true, afterMs: error.retryAfterMs };
        },
        policy,
      );
    } catch (error) {
      if (error instanceof RetriesExhausted) {
        const last = error.cause as TeamsPostError;
        const wait = error.why === "wait-too-long" && error.askedWaitMs !== undefined ? ` (asked to wait ${Math.ceil(error.askedWaitMs / 1000)} s, longer than credwatch waits)` : "";
        throw new TeamsPostError("transient", `${last.message} after ${attempts} tries${wait}`, last.status);
      }
      if (error instanceof TeamsPostError) throw error;
      throw new TeamsPostError("rejected", `${where}: unexpected failure`);
    }
  }

  async function send(digest: Digest): Promise<DeliveryOutcome> {
    const payloads = buildTeamsPayloads(digest, options.cards);
    if (payloads.length === 0) return { delivered: true, detail: "nothing to send" };
    for (const [i, payload] of payloads.entries()) {
      const label = `card ${i + 1} of ${payloads.length}`;
      try {
        await postCard(payload, label);
      } catch (error) {
        const failed = error as TeamsPostError;
        if (i === 0) return { delivered: false, retryable: failed.kind === "transient", error: failed.message, kind: failed.kind };
        // The first card (counts, unread scopes, critical subjects) reached the channel.
        const detail = `posted ${i} of ${payloads.length} cards; ${label} failed: ${failed.message}`;
        log(`teams: ${detail}`);
        return { delivered: true, detail };
      }
    }
    return { delivered: true, detail: `posted ${payloads.length} ${payloads.length === 1 ? "card" : "cards"}` };
  }

  return {
    name: "teams",
    send,
    // A Workflows webhook has no read-back.
    wasDelivered: async () => null,
  };
}
