// POST /v1.0/$batch (JSON batching, learn.microsoft.com/graph/json-batching): up to 20 requests with
// relative URLs, answered as {responses:[{id,status,headers,body}]}. Each item goes through the same
// route function as a standalone request (faults included), so one item can be throttled while the
// others succeed — which a client has to handle itself: the Graph SDK does not retry inside a batch.
import { graphError } from "./errors.js";
import { jsonResponse, type SandboxRequest, type SandboxResponse } from "./http-types.js";

const BATCH_LIMIT = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export type RouteItem = (item: SandboxRequest, itemId: string) => Promise<SandboxResponse>;

export async function handleBatch(req: SandboxRequest, route: RouteItem): Promise<SandboxResponse> {
  if (req.method !== "POST") return graphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.", req);
  const items = parseItems(req.body);
  if (typeof items === "string") return graphError(400, "BadRequest", items, req);

  const responses = await Promise.all(
    items.map(async (item) => {
      const url = new URL(item.url.replace(/^\/?/, "/"), "https://batch.invalid");
      const inner: SandboxRequest = {
        method: item.method.toUpperCase(),
        path: `/v1.0${url.pathname}`,
        query: url.searchParams,
        headers: Object.fromEntries(Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
        body: item.body === undefined ? "" : JSON.stringify(item.body),
      };
      const response = inner.path === "/v1.0/$batch" ? graphError(400, "BadRequest", "A batch request cannot contain another batch.", req) : await route(inner, item.id);
      const retryAfter = response.headers?.["retry-after"];
      return {
        id: item.id,
        status: response.status,
        headers: { "Content-Type": "application/json", ...(retryAfter === undefined ? {} : { "Retry-After": retryAfter }) },
        body: response.rawBody ?? (response.jsonText !== undefined ? JSON.parse(response.jsonText) : response.body),
      };
    }),
  );
  return jsonResponse(200, { responses });
}

/** The batch's items, or why the whole batch is rejected with 400. */
function parseItems(body: string): BatchItem[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return "Invalid batch payload format: the body is not JSON.";
  }
  const requests = (parsed as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) return "Invalid batch payload format: 'requests' must be a non-empty array.";
  if (requests.length > BATCH_LIMIT) return `The batch contains ${requests.length} requests; the limit is ${BATCH_LIMIT}.`;
  const ids = new Set<string>();
  for (const item of requests as Partial<BatchItem>[]) {
    if (typeof item?.id !== "string" || typeof item.method !== "string" || typeof item.url !== "string") {
      return "Invalid batch payload format: every request needs string 'id', 'method' and 'url'.";
    }
    if (/^https?:/i.test(item.url)) return `Invalid request URL '${item.url}': batch URLs are relative, e.g. /users.`;
    if (ids.has(item.id)) return `Batch request contains duplicate id '${item.id}'.`;
    ids.add(item.id);
  }
  return requests as BatchItem[];
}
