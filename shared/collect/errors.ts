// Turns whatever a client threw into a CollectionError a person can act on: the status, the
// service's own error code and message, and — when nothing answered at all — the endpoint that
// could not be reached. Request objects (and with them Authorization headers) are never included.
import type { CollectionError } from "../model.js";

interface ErrorLike {
  statusCode?: unknown;
  status?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "REQUEST_SEND_ERROR",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

export function toCollectionError(
  source: CollectionError["source"],
  scope: string,
  error: unknown,
  endpoint: string,
): CollectionError {
  const e = (typeof error === "object" && error !== null ? error : { message: String(error) }) as ErrorLike;
  const rawStatus = typeof e.statusCode === "number" ? e.statusCode : typeof e.status === "number" ? e.status : null;
  // The Graph client reports transport failures as status -1 or 0.
  const status = rawStatus !== null && rawStatus >= 100 ? rawStatus : null;
  const networkCode = findNetworkCode(e);
  if (networkCode && status === null) {
    return { source, scope, status: null, message: `cannot reach ${endpoint} (${networkCode})` };
  }
  const code = typeof e.code === "string" && e.code.length > 0 ? e.code : null;
  // The newer ARM SDKs replace the service's message on a failed page with this generic one; the
  // status and the service's error code carry what there is to say.
  const generic = typeof e.message === "string" && /^Pagination failed with unexpected statusCode/.test(e.message);
  const message = generic && code ? code : firstLine(typeof e.message === "string" ? e.message : String(error));
  const text = code && !message.startsWith(code) ? `${code}: ${message}` : message;
  return { source, scope, status, message: status !== null ? `${status} ${text}` : text };
}

function findNetworkCode(e: ErrorLike): string | null {
  for (let current: unknown = e, depth = 0; current && depth < 4; depth++) {
    const c = current as ErrorLike;
    if (typeof c.code === "string" && NETWORK_CODES.has(c.code)) {
      // REQUEST_SEND_ERROR wraps the socket error; prefer the socket's own code when there is one.
      const inner = c.cause ? findNetworkCode(c.cause as ErrorLike) : null;
      return inner ?? c.code;
    }
    if (typeof c.message === "string" && /fetch failed/.test(c.message) && !c.cause) return "fetch failed";
    current = c.cause;
  }
  return null;
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}
