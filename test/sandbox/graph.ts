// Microsoft Graph v1.0 routes the sweep reads: the application and servicePrincipal collections and
// their owners, with the OData query options Graph honours on them. Sources: learn.microsoft.com/graph
// "Use query parameters" and "Paging" (default page 100, $top 1..999, absolute @odata.nextLink that
// keeps the query); api-reference/v1.0/api/application-list.md, serviceprincipal-list.md,
// application-list-owners.md, serviceprincipal-list-owners.md in microsoft-graph-docs-contrib.
import { graphError } from "./errors.js";
import type { Fixture, FixtureApplication, FixtureOwner, FixtureServicePrincipal } from "./fixture-schema.js";
import { applicationResource, ownerResource, servicePrincipalResource } from "./graph-resources.js";
import { jsonResponse, type SandboxRequest, type SandboxResponse } from "./http-types.js";
import { decodeSkipToken, nextLink, pageOf } from "./paging.js";
import type { DirectoryChanges } from "./directory-changes.js";
import { handleDelta } from "./graph-delta.js";

export interface GraphContext {
  fixture: Fixture;
  /** https://127.0.0.1:PORT — nextLinks and @odata.context are absolute. */
  origin: string;
  /** Page size when the client sends no $top (Graph's default is 100); delta rounds page by it too. */
  pageSize: number;
  /** Change tracking of the directory (delta queries), and the memo of what is derived from it. */
  directory: DirectoryChanges;
}

export type Wire = Record<string, unknown>;
export type Outcome<T> = { ok: true; value: T } | { ok: false; response: SandboxResponse };

const MAX_TOP = 999;

/** What the routes need of an application or service principal; `wire` builds its Graph shape on demand. */
export interface DirectoryRecord {
  id: string;
  appId: string;
  owners: FixtureOwner[] | undefined;
  wire(): Wire;
  /** The fixture record: the key of its cached serializations. */
  source: object;
}

export interface Collection {
  name: "applications" | "servicePrincipals";
  type: string;
  records(fixture: Fixture): DirectoryRecord[];
}

export const COLLECTIONS: Record<string, Collection> = {
  applications: {
    name: "applications",
    type: "microsoft.graph.application",
    records: (f) => (f.applications ?? []).map((a) => ({ id: a.id, appId: a.appId, owners: a.owners, wire: () => applicationResource(a), source: a })),
  },
  serviceprincipals: {
    name: "servicePrincipals",
    type: "microsoft.graph.servicePrincipal",
    records: (f) => (f.servicePrincipals ?? []).map((sp) => ({ id: sp.id, appId: sp.appId, owners: sp.owners, wire: () => servicePrincipalResource(sp, f), source: sp })),
  },
};

/** The collection's records, built once per change of the directory. */
export function recordsOf(ctx: GraphContext, collection: Collection): DirectoryRecord[] {
  return ctx.directory.memo(`records:${collection.name}`, () => collection.records(ctx.fixture));
}

function recordById(ctx: GraphContext, collection: Collection, id: string): DirectoryRecord | undefined {
  const index = ctx.directory.memo(`byId:${collection.name}`, () => new Map(recordsOf(ctx, collection).map((r) => [r.id.toLowerCase(), r])));
  return index.get(id.toLowerCase());
}

// Property names a $select may use: those the sandbox serves for the type (read off empty records).
const EMPTY_APP: FixtureApplication = { id: "", appId: "", displayName: "" };
const EMPTY_SP: FixtureServicePrincipal = { ...EMPTY_APP, servicePrincipalType: "Application", accountEnabled: true };
const SELECTABLE: Record<string, ReadonlySet<string>> = {
  "microsoft.graph.application": new Set(Object.keys(applicationResource(EMPTY_APP))),
  "microsoft.graph.servicePrincipal": new Set(Object.keys(servicePrincipalResource(EMPTY_SP, { now: "", tenantId: "" }))),
  "microsoft.graph.directoryObject": new Set(Object.keys(ownerResource({ id: "", displayName: "" })).filter((k) => !k.startsWith("@"))),
};

export function handleGraph(ctx: GraphContext, req: SandboxRequest): SandboxResponse {
  const collection = /^\/v1\.0\/(applications|servicePrincipals)$/i.exec(req.path);
  const owners = /^\/v1\.0\/(applications|servicePrincipals)\/([^/]+)\/owners$/i.exec(req.path);
  const delta = /^\/v1\.0\/(applications|servicePrincipals)\/(?:microsoft\.graph\.)?delta(?:\(\))?$/i.exec(req.path);
  if ((collection || owners || delta) && req.method !== "GET") {
    return graphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.", req);
  }
  if (delta?.[1]) return handleDelta(ctx, req, COLLECTIONS[delta[1].toLowerCase()] as Collection);
  if (collection?.[1]) return listCollection(ctx, req, COLLECTIONS[collection[1].toLowerCase()] as Collection);
  if (owners?.[1] && owners[2]) return listOwners(ctx, req, COLLECTIONS[owners[1].toLowerCase()] as Collection, decodeURIComponent(owners[2]));
  const segment = req.path.replace(/^\/v1\.0\/?/, "").split("/")[0] ?? "";
  return graphError(404, "Request_ResourceNotFound", `Resource not found for the segment '${segment}'. (The credwatch sandbox does not serve ${req.method} ${req.path}.)`, req);
}

