// Graph delta queries on applications and service principals (api-reference/v1.0/api/
// application-delta.md, serviceprincipal-delta.md; concepts/delta-query-overview.md):
// - a round follows @odata.nextLink until a page carries @odata.deltaLink; the links are opaque and
//   keep the $select of the first request (no $top: page sizes are the service's);
// - changed objects come with their id and at least the changed selected properties, removed ones as
//   {id, "@removed": {reason: "changed" | "deleted"}};
// - `$deltatoken=latest` answers with a deltaLink for "now" and no objects ("sync from now"), which a
//   full sweep takes before listing so that whatever changes while it lists is seen again later;
// - a delta link lives seven days for directory objects; an expired one is refused (400
//   syncStateNotFound), and a reset is 410 Gone: both mean "read everything again".
import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import type { CollectionError } from "../model.js";
import { toCollectionError } from "./errors.js";
import { readDeltaItem, type DeltaItem, type DirectoryCollection } from "./directory-records.js";
import { DIRECTORY_PATHS, DIRECTORY_SELECT } from "./graph-directory.js";

const deltaPageSchema = z.object({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().optional(),
  "@odata.deltaLink": z.string().optional(),
});

export interface DeltaRound {
  items: DeltaItem[];
  /** The link of the next round; null when the round did not complete. */
  deltaLink: string | null;
  /** Why the round did not complete. */
  failure: DeltaFailure | null;
  requests: number;
}

export interface DeltaFailure {
  /** The link is no longer valid (expired token, sync reset): only a full read helps. */
  expired: boolean;
  error: CollectionError;
}

/** One round of changes from a stored delta link. */
export async function readDeltaRound(graph: Client, link: string, collection: DirectoryCollection, endpoint: string): Promise<DeltaRound> {
  const items: DeltaItem[] = [];
  let next = link;
  for (let page = 1; ; page++) {
    let raw: unknown;
    try {
      raw = await graph.api(next).get();
    } catch (error) {
      return { items, deltaLink: null, failure: { expired: isExpired(error), error: toCollectionError("graph", `${collection}/delta`, error, endpoint) }, requests: page };
    }
    const parsed = deltaPageSchema.safeParse(raw);
    const deltaLink = parsed.success ? parsed.data["@odata.deltaLink"] : undefined;
    const nextLink = parsed.success ? parsed.data["@odata.nextLink"] : undefined;
    if (!parsed.success || (!deltaLink && !nextLink)) {
      const why = parsed.success ? "neither @odata.nextLink nor @odata.deltaLink" : (parsed.error.issues[0]?.message ?? "unexpected shape");
      return {
        items,
        deltaLink: null,
        failure: { expired: false, error: { source: "graph", scope: `${collection}/delta`, status: null, message: `malformed delta page ${page} from ${endpoint}: ${why}` } },
        requests: page,
      };
    }
    for (const value of parsed.data.value) items.push(readDeltaItem(collection, value));
    if (deltaLink) return { items, deltaLink, failure: null, requests: page };
    next = nextLink!;
  }
}

/** A delta link for the collection as it is now, without reading it ($deltatoken=latest). */
export async function latestDeltaLink(
  graph: Client,
  collection: DirectoryCollection,
  endpoint: string,
): Promise<{ link: string | null; error: CollectionError | null }> {
  try {
    const raw = await graph.api(`${DIRECTORY_PATHS[collection]}/delta`).select(DIRECTORY_SELECT[collection]).query({ $deltatoken: "latest" }).get();
    const parsed = deltaPageSchema.safeParse(raw);
    const link = parsed.success ? parsed.data["@odata.deltaLink"] : undefined;
    if (link) return { link, error: null };
    return { link: null, error: { source: "graph", scope: `${collection}/delta`, status: null, message: `no @odata.deltaLink in the answer to $deltatoken=latest from ${endpoint}` } };
  } catch (error) {
    return { link: null, error: toCollectionError("graph", `${collection}/delta`, error, endpoint) };
  }
}

function isExpired(error: unknown): boolean {
  const e = error as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  if (e.statusCode === 410) return true;
  const text = `${typeof e.code === "string" ? e.code : ""} ${typeof e.message === "string" ? e.message : ""}`;
  return /syncStateNotFound|resyncRequired|delta token is expired|sync state generation is not found/i.test(text);
}
