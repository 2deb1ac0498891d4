// GET /v1.0/{applications|servicePrincipals}/delta: Graph change tracking, with the shapes of
// api-reference/v1.0/api/application-delta.md, serviceprincipal-delta.md and
// concepts/delta-query-overview.md (microsoftgraph/microsoft-graph-docs-contrib):
// - a round pages with @odata.nextLink ($skiptoken) and ends with @odata.deltaLink ($deltatoken);
//   both links carry only the token: the $select of the first request is encoded in it;
// - no token: every current object ("initial round"); `$deltatoken=latest`: no objects, only a
//   deltaLink for now ("sync from now", supported for directory resources);
// - a deltaLink's round: the objects changed since its token, with their selected properties, and
//   removed ones as {id, "@removed": {reason: "changed" | "deleted"}};
// - a token issued before Sandbox.directory.expireDeltaTokens() is refused the way Graph refuses an
//   expired one (400 syncStateNotFound) or a reset (410 Gone with a Location to start again);
// - $select together with $skiptoken is refused (the overview says it is not supported); $top is
//   refused too (not supported on delta for directory objects; page sizes are the service's).
// Tokens are opaque base64url JSON: sandbox instance, epoch, change sequence, $select, page offset.
import { graphError } from "./errors.js";
import { jsonResponse, type SandboxRequest, type SandboxResponse } from "./http-types.js";
import { parseSelect, recordsOf, wireText, withValue, type Collection, type GraphContext } from "./graph.js";

interface Token {
  /** Sandbox instance. */
  i: string;
  /** Epoch: bumped by expireDeltaTokens. */
  e: number;
  /** Changes after this sequence; -1: the initial round (every object). */
  s: number;
  /** The round's upper sequence (skip tokens only). */
  u?: number;
  /** Offset of the page (skip tokens only). */
  o?: number;
  /** $select, comma-separated; absent: every property. */
  sel?: string;
}

const EXPIRED_MESSAGE = "The sync state generation is not found. The delta token is expired and data must be synchronized again.";

export function handleDelta(ctx: GraphContext, req: SandboxRequest, collection: Collection): SandboxResponse {
  if (req.query.has("$top")) {
    return graphError(400, "Request_UnsupportedQuery", "The query parameter '$top' is not supported with delta queries on this resource.", req);
  }
  const deltaToken = req.query.get("$deltatoken") ?? req.query.get("$deltaToken");
  const skipToken = req.query.get("$skiptoken") ?? req.query.get("$skipToken");
  if (skipToken !== null && req.query.has("$select")) {
    return graphError(400, "Request_BadRequest", "Delta queries with both $select and $skipToken are not supported.", req);
  }
  const select = parseSelect(req, collection.type);
  if (!select.ok) return select.response;
  const directory = ctx.directory;

  let token: Token;
  if (skipToken !== null || (deltaToken !== null && deltaToken.toLowerCase() !== "latest")) {
    const decoded = decode((skipToken ?? deltaToken)!);
    if (!decoded) return graphError(400, "Request_BadRequest", "The specified delta or skip token is invalid.", req);
    if (decoded.i !== directory.instance || decoded.e !== directory.epoch) return expired(ctx, req, collection, decoded.sel);
    token = { ...decoded, ...(select.value && deltaToken !== null ? { sel: select.value.join(",") } : {}) };
  } else {
    token = { i: directory.instance, e: directory.epoch, s: deltaToken === null ? -1 : directory.sequence, ...(select.value ? { sel: select.value.join(",") } : {}) };
    if (deltaToken !== null) {
      // $deltatoken=latest: a link for now, no objects.
      return jsonResponse(200, { "@odata.context": context(ctx, collection), "@odata.deltaLink": link(ctx, collection, "$deltatoken", token), value: [] });
    }
  }

  const upTo = token.u ?? directory.sequence;
  const fields = token.sel?.split(",");
  const entries: (() => string)[] = [];
  for (const record of recordsOf(ctx, collection)) {
    const changed = directory.changedSince(collection.name, record.id);
    if (token.s < 0 || (changed > token.s && changed <= upTo)) entries.push(() => wireText(ctx, record, fields));
  }
  if (token.s >= 0) {
    for (const gone of directory.removedBetween(collection.name, token.s, upTo)) entries.push(() => JSON.stringify({ id: gone.id, "@removed": { reason: gone.reason } }));
  }
  const offset = token.o ?? 0;
  const end = offset + ctx.pageSize;
  const page = entries.slice(offset, end).map((entry) => entry());
  const more = end < entries.length;
  const head = {
    "@odata.context": context(ctx, collection),
    ...(more
      ? { "@odata.nextLink": link(ctx, collection, "$skiptoken", { ...token, u: upTo, o: end }) }
      : { "@odata.deltaLink": link(ctx, collection, "$deltatoken", { i: token.i, e: token.e, s: upTo, ...(token.sel ? { sel: token.sel } : {}) }) }),
  };
  return { status: 200, headers: {}, jsonText: withValue(head, page) };
}

function expired(ctx: GraphContext, req: SandboxRequest, collection: Collection, sel: string | undefined): SandboxResponse {
  if (ctx.directory.expiredAnswer === "gone") {
    // A reset: start again with the initial query (same $select).
    const location = `${ctx.origin}/v1.0/${collection.name}/delta${sel ? `?$select=${sel}` : ""}`;
    return graphError(410, "resyncRequired", "Resync required. Replace any local cached copies with the result of the initial delta query.", req, { location });
  }
  return graphError(400, "syncStateNotFound", EXPIRED_MESSAGE, req);
}

function context(ctx: GraphContext, collection: Collection): string {
  return `${ctx.origin}/v1.0/$metadata#${collection.name}`;
}

function link(ctx: GraphContext, collection: Collection, param: "$skiptoken" | "$deltatoken", token: Token): string {
  return `${ctx.origin}/v1.0/${collection.name}/delta?${param}=${Buffer.from(JSON.stringify(token)).toString("base64url")}`;
}

function decode(raw: string): Token | null {
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<Token>;
    if (typeof value.i !== "string" || typeof value.e !== "number" || typeof value.s !== "number") return null;
    return value as Token;
  } catch {
    return null;
  }
}
