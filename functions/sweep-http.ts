// HTTP trigger: an ad-hoc tenant sweep that answers with the report (GET or POST /api/sweep,
// function key). A thin adapter: parameters → config → sweep → response. A sweep of more
// subscriptions than CREDWATCH_FANOUT_SUBSCRIPTIONS (or mode=fanout) is fanned out instead
// (shared/fanout/): the answer is 202 with the status URL (functions/sweep-status.ts) to poll.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { configOrProblem, failure, problem } from "../shared/http/problems.js";
import { sweepTenant } from "../shared/sweep-tenant.js";
import { renderReport } from "../shared/report/index.js";
import { parseSweepRequest } from "../shared/http/sweep-request.js";
import { CONTENT_TYPES, RETRY_AFTER_SECONDS, readNothing, type HttpFormat } from "../shared/http/responses.js";
import { alertReport, describeNotifySummary, snoozedReport } from "../shared/alert-tenant.js";
import { startFanoutIfWanted, type StartedSweep } from "../shared/fanout/index.js";

/**
 * Azure's front end drops an HTTP request that has not answered within 230 s, leaving the caller an
 * anonymous 502. credwatch answers on its own before that, saying why.
 */
export const HTTP_DEADLINE_MS = 200_000;

export interface SweepHttpOptions {
  deadlineMs?: number;
  clock?: () => Date;
}

export function createSweepHttpHandler(options: SweepHttpOptions = {}) {
  const deadlineMs = options.deadlineMs ?? HTTP_DEADLINE_MS;
  const clock = options.clock ?? (() => new Date());

  return async function sweepHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    let body: unknown;
    if (request.method === "POST" && (await peekLength(request)) > 0) {
      try {
        body = await request.json();
      } catch {
        return problem(400, "bad request", ["body: is not valid JSON"]);
      }
    }
    const parsed = parseSweepRequest(request.query, body);
    if (!parsed.ok) return problem(400, "bad request", parsed.problems);

    const loaded = configOrProblem(context);
    if ("response" in loaded) return loaded.response;
    const { config } = loaded;

    if (parsed.request.notify && !config.notify.slack && !config.notify.teams) {
      return problem(400, "bad request", ["notify: no alert channel is configured (SLACK_BOT_TOKEN and SLACK_CHANNEL, or TEAMS_WEBHOOK_URL)"]);
    }
    if (parsed.request.mode === "fanout" && !config.fanout.storage) {
      return problem(400, "bad request", ["mode: fanout needs the Functions host's storage (AzureWebJobsStorage), for its queue and sweep records"]);
    }

    try {
      const now = clock();
      if (parsed.request.mode !== "single") {
        const started = await startFanoutIfWanted(config, {
          now,
          subscriptions: parsed.request.subscriptions,
          mode: parsed.request.mode,
          notify: parsed.request.notify,
          log: (message) => context.log(message),
        });
        if (started) return accepted(request, started, parsed.request.format);
      }
      const sweep = sweepTenant(config, {
        now,
        subscriptions: parsed.request.subscriptions,
        log: (message) => context.log(message),
      });
      const report = await withDeadline(sweep, deadlineMs);
      if (report === TIMED_OUT) {
        context.warn(`ad-hoc sweep did not finish within ${deadlineMs / 1000} s`);
        return problem(504, `the sweep did not finish within ${deadlineMs / 1000} s`, [
          "narrow it with subscriptions=..., or read the nightly sweep's report",
        ]);
      }
      if (readNothing(report)) {
        return {
          status: 502,
          jsonBody: { error: "credwatch could not read the tenant", errors: report.errors },
        };
      }
      context.log(`ad-hoc sweep: ${report.findings.length} findings, complete=${report.complete}`);
      const headers: Record<string, string> = { "content-type": CONTENT_TYPES[parsed.request.format] };
      // The report shows the findings snoozed from Slack (kept in the ledger) as alerts see them; a
      // ledger that cannot be read leaves the report unmarked rather than unanswered.
      const shown = await snoozedReport(config, report, { now }).catch((error: unknown) => {
        context.warn(`could not read Slack snoozes from the ledger: ${error instanceof Error ? error.message : String(error)}`);
        return report;
      });
      if (parsed.request.notify) {
        const alerts = await alertReport(config, shown, { now, log: (message) => context.log(message) });
        if (alerts) headers["x-credwatch-alerts"] = describeNotifySummary(alerts);
      }
      return { status: 200, headers, body: renderReport(shown, parsed.request.format) };
    } catch (error) {
      return failure(context, "the sweep failed", error);
    }
  };
}

const TIMED_OUT = Symbol("timed out");

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** 202: the sweep runs on; the status URL (without the caller's key, which they add) says when it is done. */
function accepted(request: HttpRequest, started: StartedSweep, format: HttpFormat): HttpResponseInit {
  const url = new URL(request.url);
  url.pathname = url.pathname.replace(/\/sweep\/?$/, "") + `/sweep/status/${started.id}`;
  url.search = format === "json" ? "" : `?format=${format}`;
  url.hash = "";
  const statusUrl = url.toString();
  return {
    status: 202,
    headers: { location: statusUrl, "retry-after": String(RETRY_AFTER_SECONDS) },
    jsonBody: { status: "running", id: started.id, shardsTotal: started.shardsTotal, statusUrl },
  };
}

/** A POST without a body is a GET with extra steps; only a non-empty body is parsed. */
async function peekLength(request: HttpRequest): Promise<number> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > 0) return declared;
  return request.body ? 1 : 0;
}

export const sweepHttp = createSweepHttpHandler();

app.http("sweep", {
  methods: ["GET", "POST"],
  authLevel: "function",
  route: "sweep",
  handler: sweepHttp,
});
