// Azure Resource Manager routes the sweep reads. Every list pages with an absolute `nextLink` that
// keeps the query (api-version included) plus `$skipToken`. Paths are matched case-insensitively, as
// ARM does. A subscription with `access: denied` is listed, but every read inside it is refused.
import { parseActivityFilter } from "./activity-log-filter.js";
import {
  activityEventResource,
  clusterPublicIps,
  eventCorrelationId,
  eventProvider,
  eventResourceGroup,
  managedClusterResource,
  publicIpResource,
  registryResource,
  roleAssignmentId,
  roleAssignmentResource,
  scopeMapResources,
  subscriptionResource,
  tokenResource,
} from "./arm-resources.js";
import { armError } from "./errors.js";
import type { Fixture, FixtureRegistry, FixtureSubscription } from "./fixture-schema.js";
import { jsonResponse, type SandboxRequest, type SandboxResponse } from "./http-types.js";
import { decodeSkipToken, nextLink, pageOf } from "./paging.js";
import { parseRoleAssignmentFilter, selectAssignments } from "./role-assignments.js";
import { parseTimestamp } from "./timestamps.js";

export interface ArmContext {
  fixture: Fixture;
  origin: string;
  pageSize: number;
  /** The authenticated caller, named in AuthorizationFailed messages. */
  caller: { oid: string; appid: string };
}

type Wire = Record<string, unknown>;
type Groups = Record<string, string>;

interface Route {
  pattern: RegExp;
  /** The RBAC action a read needs, for AuthorizationFailed. */
  action: string;
  handle(ctx: ArmContext, req: SandboxRequest, sub: FixtureSubscription | undefined, g: Groups): SandboxResponse;
}

const SUB = "/subscriptions/(?<sub>[^/]+)";
const RG = `${SUB}/resourceGroups/(?<rg>[^/]+)`;
const ACR = "providers/Microsoft\\.ContainerRegistry/registries";
const AKS = "providers/Microsoft\\.ContainerService/managedClusters";
const PIP = "providers/Microsoft\\.Network/publicIPAddresses";
const route = (pattern: string, action: string, handle: Route["handle"]): Route => ({ pattern: new RegExp(`^${pattern}$`, "i"), action, handle });
/** A route whose pattern captures `sub`: handleArm has resolved (and access-checked) the subscription. */
const inSubscription = (pattern: string, action: string, handle: (ctx: ArmContext, req: SandboxRequest, s: FixtureSubscription, g: Groups) => SandboxResponse): Route =>
  route(pattern, action, (ctx, req, sub, g) => handle(ctx, req, sub as FixtureSubscription, g));

