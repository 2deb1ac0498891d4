// The shapes the route handlers trade in: a parsed request in, a response description out. Handlers
// never touch sockets, so they can be called directly (and $batch can call them for its items).

export type Service = "graph" | "arm" | "identity" | "oauth";

export interface SandboxRequest {
  method: string;
  /** Path without the query string, as sent (not decoded). */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  body: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON. */
  body?: unknown;
  /** Sent verbatim instead of `body` (fault injection of malformed payloads). */
  rawBody?: string;
  /** `body` already serialized as JSON (large collection pages, assembled from cached pieces). */
  jsonText?: string;
}

export interface RequestLogEntry {
  service: Service;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** ISO time the request arrived. */
  at: string;
  /** ARM requests: the api-version the client asked for. */
  apiVersion?: string;
  /** Set on a Graph $batch item: the item's id inside the batch. */
  batchItemId?: string;
}

/** A call to an endpoint that returns secrets. credwatch must never make one. */
export interface Violation {
  service: "graph" | "arm";
  method: string;
  path: string;
  /** listCredentials, regenerateCredential, generateCredentials, addPassword, addKey. */
  operation: string;
  at: string;
  batchItemId?: string;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, body, headers };
}
