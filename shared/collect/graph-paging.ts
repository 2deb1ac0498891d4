// Pages through a Graph collection: $top=999 (Graph's maximum) and $select on the first request,
// then the absolute @odata.nextLink as given. Each page is checked against its schema; an item that
// does not fit is reported and skipped, a page that does not fit ends the collection with an error.
import type { Client } from "@microsoft/microsoft-graph-client";
import type { z } from "zod";
import type { CollectionError } from "../model.js";
import { collectionPageSchema } from "./graph-schemas.js";
import { toCollectionError } from "./errors.js";

export const GRAPH_MAX_PAGE_SIZE = 999;

export interface GraphListing<T> {
  items: T[];
  errors: CollectionError[];
  /** True when every page was read (items may still have been skipped: see errors). */
  finished: boolean;
}

export async function listGraphCollection<S extends z.ZodType>(
  graph: Client,
  options: { path: string; select: string[]; itemSchema: S; scope: string; endpoint: string },
): Promise<GraphListing<z.infer<S>>> {
  const items: z.infer<S>[] = [];
  const errors: CollectionError[] = [];
  let request = graph.api(options.path).select(options.select).top(GRAPH_MAX_PAGE_SIZE);
  for (let page = 1; ; page++) {
    let raw: unknown;
    try {
      raw = await request.get();
    } catch (error) {
      errors.push(toCollectionError("graph", options.scope, error, options.endpoint));
      return { items, errors, finished: false };
    }
    const parsed = collectionPageSchema.safeParse(raw);
    if (!parsed.success) {
      errors.push({
        source: "graph",
        scope: options.scope,
        status: null,
        message: `malformed page ${page} from ${options.endpoint}: ${parsed.error.issues[0]?.message ?? "unexpected shape"}`,
      });
      return { items, errors, finished: false };
    }
    for (const [index, value] of parsed.data.value.entries()) {
      const item = options.itemSchema.safeParse(value);
      if (item.success) items.push(item.data);
      else {
        const id = typeof (value as { id?: unknown })?.id === "string" ? (value as { id: string }).id : `page ${page} item ${index}`;
        errors.push({
          source: "graph",
          scope: `${options.scope}/${id}`,
          status: null,
          message: `unreadable item: ${item.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        });
      }
    }
    const next = parsed.data["@odata.nextLink"];
    if (!next) return { items, errors, finished: true };
    request = graph.api(next);
  }
}
