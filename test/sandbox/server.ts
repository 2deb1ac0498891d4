// The sandbox tenant: one HTTPS listener on 127.0.0.1 serving Graph (/v1.0/...), the Entra OAuth
// endpoints (/{tenant}/...) and ARM (everything else), plus a plain-HTTP managed-identity endpoint on
// its own port, the way App Service and Functions expose IDENTITY_ENDPOINT, and a plain-HTTP listener
// for the Slack Web API and a Teams Workflows webhook (slack-teams-host.ts). `env` holds exactly the
// settings that point credwatch (and @azure/identity) at it; `notifyEnv` those for Slack and Teams.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { listenOnLoopback, stopServer } from "./listener.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rebaseFixture } from "./clock.js";
import { DirectoryChanges, type SandboxDirectory } from "./directory-changes.js";
import { statusError } from "./errors.js";
import { FaultSet } from "./faults.js";
import type { Fixture, FaultInput } from "./fixture-schema.js";
import type { RequestLogEntry, SandboxRequest, SandboxResponse, Service, Violation } from "./http-types.js";
import { handleOAuth, type IdentitySettings } from "./identity.js";
import { managedIdentityHost } from "./managed-identity-host.js";
import { serveApi, type PipelineState } from "./service-pipeline.js";
import type { SlackSandbox, SlackSandboxOptions } from "./slack.js";
import { startSlackTeamsHost } from "./slack-teams-host.js";
import type { TeamsSandbox } from "./teams.js";
import { sandboxTls } from "./tls.js";

export interface SandboxOptions {
  fixture: Fixture;
  /** Shift every timestamp so the fixture's `now` is the moment the sandbox starts. */
  rebaseClock?: boolean;
  /** Added to every Graph and ARM request (benchmarks). */
  latencyMs?: number;
  /** Graph page size when the client sends no $top (Graph's default: 100). */
  graphPageSize?: number;
  /** ARM page size of every list (default 100). */
  armPageSize?: number;
  /** HTTPS port (default: any free port). The managed-identity endpoint is shared by every sandbox of the process (managed-identity-host.ts). */
  port?: number;
  /** The Slack workspace's bot token and channel (defaults: a random xoxb- token, C0CREDWATCH / credwatch-alerts). */
  slack?: SlackSandboxOptions;
}

export interface Sandbox {
  /** https://127.0.0.1:PORT — Graph, ARM and the authority all live here. */
  url: string;
  graphEndpoint: string;
  armEndpoint: string;
  authorityHost: string;
  caPem: string;
  /** The CA certificate written to a temporary directory (removed by close()). */
  caFile: string;
  identityEndpoint: string;
  identityHeader: string;
  /** The settings that point credwatch at this sandbox (CREDWATCH_*, IDENTITY_*, AZURE_TOKEN_CREDENTIALS). */
  env: Record<string, string>;
  /** The fixture as served (rebased when rebaseClock was set). */
  fixture: Fixture;
  requests: RequestLogEntry[];
  violations: Violation[];
  /** http://127.0.0.1:PORT/slack/api/ — the Slack Web API (SLACK_API_URL). */
  slackApiUrl: string;
  /** http://127.0.0.1:PORT/teams/webhook/{id}?…&sig=… — a Teams Workflows webhook (TEAMS_WEBHOOK_URL). */
  teamsWebhookUrl: string;
  /** The Slack workspace: token, channel, messages received, users (e-mail → id), scopes, calls. */
  slack: SlackSandbox;
  /** The Teams webhook: payloads accepted, every request. */
  teams: TeamsSandbox;
  /** SLACK_BOT_TOKEN, SLACK_CHANNEL, SLACK_API_URL, TEAMS_WEBHOOK_URL pointing at the receivers. */
  notifyEnv: Record<string, string>;
  addFault(fault: FaultInput): void;
  /** Changes the tenant's applications and service principals while it runs; Graph delta queries see each change. */
  directory: SandboxDirectory;
  /** Empties `requests` and `violations`, and the Slack and Teams records. */
  clearLog(): void;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const fixture = options.rebaseClock ? rebaseFixture(options.fixture, new Date()) : options.fixture;
  const tls = await sandboxTls();
  const tempDir = await mkdtemp(join(tmpdir(), "credwatch-sandbox-"));
  const caFile = join(tempDir, "sandbox-ca.pem");
  await writeFile(caFile, tls.caPem);

  const tokenKey = randomBytes(32);
  const identityHost = await managedIdentityHost(readRequest, writeResponse);
  const identityHeader = identityHost.header;
  const requests: RequestLogEntry[] = [];
  const violations: Violation[] = [];
  const latencyMs = options.latencyMs ?? 0;
  const directory = new DirectoryChanges(fixture);

  // Both need the origin, known only once the API server listens. They are set right after that,
  // before the event loop can deliver a request to either server.
  let identity: IdentitySettings;
  let state: PipelineState;

