// HTTP trigger: the Slack app's Interactivity Request URL (POST /api/slack/interactions, anonymous:
// Slack cannot send a function key; the request signature is the authentication). A thin adapter:
// config → verify the signature on the raw body → parse → record snoozes in the ledger → update
// the message → 200. Anything not signed by Slack with SLACK_SIGNING_SECRET, or signed more than
// five minutes from now, is 401 and changes nothing.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { configOrProblem, failure, problem } from "../shared/http/problems.js";
import { openAlertLedger } from "../shared/alert-tenant.js";
import { createMessageUpdater, handleInteraction, parseInteraction, verifySlackSignature } from "../shared/notify/slack-interactions.js";

/** Slack's interaction payloads carry the message's blocks: well under this. */
const MAX_BODY_BYTES = 1_000_000;

export interface SlackInteractionsOptions {
  clock?: () => Date;
}

export function createSlackInteractionsHandler(options: SlackInteractionsOptions = {}) {
  const clock = options.clock ?? (() => new Date());

  return async function slackInteractions(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    if (request.method !== "POST") return { status: 405, headers: { allow: "POST" }, jsonBody: { error: "method not allowed: Slack posts interactions" } };

    const loaded = configOrProblem(context);
    if ("response" in loaded) return loaded.response;
    const { config } = loaded;
    const secret = config.notify.slackSigningSecret;
    if (!secret) {
      context.error("SLACK_SIGNING_SECRET is not set: Slack's button clicks cannot be verified, so none is accepted");
      return problem(500, "credwatch is misconfigured", ["SLACK_SIGNING_SECRET is required for Slack interactions (the Snooze and Acknowledge buttons)"]);
    }

    const declared = Number(request.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return { status: 413, jsonBody: { error: "request body too large" } };
    const body = Buffer.from(await request.arrayBuffer());
    if (body.length > MAX_BODY_BYTES) return { status: 413, jsonBody: { error: "request body too large" } };

    const now = clock();
    const verdict = verifySlackSignature({
      signingSecret: secret,
      timestamp: request.headers.get("x-slack-request-timestamp"),
      signature: request.headers.get("x-slack-signature"),
      body,
      now,
    });
    if (!verdict.ok) {
      // The reason stays in the log; the caller learns nothing about what would have passed.
      context.warn(`slack interaction refused: ${verdict.why}`);
      return { status: 401, jsonBody: { error: "unauthorized" } };
    }

    const parsed = parseInteraction(body.toString("utf8"));
    if (!parsed.ok) {
      context.warn(`slack interaction not understood: ${parsed.problem}`);
      return problem(400, "bad request", [parsed.problem]);
    }
    if (parsed.interaction === null) {
      context.log(`slack interaction ignored: ${parsed.why}`);
      return { status: 200 };
    }

    try {
      const ledger = await openAlertLedger(config, {});
      const log = (message: string) => context.log(message);
      const slack = config.notify.slack;
      if (!slack) context.warn("SLACK_BOT_TOKEN is not set: snoozes are recorded, but the message cannot be updated to show them");
      const result = await handleInteraction(parsed.interaction, {
        snoozes: ledger,
        updateMessage: slack ? createMessageUpdater({ token: slack.token, apiUrl: slack.apiUrl, log }) : null,
        now,
        log,
      });
      context.log(`slack interaction: ${result.snoozes.length} snoozed by ${parsed.interaction.user.name}${result.updated ? "" : " (message not updated)"}`);
      return { status: 200 };
    } catch (error) {
      return failure(context, "the snooze could not be recorded", error);
    }
  };
}

export const slackInteractions = createSlackInteractionsHandler();

app.http("slack-interactions", {
  methods: ["POST"],
  authLevel: "anonymous",
  route: "slack/interactions",
  handler: slackInteractions,
});