function listCollection(ctx: GraphContext, req: SandboxRequest, collection: Collection): SandboxResponse {
  const top = parseTop(req, ctx.pageSize);
  if (!top.ok) return top.response;
  const select = parseSelect(req, collection.type);
  if (!select.ok) return select.response;
  const filter = parseAppIdFilter(req);
  if (!filter.ok) return filter.response;
  const records = recordsOf(ctx, collection);
  const all = filter.value === undefined ? records : records.filter((record) => record.appId.toLowerCase() === filter.value);
  return pageResponse(ctx, req, all, top.value, `${collection.name}${select.value ? `(${select.value.join(",")})` : ""}`, (record) =>
    applySelect(record.wire(), select.value),
  { text: (record) => wireText(ctx, record, select.value) });
}

/** A record's selected wire shape as JSON text, cached until the record changes (pages of 999 are served often). */
export function wireText(ctx: GraphContext, record: DirectoryRecord, select: string[] | undefined): string {
  return ctx.directory.wireText(record.source, select ? select.join(",") : "*", () => JSON.stringify(applySelect(record.wire(), select)));
}

function listOwners(ctx: GraphContext, req: SandboxRequest, collection: Collection, id: string): SandboxResponse {
  const holder = recordById(ctx, collection, id);
  if (!holder) {
    return graphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`, req);
  }
  const top = parseTop(req, ctx.pageSize);
  if (!top.ok) return top.response;
  const select = parseSelect(req, "microsoft.graph.directoryObject");
  if (!select.ok) return select.response;
  return pageResponse(ctx, req, holder.owners ?? [], top.value, `directoryObjects${select.value ? `(${select.value.join(",")})` : ""}`, (owner) =>
    applySelect(ownerResource(owner), select.value),
  );
}

function pageResponse<T>(
  ctx: GraphContext,
  req: SandboxRequest,
  all: readonly T[],
  size: number,
  context: string,
  wire: (item: T) => Wire,
  serialized?: { text: (item: T) => string },
): SandboxResponse {
  const offset = decodeSkipToken(req.query.get("$skiptoken"));
  if (offset === undefined) return graphError(400, "Request_BadRequest", "The specified page token value has expired or is invalid.", req);
  const page = pageOf(all, offset, size);
  // Collection page: @odata.context, @odata.nextLink (only when another page follows), value.
  const head = {
    "@odata.context": `${ctx.origin}/v1.0/$metadata#${context}`,
    ...(page.next === undefined ? {} : { "@odata.nextLink": nextLink(ctx.origin, req.path, req.query, "$skiptoken", page.next) }),
  };
  if (serialized) return { status: 200, headers: {}, jsonText: withValue(head, page.items.map(serialized.text)) };
  return jsonResponse(200, { ...head, value: page.items.map(wire) });
}

/** `head` as JSON with a `value` array of already-serialized items appended. */
export function withValue(head: Wire, items: string[]): string {
  return `${JSON.stringify(head).slice(0, -1)},"value":[${items.join(",")}]}`;
}

export function parseTop(req: SandboxRequest, fallback: number): Outcome<number> {
  const raw = req.query.get("$top");
  if (raw === null) return { ok: true, value: fallback };
  const top = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (top >= 1 && top <= MAX_TOP) return { ok: true, value: top };
  return {
    ok: false,
    response: graphError(400, "Request_UnsupportedQuery", `Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_TOP} inclusive.`, req),
  };
}

export function parseSelect(req: SandboxRequest, type: string): Outcome<string[] | undefined> {
  const raw = req.query.get("$select");
  if (raw === null) return { ok: true, value: undefined };
  const names = raw.split(",").map((name) => name.trim()).filter(Boolean);
  const known = SELECTABLE[type] ?? new Set<string>();
  const unknown = names.find((name) => !known.has(name));
  if (unknown !== undefined) {
    return { ok: false, response: graphError(400, "Request_BadRequest", `Could not find a property named '${unknown}' on type '${type}'.`, req) };
  }
  return { ok: true, value: names };
}

/** Only selected properties, plus @odata.type, which Graph always sends for derived types. */
export function applySelect(resource: Wire, select: string[] | undefined): Wire {
  if (!select) return resource;
  return Object.fromEntries(Object.entries(resource).filter(([key]) => key.startsWith("@odata.") || select.includes(key)));
}

/** `$filter=appId eq '<guid>'` (lower-cased value), the one filter the sweep needs. */
function parseAppIdFilter(req: SandboxRequest): Outcome<string | undefined> {
  const raw = req.query.get("$filter");
  if (raw === null) return { ok: true, value: undefined };
  const match = /^\s*appId\s+eq\s+'([^']*)'\s*$/i.exec(raw);
  if (match?.[1] !== undefined) return { ok: true, value: match[1].toLowerCase() };
  return {
    ok: false,
    response: graphError(400, "Request_UnsupportedQuery", `Unsupported query: $filter=${raw}. (The credwatch sandbox supports $filter=appId eq '<appId>'.)`, req),
  };
}
