// What happens to every Graph and ARM request, standalone or inside a $batch, in this order:
// refuse secret-returning endpoints (recording a violation), check the bearer token (not for batch
// items: the batch itself was checked), apply a matching fault, route, and log the outcome.
import { handleArm } from "./arm.js";
import { authenticate, type AuthSettings } from "./auth.js";
import { applyFault, type FaultSet } from "./faults.js";
import type { DirectoryChanges } from "./directory-changes.js";
import type { Fixture } from "./fixture-schema.js";
import { handleGraph } from "./graph.js";
import { handleBatch } from "./graph-batch.js";
import type { RequestLogEntry, SandboxRequest, SandboxResponse, Violation } from "./http-types.js";
import { refuseSecret, secretOperation } from "./secret-endpoints.js";

export interface PipelineState {
  fixture: Fixture;
  origin: string;
  graphPageSize: number;
  armPageSize: number;
  faults: FaultSet;
  /** Change tracking of the directory (Graph delta queries, Sandbox.directory). */
  directory: DirectoryChanges;
  auth: Record<"graph" | "arm", AuthSettings>;
  requests: RequestLogEntry[];
  violations: Violation[];
}

export async function serveApi(state: PipelineState, service: "graph" | "arm", req: SandboxRequest, batchItemId?: string): Promise<SandboxResponse> {
  const at = new Date().toISOString();
  const response = await respond(state, service, req, batchItemId);
  const apiVersion = service === "arm" ? req.query.get("api-version") : null;
  state.requests.push({
    service,
    method: req.method,
    path: req.path,
    query: Object.fromEntries(req.query),
    status: response.status,
    at,
    ...(apiVersion ? { apiVersion } : {}),
    ...(batchItemId === undefined ? {} : { batchItemId }),
  });
  return response;
}

async function respond(state: PipelineState, service: "graph" | "arm", req: SandboxRequest, batchItemId: string | undefined): Promise<SandboxResponse> {
  const operation = secretOperation(service, req.path);
  if (operation) {
    state.violations.push({ service, method: req.method, path: req.path, operation, at: new Date().toISOString(), ...(batchItemId === undefined ? {} : { batchItemId }) });
    return refuseSecret(service, operation, req);
  }
  let caller = { oid: "", appid: "" };
  if (batchItemId === undefined) {
    const auth = authenticate(service, req, state.auth[service]);
    if (!auth.ok) return auth.response;
    caller = { oid: auth.claims.oid, appid: auth.claims.appid };
  }
  const route = async (): Promise<SandboxResponse> => {
    if (service === "arm") return handleArm({ fixture: state.fixture, origin: state.origin, pageSize: state.armPageSize, caller }, req);
    if (/^\/v1\.0\/\$batch$/i.test(req.path)) return handleBatch(req, (item, itemId) => serveApi(state, "graph", item, itemId));
    return handleGraph({ fixture: state.fixture, origin: state.origin, pageSize: state.graphPageSize, directory: state.directory }, req);
  };
  const fault = state.faults.take(req.method, req.path);
  return fault ? applyFault(fault, service, req, route) : route();
}
