// What a failed Slack Web API call means for credwatch: wait and retry (rate limit, 5xx, network),
// or stop and tell someone to fix a setting (ok:false with an auth/channel/scope error), or stop
// because Slack refused this message. Texts never hold the token: they are built from error codes,
// and anything taken from an error is scrubbed of token-shaped strings.
import { ErrorCode } from "@slack/web-api";
import { RetriesExhausted, type RetryVerdict } from "./http-retry.js";

export type SlackFailure =
  | { kind: "rate-limited"; retryAfterMs: number | undefined }
  | { kind: "unavailable"; detail: string }
  | { kind: "configuration"; code: string; detail: string }
  | { kind: "rejected"; code: string; detail: string };

const SETTINGS_HINT: Record<string, string> = {
  not_authed: "no token was sent: check SLACK_BOT_TOKEN",
  invalid_auth: "the token is not valid: check SLACK_BOT_TOKEN",
  account_inactive: "the token's user or app was deactivated: check SLACK_BOT_TOKEN",
  token_revoked: "the token was revoked: check SLACK_BOT_TOKEN",
  token_expired: "the token expired: check SLACK_BOT_TOKEN",
  no_permission: "the token lacks a permission this needs",
  missing_scope: "the token lacks a scope this needs (chat:write; users:read.email for owners)",
  channel_not_found: "the bot cannot see that channel: check SLACK_CHANNEL (an id like C0123456789, or #name)",
  not_in_channel: "the bot is not a member of the channel: invite it (/invite @your-app)",
  is_archived: "the channel is archived: check SLACK_CHANNEL",
  restricted_action: "the workspace does not let the bot post there",
  access_denied: "Slack denied access: check the app's installation",
  ekm_access_denied: "the workspace's encryption keys deny access",
  team_access_not_granted: "the token is not granted access to the workspace",
  org_login_required: "the workspace is migrating to an Enterprise Grid organization",
  two_factor_setup_required: "the workspace requires two-factor setup for this token's user",
  enterprise_is_restricted: "the Enterprise Grid organization restricts this method",
};

const TRANSIENT = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

/** Token-shaped strings (xoxb-, xoxp-, xapp-, …) and the given secrets, replaced. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join("[redacted]");
  return out.replace(/\bxox[a-z]-[A-Za-z0-9-]+/g, "[redacted]").replace(/\bxapp-[A-Za-z0-9-]+/g, "[redacted]");
}

function codeOf(value: unknown): string {
  // Slack error codes are snake_case words; anything else is not echoed.
  return typeof value === "string" && /^[a-z0-9_.]{1,80}$/.test(value) ? value : "unknown_error";
}

export function classifySlackError(error: unknown, secrets: readonly string[] = []): SlackFailure {
  const e = error as { code?: unknown; data?: { error?: unknown; needed?: unknown }; retryAfter?: unknown; statusCode?: unknown; original?: { message?: unknown; cause?: { code?: unknown } } };
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return { kind: "rate-limited", retryAfterMs: typeof e.retryAfter === "number" ? e.retryAfter * 1000 : undefined };
    case ErrorCode.HTTPError: {
      const status = typeof e.statusCode === "number" ? e.statusCode : 0;
      if (status >= 500 || status === 408) return { kind: "unavailable", detail: `HTTP ${status}` };
      return { kind: "configuration", code: `http_${status}`, detail: `Slack answered HTTP ${status}: check SLACK_API_URL` };
    }
    case ErrorCode.RequestError: {
      const cause = codeOf(typeof e.original?.cause?.code === "string" ? e.original.cause.code.toLowerCase() : undefined);
      return { kind: "unavailable", detail: `network error (${cause === "unknown_error" ? "no response" : cause})` };
    }
    case ErrorCode.PlatformError: {
      const code = codeOf(e.data?.error);
      if (code === "ratelimited") return { kind: "rate-limited", retryAfterMs: undefined };
      if (TRANSIENT.has(code)) return { kind: "unavailable", detail: code };
      const hint = SETTINGS_HINT[code];
      if (hint) {
        const needed =
          code === "missing_scope" && typeof e.data?.needed === "string" && /^[a-z0-9_.:,]{1,200}$/.test(e.data.needed) ? ` (needed: ${e.data.needed})` : "";
        return { kind: "configuration", code, detail: `${code}: ${hint}${needed}` };
      }
      return { kind: "rejected", code, detail: code };
    }
  }
  // The client throws a plain Error for a 429 without a usable Retry-After.
  const message = error instanceof Error ? scrub(error.message, secrets) : scrub(String(error), secrets);
  if (/rate limit|retry header/i.test(message)) return { kind: "rate-limited", retryAfterMs: undefined };
  return { kind: "rejected", code: "unexpected", detail: message.slice(0, 300) };
}

export function retryVerdict(failure: SlackFailure): RetryVerdict {
  switch (failure.kind) {
    case "rate-limited":
      return failure.retryAfterMs === undefined ? { retry: true } : { retry: true, afterMs: failure.retryAfterMs };
    case "unavailable":
      return { retry: true };
    default:
      return { retry: false };
  }
}

/** A failed call, described for people: which method, what Slack said, whether waiting helps. */
export class SlackCallError extends Error {
  constructor(
    readonly method: string,
    readonly failure: SlackFailure,
    readonly attempts: number,
    readonly gaveUp: RetriesExhausted["why"] | null,
    readonly askedWaitMs?: number,
  ) {
    super(describe(method, failure, attempts, gaveUp, askedWaitMs));
    this.name = "SlackCallError";
  }

  get retryable(): boolean {
    return this.failure.kind === "rate-limited" || this.failure.kind === "unavailable";
  }
}

function describe(method: string, failure: SlackFailure, attempts: number, gaveUp: RetriesExhausted["why"] | null, askedWaitMs?: number): string {
  const what = (() => {
    switch (failure.kind) {
      case "rate-limited":
        return "rate limited";
      case "unavailable":
        return failure.detail;
      case "configuration":
        return `configuration error: ${failure.detail}`;
      case "rejected":
        return `Slack refused it: ${failure.detail}`;
    }
  })();
  const tries = attempts > 1 ? ` after ${attempts} tries` : "";
  const wait = gaveUp === "wait-too-long" && askedWaitMs !== undefined ? ` (Slack asked to wait ${Math.ceil(askedWaitMs / 1000)} s, longer than credwatch waits)` : "";
  return `Slack ${method}: ${what}${tries}${wait}`;
}

/** Any error from a call made through withRetry, as a SlackCallError. */
export function toSlackCallError(method: string, error: unknown, secrets: readonly string[]): SlackCallError {
  if (error instanceof SlackCallError) return error;
  if (error instanceof RetriesExhausted) {
    return new SlackCallError(method, classifySlackError(error.cause, secrets), error.attempts, error.why, error.askedWaitMs);
  }
  return new SlackCallError(method, classifySlackError(error, secrets), 1, null);
}