const ROUTES: Route[] = [
  route("/subscriptions", "Microsoft.Resources/subscriptions/read", (ctx, req) =>
    listPage(ctx, req, (ctx.fixture.subscriptions ?? []).map((s) => subscriptionResource(s, ctx.fixture))),
  ),
  inSubscription(SUB, "Microsoft.Resources/subscriptions/read", (ctx, _req, s) => jsonResponse(200, subscriptionResource(s, ctx.fixture))),

  inSubscription(`${SUB}/${ACR}`, "Microsoft.ContainerRegistry/registries/read", (ctx, req, s) =>
    listPage(ctx, req, (s.registries ?? []).map((r) => registryResource(s, r, ctx.fixture))),
  ),
  inSubscription(`${RG}/${ACR}`, "Microsoft.ContainerRegistry/registries/read", (ctx, req, s, g) =>
    withResourceGroup(s, g, () =>
      listPage(ctx, req, (s.registries ?? []).filter((r) => same(r.resourceGroup, g.rg)).map((r) => registryResource(s, r, ctx.fixture))),
    ),
  ),
  inSubscription(`${RG}/${ACR}/(?<name>[^/]+)`, "Microsoft.ContainerRegistry/registries/read", (ctx, _req, s, g) =>
    withRegistry(s, g, (r) => jsonResponse(200, registryResource(s, r, ctx.fixture))),
  ),
  inSubscription(`${RG}/${ACR}/(?<name>[^/]+)/tokens`, "Microsoft.ContainerRegistry/registries/tokens/read", (ctx, req, s, g) =>
    withRegistry(s, g, (r) => listPage(ctx, req, (r.tokens ?? []).map((t) => tokenResource(s, r, t)))),
  ),
  inSubscription(`${RG}/${ACR}/(?<name>[^/]+)/scopeMaps`, "Microsoft.ContainerRegistry/registries/scopeMaps/read", (ctx, req, s, g) =>
    withRegistry(s, g, (r) => listPage(ctx, req, scopeMapResources(s, r, ctx.fixture))),
  ),

  inSubscription(`${SUB}/${AKS}`, "Microsoft.ContainerService/managedClusters/read", (ctx, req, s) =>
    listPage(ctx, req, (s.managedClusters ?? []).map((c) => managedClusterResource(s, c, ctx.fixture))),
  ),
  inSubscription(`${RG}/${AKS}`, "Microsoft.ContainerService/managedClusters/read", (ctx, req, s, g) =>
    withResourceGroup(s, g, () =>
      listPage(ctx, req, (s.managedClusters ?? []).filter((c) => same(c.resourceGroup, g.rg)).map((c) => managedClusterResource(s, c, ctx.fixture))),
    ),
  ),
  inSubscription(`${RG}/${AKS}/(?<name>[^/]+)`, "Microsoft.ContainerService/managedClusters/read", (ctx, _req, s, g) => {
    const cluster = (s.managedClusters ?? []).find((c) => same(c.resourceGroup, g.rg) && same(c.name, g.name));
    if (!cluster) return withResourceGroup(s, g, () => resourceNotFound("Microsoft.ContainerService/managedClusters", g));
    return jsonResponse(200, managedClusterResource(s, cluster, ctx.fixture));
  }),

  inSubscription(`${SUB}/${PIP}`, "Microsoft.Network/publicIPAddresses/read", (ctx, req, s) =>
    listPage(ctx, req, publicIps(s).map((ip) => publicIpResource(s, ip))),
  ),
  inSubscription(`${RG}/${PIP}`, "Microsoft.Network/publicIPAddresses/read", (ctx, req, s, g) =>
    withResourceGroup(s, g, () => listPage(ctx, req, publicIps(s).filter((ip) => same(ip.resourceGroup, g.rg)).map((ip) => publicIpResource(s, ip)))),
  ),
  inSubscription(`${RG}/${PIP}/(?<name>[^/]+)`, "Microsoft.Network/publicIPAddresses/read", (_ctx, _req, s, g) => {
    const ip = publicIps(s).find((p) => same(p.resourceGroup, g.rg) && same(p.name, g.name));
    if (!ip) return withResourceGroup(s, g, () => resourceNotFound("Microsoft.Network/publicIPAddresses", g));
    return jsonResponse(200, publicIpResource(s, ip));
  }),

  inSubscription(`${SUB}/providers/Microsoft\\.Insights/eventtypes/management/values`, "Microsoft.Insights/eventtypes/values/read", activityLog),

  // listForScope at any scope ("" is the root), which also covers the subscription-level list.
  route("(?<scope>/.*)?/providers/Microsoft\\.Authorization/roleAssignments", "Microsoft.Authorization/roleAssignments/read", (ctx, req, sub, g) =>
    roleAssignments(ctx, req, sub, g.scope ?? "/"),
  ),
];

