// One managed-identity endpoint per process, shared by every sandbox the process starts.
// Why: @azure/msal-node caches the managed-identity source — and with it IDENTITY_ENDPOINT — in a
// static the first time a token is asked for (ManagedIdentityClient.identitySource). In Azure that is
// right (one endpoint per host); a process that starts several sandboxes (a test file, the bench)
// would otherwise keep asking the first, long-closed one. Each request is answered for the sandbox
// whose origin the requested `resource` names.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { jsonResponse, type RequestLogEntry, type SandboxRequest, type SandboxResponse } from "./http-types.js";
import { listenOnLoopback } from "./listener.js";
import { handleManagedIdentity, IDENTITY_PATH, type IdentitySettings } from "./identity.js";

export interface IdentityTenant {
  /** The sandbox's https origin: tokens for resources there are minted with its settings. */
  origin: string;
  settings: IdentitySettings;
  requests: RequestLogEntry[];
}

export interface ManagedIdentityHost {
  endpoint: string;
  header: string;
  register(tenant: IdentityTenant): () => void;
}

const header = randomBytes(16).toString("hex");
const tenants: IdentityTenant[] = [];
let started: Promise<ManagedIdentityHost> | undefined;

export function managedIdentityHost(
  readRequest: (incoming: IncomingMessage) => Promise<SandboxRequest>,
  writeResponse: (outgoing: ServerResponse, response: SandboxResponse) => void,
): Promise<ManagedIdentityHost> {
  started ??= start(readRequest, writeResponse);
  return started;
}

async function start(
  readRequest: (incoming: IncomingMessage) => Promise<SandboxRequest>,
  writeResponse: (outgoing: ServerResponse, response: SandboxResponse) => void,
): Promise<ManagedIdentityHost> {
  const server: Server = createServer(async (incoming, outgoing) => {
    const at = new Date().toISOString();
    let req: SandboxRequest;
    try {
      req = await readRequest(incoming);
    } catch {
      outgoing.destroy();
      return;
    }
    const tenant = tenantFor(req.query.get("resource"));
    if (!tenant) {
      writeResponse(outgoing, jsonResponse(503, { statusCode: 503, message: "No sandbox is running." }));
      return;
    }
    const answer = handleManagedIdentity({ ...tenant.settings, identityHeader: header }, req);
    // No keep-alive: a token is fetched once an hour, and an idle kept-alive socket would hold the
    // process that runs the sandbox in-process (the CLI) open for the server's 5 s keep-alive timeout.
    const response = { ...answer, headers: { ...answer.headers, connection: "close" } };
    tenant.requests.push({ service: "identity", method: req.method, path: req.path, query: Object.fromEntries(req.query), status: response.status, at });
    writeResponse(outgoing, response);
  });
  const port = await listenOnLoopback(server);
  // Never the reason a process stays alive.
  server.unref();
  return {
    endpoint: `http://127.0.0.1:${port}${IDENTITY_PATH}`,
    header,
    register(tenant) {
      tenants.push(tenant);
      return () => {
        const index = tenants.indexOf(tenant);
        if (index >= 0) tenants.splice(index, 1);
      };
    },
  };
}

/** The sandbox a token is for; a resource no sandbox serves gets a token from the newest one. */
function tenantFor(resource: string | null): IdentityTenant | undefined {
  let origin: string | null = null;
  try {
    origin = resource ? new URL(resource).origin : null;
  } catch {
    origin = null;
  }
  return tenants.find((t) => t.origin === origin) ?? tenants[tenants.length - 1];
}
