// A bounded retry for the notification channels. A run of credwatch is a function invocation with a
// time limit, so waiting is capped three ways: a number of tries, a longest single wait, and a total.
// A server asking for a longer wait than the cap ends the retries at once: retrying earlier than it
// asked would only be refused again, and the next run (or the ledger's retry) comes soon enough.

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try when the server names none; doubled for each later one. */
  baseDelayMs: number;
  /** Longest single wait, a server's Retry-After included. */
  maxDelayMs: number;
  /** Longest time spent waiting over all tries. */
  maxTotalMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000, maxTotalMs: 60_000 };

/** What to do after a failed try: give up, or try again (after the server's wait, when it named one). */
export type RetryVerdict = { retry: false } | { retry: true; afterMs?: number };

/** Thrown when retrying stopped; `cause` is the last failure. */
export class RetriesExhausted extends Error {
  constructor(
    readonly attempts: number,
    readonly why: "attempts" | "wait-too-long" | "time-budget",
    override readonly cause: unknown,
    /** The wait the server asked for, when that is why retrying stopped. */
    readonly askedWaitMs?: number,
  ) {
    super(`gave up after ${attempts} ${attempts === 1 ? "try" : "tries"} (${why})`);
    this.name = "RetriesExhausted";
  }
}

export type Sleep = (ms: number) => Promise<void>;
const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, `verdict` says the failure is final (then that error is
 * rethrown as is), or the policy's bounds are reached (then RetriesExhausted).
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  verdict: (error: unknown) => RetryVerdict,
  policy: RetryPolicy = DEFAULT_RETRY,
  wait: Sleep = sleep,
): Promise<T> {
  let waited = 0;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const decision = verdict(error);
      if (!decision.retry) throw error;
      if (n >= policy.attempts) throw new RetriesExhausted(n, "attempts", error);
      const backoff = policy.baseDelayMs * 2 ** (n - 1);
      // A server's wait is honoured exactly (never shortened); without one, exponential backoff.
      const delay = decision.afterMs ?? backoff;
      if (delay > policy.maxDelayMs) throw new RetriesExhausted(n, "wait-too-long", error, delay);
      if (waited + delay > policy.maxTotalMs) throw new RetriesExhausted(n, "time-budget", error, delay);
      waited += delay;
      await wait(delay);
    }
  }
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}
