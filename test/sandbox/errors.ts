// Error bodies in each service's own format, so clients parse sandbox errors exactly as real ones.
import { randomUUID } from "node:crypto";
import type { SandboxRequest, SandboxResponse } from "./http-types.js";

// Graph: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}
// Source: learn.microsoft.com/graph/errors ("Error resource type"); innerError as the service sends it.
export function graphError(status: number, code: string, message: string, req?: SandboxRequest, headers: Record<string, string> = {}): SandboxResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: { "request-id": requestId, "client-request-id": req?.headers["client-request-id"] ?? requestId, ...headers },
    body: {
      error: {
        code,
        message,
        innerError: {
          // Graph writes this date without zone or fraction, e.g. "2020-09-11T11:21:34".
          date: new Date().toISOString().slice(0, 19),
          "request-id": requestId,
          "client-request-id": req?.headers["client-request-id"] ?? requestId,
        },
      },
    },
  };
}

// ARM: {"error":{"code","message"}} — common-types v6 ErrorResponse
// (azure-rest-api-specs specification/common-types/resource-management/v6/types.json).
export function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): SandboxResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: { "x-ms-request-id": requestId, "x-ms-correlation-request-id": requestId, ...headers },
    body: { error: { code, message } },
  };
}

const GRAPH_CODES: Record<number, [string, string]> = {
  400: ["BadRequest", "Bad request."],
  401: ["InvalidAuthenticationToken", "Access token validation failure."],
  403: ["Authorization_RequestDenied", "Insufficient privileges to complete the operation."],
  404: ["Request_ResourceNotFound", "Resource not found."],
  // learn.microsoft.com/graph/throttling: the 429 body.
  429: ["TooManyRequests", "Please retry again later."],
  500: ["generalException", "An unspecified error has occurred."],
  502: ["BadGateway", "Bad gateway."],
  503: ["serviceNotAvailable", "The service is temporarily unavailable. Please retry after the time in the Retry-After header."],
  504: ["GatewayTimeout", "The gateway did not receive a timely response."],
};

const ARM_CODES: Record<number, [string, string]> = {
  400: ["BadRequest", "The request is invalid."],
  401: ["AuthenticationFailed", "Authentication failed."],
  403: ["AuthorizationFailed", "The client does not have authorization to perform this action."],
  404: ["NotFound", "The requested resource was not found."],
  409: ["Conflict", "The request conflicts with the current state of the resource."],
  429: ["TooManyRequests", "The request is being throttled. Please retry after the time in the Retry-After header."],
  500: ["InternalServerError", "The server encountered an internal error. Please retry the request."],
  502: ["BadGateway", "The gateway received an invalid response."],
  503: ["ServiceUnavailable", "The service is currently unavailable. Please retry the request."],
  504: ["GatewayTimeout", "The gateway did not receive a response within the specified time period."],
};

/** What the service would say with this status and nothing more specific (fault injection). */
export function statusError(service: "graph" | "arm", status: number, req?: SandboxRequest): SandboxResponse {
  const [code, message] = (service === "graph" ? GRAPH_CODES : ARM_CODES)[status] ?? ["UnknownError", `HTTP ${status}`];
  return service === "graph" ? graphError(status, code, message, req) : armError(status, code, message);
}
