// The Slack and Teams receivers on their own plain-HTTP loopback listener: credwatch's settings take
// http on loopback for these (SLACK_API_URL, TEAMS_WEBHOOK_URL), and @slack/web-api uses the global
// fetch, which would not trust the sandbox's CA. Faults come from the sandbox's own fault set.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { listenOnLoopback, stopServer } from "./listener.js";
import type { FaultSet } from "./faults.js";
import type { Fixture } from "./fixture-schema.js";
import type { SandboxRequest, SandboxResponse } from "./http-types.js";
import { createSlackSandbox, SLACK_API_PREFIX, slackHandler, type SlackSandbox, type SlackSandboxOptions } from "./slack.js";
import { createTeamsSandbox, TEAMS_WEBHOOK_PREFIX, teamsHandler, teamsWebhookPath, type TeamsSandbox } from "./teams.js";

export interface SlackTeamsHost {
  /** http://127.0.0.1:PORT/slack/api/ */
  slackApiUrl: string;
  /** http://127.0.0.1:PORT/teams/webhook/{id}?…&sig=… */
  teamsWebhookUrl: string;
  slack: SlackSandbox;
  teams: TeamsSandbox;
  close(): Promise<void>;
}

export async function startSlackTeamsHost(
  fixture: Fixture,
  faults: FaultSet,
  options: SlackSandboxOptions,
  readRequest: (incoming: IncomingMessage) => Promise<SandboxRequest>,
  writeResponse: (outgoing: ServerResponse, response: SandboxResponse) => void,
): Promise<SlackTeamsHost> {
  const slack = createSlackSandbox(fixture, options);
  const teams = createTeamsSandbox();
  const serveSlack = slackHandler(slack, faults);
  const serveTeams = teamsHandler(teams, faults);
  const server = createServer(async (incoming, outgoing) => {
    let req: SandboxRequest;
    try {
      req = await readRequest(incoming);
    } catch {
      outgoing.destroy();
      return;
    }
    let response: SandboxResponse;
    try {
      if (req.path.startsWith(SLACK_API_PREFIX)) response = await serveSlack(req);
      else if (req.path.startsWith(TEAMS_WEBHOOK_PREFIX)) response = await serveTeams(req);
      else response = { status: 404, body: { error: "not_found" } };
    } catch (error) {
      console.error(`credwatch sandbox: ${req.method} ${req.path} failed:`, error);
      response = { status: 500, body: { ok: false, error: "internal_error" } };
    }
    writeResponse(outgoing, response);
  });
  const port = await listenOnLoopback(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    slackApiUrl: `${origin}${SLACK_API_PREFIX}`,
    teamsWebhookUrl: `${origin}${teamsWebhookPath(teams)}`,
    slack,
    teams,
    close: () => stopServer(server),
  };
}
