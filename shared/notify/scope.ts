// Which part of the tenant a finding's subject is read from, and whether a sweep read it. A
// "resolved" note is only honest when the sweep looked where the finding lived: a finding that
// vanished because its subscription (or Graph, or the token) could not be read is not fixed.
//
// Rules (conservative: an error we cannot place hides everything it could cover):
// - Graph subjects (applications, service principals) are hidden by any Graph error except owner
//   lookups ("applications/{id}/owners": owners do not decide what exists) and errors about one
//   identifiable other object ("applications/{otherId}", or a bare other id from analysis).
//   "applications", "servicePrincipals", "authentication", an unidentifiable item ("page 2 item 3")
//   or anything unknown hides all of Graph.
// - ARM subjects (tokens, registries, clusters) are hidden by an ARM error on their subscription
//   (its id), on "subscriptions" (the listing), or on any resource id that is the subject or
//   contains it (the registry of a token, the cluster itself).
// - "authentication", from any source, hides everything: without a token nothing was read.
import type { CollectionError, Finding } from "../model.js";
import { lower, normalizeArmId, parseResourceId } from "../arm-ids.js";

export type ReadScope =
  | { source: "graph"; objectId: string }
  /** subscriptionId null: the resource id names none (then any ARM error may hide it). */
  | { source: "arm"; subscriptionId: string | null; resourceId: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GRAPH_ITEM = /^(applications|serviceprincipals)\/(.+)$/;

export function findingScope(finding: Finding): ReadScope {
  const subject = finding.subject;
  if (subject.type === "application" || subject.type === "servicePrincipal") {
    return { source: "graph", objectId: lower(subject.id) };
  }
  const subscriptionId = parseResourceId(subject.id).subscriptionId;
  return { source: "arm", subscriptionId: subscriptionId ? lower(subscriptionId) : null, resourceId: normalizeArmId(subject.id) };
}

/**
 * Whether the sweep that produced `errors` read the scope (so a finding missing from it is gone).
 * With `subscriptionsRead` (the report's), an ARM scope also needs its subscription among those read:
 * a subscription that left the listing without an error was not looked at either.
 */
export function wasRead(scope: ReadScope, errors: readonly CollectionError[], subscriptionsRead?: readonly string[]): boolean {
  if (scope.source === "arm" && subscriptionsRead && (scope.subscriptionId === null || !subscriptionsRead.includes(scope.subscriptionId))) {
    return false;
  }
  return !errors.some((error) => hides(error, scope));
}

function hides(error: CollectionError, scope: ReadScope): boolean {
  const where = lower(error.scope);
  if (where === "authentication") return true;
  if (scope.source === "graph") return error.source === "graph" && graphErrorHides(where, scope.objectId);
  return error.source === "arm" && armErrorHides(normalizeArmId(where), scope);
}

function graphErrorHides(where: string, objectId: string): boolean {
  if (where.endsWith("/owners")) return false;
  const item = GRAPH_ITEM.exec(where)?.[2];
  if (item !== undefined) return item === objectId || !GUID.test(item);
  if (where === objectId) return true;
  // A bare GUID is one object analysis could not judge (e.g. an unreadable end date): not this one.
  return !GUID.test(where);
}

function armErrorHides(where: string, scope: Extract<ReadScope, { source: "arm" }>): boolean {
  if (where === "subscriptions" || scope.subscriptionId === null) return true;
  if (where.startsWith("/")) return scope.resourceId === where || scope.resourceId.startsWith(`${where}/`);
  if (GUID.test(where)) return where === scope.subscriptionId;
  return true;
}