  const apiServer = createHttpsServer({ key: tls.keyPem, cert: tls.certPem }, (incoming, outgoing) =>
    serve(incoming, outgoing, (req) => {
      if (/^\/v1\.0(\/|$)/i.test(req.path)) return ["graph", () => withLatency(latencyMs, () => serveApi(state, "graph", req))];
      const oauth = handleOAuth(identity, req);
      if (oauth) return ["oauth", async () => oauth];
      return ["arm", () => withLatency(latencyMs, () => serveApi(state, "arm", req))];
    }),
  );
  const url = `https://127.0.0.1:${await listenOnLoopback(apiServer, options.port ?? 0)}`;
  identity = {
    tokenKey,
    tenantId: fixture.tenantId,
    authorityHost: url,
    identityHeader,
    servicePrincipalObjectIds: new Map((fixture.servicePrincipals ?? []).map((sp) => [sp.appId.toLowerCase(), sp.id])),
  };
  const auth = { tokenKey, tenantId: fixture.tenantId, authorityHost: url, resource: url };
  state = {
    fixture,
    origin: url,
    graphPageSize: options.graphPageSize ?? 100,
    armPageSize: options.armPageSize ?? 100,
    faults: new FaultSet(fixture.faults),
    directory,
    auth: { graph: auth, arm: auth },
    requests,
    violations,
  };
  const identityEndpoint = identityHost.endpoint;
  const unregisterIdentity = identityHost.register({ origin: url, settings: identity, requests });
  const notify = await startSlackTeamsHost(fixture, state.faults, options.slack ?? {}, readRequest, writeResponse);

  // Requests the pipeline does not log itself (OAuth, managed identity) are logged here.
  async function serve(incoming: IncomingMessage, outgoing: ServerResponse, route: (req: SandboxRequest) => [Service, () => Promise<SandboxResponse>]) {
    const at = new Date().toISOString();
    let req: SandboxRequest;
    try {
      req = await readRequest(incoming);
    } catch {
      outgoing.destroy(); // The client went away mid-request.
      return;
    }
    const [service, run] = route(req);
    let response: SandboxResponse;
    try {
      response = await run();
    } catch (error) {
      // A sandbox bug: answer like a failing service and say why where a developer will see it.
      console.error(`credwatch sandbox: ${req.method} ${req.path} failed:`, error);
      response = statusError(service === "graph" ? "graph" : "arm", 500, req);
    }
    if (service === "oauth") {
      requests.push({ service, method: req.method, path: req.path, query: Object.fromEntries(req.query), status: response.status, at });
    }
    writeResponse(outgoing, response);
  }

  const env = {
    CREDWATCH_CLOUD: "Custom",
    CREDWATCH_AUTHORITY_HOST: url,
    CREDWATCH_GRAPH_ENDPOINT: url,
    CREDWATCH_ARM_ENDPOINT: url,
    CREDWATCH_CA_FILE: caFile,
    IDENTITY_ENDPOINT: identityEndpoint,
    IDENTITY_HEADER: identityHeader,
    // Makes DefaultAzureCredential use ManagedIdentityCredential only (@azure/identity 4.x).
    AZURE_TOKEN_CREDENTIALS: "ManagedIdentityCredential",
  };

  return {
    url,
    graphEndpoint: url,
    armEndpoint: url,
    authorityHost: url,
    caPem: tls.caPem,
    caFile,
    identityEndpoint,
    identityHeader,
    env,
    fixture,
    requests,
    violations,
    slackApiUrl: notify.slackApiUrl,
    teamsWebhookUrl: notify.teamsWebhookUrl,
    slack: notify.slack,
    teams: notify.teams,
    notifyEnv: {
      SLACK_BOT_TOKEN: notify.slack.token,
      SLACK_CHANNEL: notify.slack.channelId,
      SLACK_API_URL: notify.slackApiUrl,
      TEAMS_WEBHOOK_URL: notify.teamsWebhookUrl,
    },
    addFault: (fault) => state.faults.add(fault),
    directory: directory.api(),
    clearLog() {
      requests.length = 0;
      violations.length = 0;
      notify.slack.messages.length = 0;
      notify.slack.calls.length = 0;
      notify.teams.payloads.length = 0;
      notify.teams.requests.length = 0;
    },
    async close() {
      unregisterIdentity();
      await notify.close();
      await stopServer(apiServer);
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}

async function withLatency(ms: number, run: () => Promise<SandboxResponse>): Promise<SandboxResponse> {
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  return run();
}

async function readRequest(incoming: IncomingMessage): Promise<SandboxRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const url = new URL(incoming.url ?? "/", "https://sandbox.invalid");
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(incoming.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  return { method: incoming.method ?? "GET", path: url.pathname, query: url.searchParams, headers, body: Buffer.concat(chunks).toString("utf8") };
}

function writeResponse(outgoing: ServerResponse, response: SandboxResponse): void {
  const body = response.rawBody ?? response.jsonText ?? (response.body === undefined ? "" : JSON.stringify(response.body));
  outgoing.writeHead(response.status, { "content-type": "application/json; charset=utf-8", ...response.headers, "content-length": Buffer.byteLength(body) });
  outgoing.end(body);
}