export function handleArm(ctx: ArmContext, req: SandboxRequest): SandboxResponse {
  if (!req.query.get("api-version")) {
    return armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
  }
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(req.path);
    if (!match) continue;
    if (req.method !== "GET") return armError(405, "MethodNotAllowed", `The sandbox serves ${req.path} for GET only.`);
    const groups = Object.fromEntries(Object.entries(match.groups ?? {}).filter(([, v]) => v !== undefined)) as Groups;
    const subscriptionId = groups.sub ?? /^\/subscriptions\/([^/]+)/i.exec(groups.scope ?? "")?.[1];
    let sub: FixtureSubscription | undefined;
    if (subscriptionId !== undefined) {
      sub = (ctx.fixture.subscriptions ?? []).find((s) => same(s.subscriptionId, subscriptionId));
      if (!sub) return armError(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`);
      // The subscription itself stays readable: it is listed, only what is inside it is refused.
      const inside = req.path.length > `/subscriptions/${subscriptionId}`.length;
      if (sub.access === "denied" && inside) return authorizationFailed(ctx, candidate.action, scopeOf(req.path));
    }
    return candidate.handle(ctx, req, sub, groups);
  }
  return armError(404, "NotFound", `No route for ${req.method} ${req.path}. (The credwatch sandbox does not serve it.)`);
}

function same(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** The scope an action was checked at: the path up to the last resource (or the subscription). */
function scopeOf(path: string): string {
  return path.replace(/\/providers\/Microsoft\.(Authorization|Insights)\/.*$/i, "").replace(/\/providers\/[^/]+\/[^/]+$/i, "") || "/";
}

function authorizationFailed(ctx: ArmContext, action: string, scope: string, note = ""): SandboxResponse {
  return armError(
    403,
    "AuthorizationFailed",
    `The client '${ctx.caller.appid}' with object id '${ctx.caller.oid}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.${note}`,
  );
}

function listPage(ctx: ArmContext, req: SandboxRequest, all: readonly Wire[]): SandboxResponse {
  const offset = decodeSkipToken(req.query.get("$skipToken"));
  if (offset === undefined) return armError(400, "InvalidSkipToken", "The skip token is invalid or has expired.");
  const page = pageOf(all, offset, ctx.pageSize);
  return jsonResponse(200, {
    value: page.items,
    ...(page.next === undefined ? {} : { nextLink: nextLink(ctx.origin, req.path, req.query, "$skipToken", page.next) }),
  });
}

function resourceGroupsOf(s: FixtureSubscription): Set<string> {
  return new Set([
    ...(s.registries ?? []).map((r) => r.resourceGroup.toLowerCase()),
    ...(s.managedClusters ?? []).map((c) => c.resourceGroup.toLowerCase()),
    ...publicIps(s).map((ip) => ip.resourceGroup.toLowerCase()),
  ]);
}

function withResourceGroup(s: FixtureSubscription, g: Groups, then: () => SandboxResponse): SandboxResponse {
  if (!resourceGroupsOf(s).has((g.rg ?? "").toLowerCase())) return armError(404, "ResourceGroupNotFound", `Resource group '${g.rg}' could not be found.`);
  return then();
}

function resourceNotFound(type: string, g: Groups): SandboxResponse {
  return armError(
    404,
    "ResourceNotFound",
    `The Resource '${type}/${g.name}' under resource group '${g.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

function withRegistry(s: FixtureSubscription, g: Groups, then: (r: FixtureRegistry) => SandboxResponse): SandboxResponse {
  const registry = (s.registries ?? []).find((r) => same(r.resourceGroup, g.rg) && same(r.name, g.name));
  if (!registry) return withResourceGroup(s, g, () => resourceNotFound("Microsoft.ContainerRegistry/registries", g));
  return then(registry);
}

function publicIps(s: FixtureSubscription) {
  return (s.managedClusters ?? []).flatMap((c) => clusterPublicIps(s, c));
}

function roleAssignments(ctx: ArmContext, req: SandboxRequest, sub: FixtureSubscription | undefined, scope: string): SandboxResponse {
  const filter = parseRoleAssignmentFilter(req.query.get("$filter"));
  if (!filter) return armError(400, "UnsupportedQuery", `The filter '${req.query.get("$filter")}' is not supported. Supported: atScope(), principalId eq '{id}', assignedTo('{id}').`);
  // A scope inside a subscription sees that subscription's assignments; the root or a management group
  // sees every readable subscription's.
  const subscriptions = sub ? [sub] : (ctx.fixture.subscriptions ?? []).filter((s) => s.access === "read");
  const seen = new Set<string>();
  const candidates = subscriptions
    .flatMap((s) => (s.roleAssignments ?? []).map((a) => ({ s, a, scope: a.scope, principalId: a.principalId })))
    .filter((c) => !seen.has(roleAssignmentId(c.a).toLowerCase()) && seen.add(roleAssignmentId(c.a).toLowerCase()));
  return listPage(ctx, req, selectAssignments(candidates, scope, filter).map((c) => roleAssignmentResource(c.s, c.a, ctx.fixture)));
}

function activityLog(ctx: ArmContext, req: SandboxRequest, s: FixtureSubscription): SandboxResponse {
  const filter = parseActivityFilter(req.query.get("$filter"));
  // This API's error body is {code, message} without an "error" wrapper (activityLogs_API.json, ErrorResponse).
  if (typeof filter === "string") return jsonResponse(400, { code: "BadRequest", message: filter });
  const select = req.query.get("$select")?.split(",").map((p) => p.trim()).filter(Boolean);
  const events = (s.activityLog ?? [])
    .filter((e) => {
      const at = parseTimestamp(e.eventTimestamp);
      if (at < filter.fromMs || at > filter.toMs) return false;
      const value = {
        resourceProvider: eventProvider(e),
        resourceUri: e.resourceId,
        resourceGroupName: eventResourceGroup(e),
        correlationId: eventCorrelationId(s, e),
      }[filter.field];
      return value?.toLowerCase() === filter.value;
    })
    // Newest first, as the service returns them.
    .sort((a, b) => parseTimestamp(b.eventTimestamp) - parseTimestamp(a.eventTimestamp))
    .map((e) => activityEventResource(s, e, ctx.fixture))
    .map((e) => (select ? Object.fromEntries(Object.entries(e).filter(([key]) => select.includes(key))) : e));
  return listPage(ctx, req, events);
}
