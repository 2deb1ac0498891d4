// HTTP trigger: where a fan-out sweep is (GET /api/sweep/status/{id}, function key) — the URL a fanned
// out HTTP sweep answers 202 with. 202 with {status, shardsDone, shardsTotal} and Retry-After while it
// runs; 200 with the report in the requested format once done (500 if it failed); 404 for an unknown id.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { configOrProblem, failure, problem } from "../shared/http/problems.js";
import { sweepStatus } from "../shared/fanout/index.js";
import { renderReport } from "../shared/report/index.js";
import { parseStatusRequest } from "../shared/http/sweep-request.js";
import { CONTENT_TYPES, RETRY_AFTER_SECONDS, readNothing } from "../shared/http/responses.js";
import { snoozedReport } from "../shared/alert-tenant.js";

export interface SweepStatusOptions {
  clock?: () => Date;
}

export function createSweepStatusHandler(options: SweepStatusOptions = {}) {
  const clock = options.clock ?? (() => new Date());

  return async function sweepStatusHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const parsed = parseStatusRequest(request.query);
    if (!parsed.ok) return problem(400, "bad request", parsed.problems);

    const loaded = configOrProblem(context);
    if ("response" in loaded) return loaded.response;
    const { config } = loaded;

    const id = request.params.id ?? "";
    try {
      const state = await sweepStatus(config, id);
      if (!state) return problem(404, "no such sweep", [`${id}: no fan-out sweep has this id (records are kept 7 days)`]);
      const { shardsDone, shardsTotal } = state;
      if (state.status === "running") {
        return { status: 202, headers: { "retry-after": String(RETRY_AFTER_SECONDS) }, jsonBody: { status: "running", shardsDone, shardsTotal } };
      }
      if (state.status === "failed") {
        return { status: 500, jsonBody: { status: "failed", error: "the sweep failed", problems: [state.message], shardsDone, shardsTotal } };
      }
      const { report } = state;
      if (readNothing(report)) return { status: 502, jsonBody: { error: "credwatch could not read the tenant", errors: report.errors } };
      // As the HTTP sweep shows it: Slack snoozes marked (an unreadable ledger leaves the report unmarked).
      const shown = await snoozedReport(config, report, { now: clock() }).catch((error: unknown) => {
        context.warn(`could not read Slack snoozes from the ledger: ${error instanceof Error ? error.message : String(error)}`);
        return report;
      });
      return { status: 200, headers: { "content-type": CONTENT_TYPES[parsed.request.format] }, body: renderReport(shown, parsed.request.format) };
    } catch (error) {
      return failure(context, "could not read the sweep's status", error);
    }
  };
}

export const sweepStatusHttp = createSweepStatusHandler();

app.http("sweep-status", {
  methods: ["GET"],
  authLevel: "function",
  route: "sweep/status/{id}",
  handler: sweepStatusHttp,
});
