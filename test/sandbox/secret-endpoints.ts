// Endpoints whose answers contain secrets. credwatch needs no secret value, so the sandbox refuses
// every call to them (any method) and records it as a violation for tests to assert on.
// ARM: registries/{r}/listCredentials, registries/{r}/regenerateCredential, registries/{r}/generateCredentials
// (containerregistry.json 2025-11-01). Graph: application/servicePrincipal addPassword and addKey.
import { armError, graphError } from "./errors.js";
import type { SandboxRequest, SandboxResponse } from "./http-types.js";

const ARM_SECRET = /\/(listCredentials|regenerateCredential|generateCredentials)$/i;
const GRAPH_SECRET = /^\/v1\.0\/(?:applications|servicePrincipals)\/[^/]+\/(?:microsoft\.graph\.)?(addPassword|addKey)$/i;

/** The secret-returning operation a request calls, if it calls one. */
export function secretOperation(service: "graph" | "arm", path: string): string | undefined {
  const match = (service === "arm" ? ARM_SECRET : GRAPH_SECRET).exec(path);
  if (!match?.[1]) return undefined;
  const name = match[1].toLowerCase();
  return ["listCredentials", "regenerateCredential", "generateCredentials", "addPassword", "addKey"].find((op) => op.toLowerCase() === name);
}

export function refuseSecret(service: "graph" | "arm", operation: string, req: SandboxRequest): SandboxResponse {
  const note = "The credwatch sandbox refuses every secret-returning endpoint; this call was recorded as a violation.";
  if (service === "graph") return graphError(403, "Authorization_RequestDenied", `Insufficient privileges to complete the operation. ${note}`, req);
  const resource = req.path.replace(ARM_SECRET, "");
  return armError(
    403,
    "AuthorizationFailed",
    `The client does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/${operation}/action' over scope '${resource}' or the scope is invalid. ${note}`,
  );
}
