// Pages through a Graph collection: $top=999 (Graph's maximum) and $select on the first request,
// then the absolute @odata.nextLink as given. Each page is checked against its schema and handed
// on as it arrives (nothing accumulates here, beyond the one page requested ahead); an item that
// does not fit is reported and skipped, a page that does not fit ends the collection with an error.
import type { Client } from "@microsoft/microsoft-graph-client";
import type { z } from "zod";
import type { CollectionError } from "../model.js";
import { collectionPageSchema } from "./graph-schemas.js";
import { toCollectionError } from "./errors.js";

export const GRAPH_MAX_PAGE_SIZE = 999;
/** Items checked and handed on between two looks at the event loop. */
const SLICE = 250;

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface GraphPaging {
  /** Items handed on (readable ones). */
  count: number;
  /** Items that did not fit their schema: reported in `errors` too. */
  unreadable: UnreadableItem[];
  errors: CollectionError[];
  /** True when every page was read (items may still have been skipped: see errors). */
  finished: boolean;
}

export interface UnreadableItem {
  id: string;
  error: CollectionError;
}

export interface GraphListing<T> {
  items: T[];
  errors: CollectionError[];
  finished: boolean;
}

export interface GraphCollectionOptions<S extends z.ZodType> {
  path: string;
  select: string[];
  itemSchema: S;
  scope: string;
  endpoint: string;
}

/**
 * Reads every page, calling `onPage` with each page's readable items, a slice at a time. The next page is requested as
 * soon as this one's @odata.nextLink is known, before its items are checked and handed on, so the
 * chain of pages — the longest chain of requests in a sweep — waits on nothing but the service.
 */
export async function pageGraphCollection<S extends z.ZodType>(
  graph: Client,
  options: GraphCollectionOptions<S>,
  onPage: (items: z.infer<S>[]) => void | Promise<void>,
): Promise<GraphPaging> {
  const result: GraphPaging = { count: 0, unreadable: [], errors: [], finished: false };
  const fetchPage = (request: ReturnType<Client["api"]>): Promise<{ raw: unknown } | { error: unknown }> =>
    request.get().then(
      (raw: unknown) => ({ raw }),
      (error: unknown) => ({ error }),
    );
  let pending = fetchPage(graph.api(options.path).select(options.select).top(GRAPH_MAX_PAGE_SIZE));
  for (let page = 1; ; page++) {
    const answer = await pending;
    if ("error" in answer) {
      result.errors.push(toCollectionError("graph", options.scope, answer.error, options.endpoint));
      return result;
    }
    const parsed = collectionPageSchema.safeParse(answer.raw);
    if (!parsed.success) {
      result.errors.push(malformedPage(options.scope, options.endpoint, page, parsed.error.issues[0]?.message));
      return result;
    }
    const next = parsed.data["@odata.nextLink"];
    if (next) pending = fetchPage(graph.api(next));
    const values = parsed.data.value;
    for (let start = 0; start < values.length; start += SLICE) {
      const items: z.infer<S>[] = [];
      for (let index = start; index < Math.min(values.length, start + SLICE); index++) {
        const value = values[index];
        const item = options.itemSchema.safeParse(value);
        if (item.success) items.push(item.data);
        else {
          const unreadable = unreadableItem(options.scope, value, `page ${page} item ${index}`, item.error);
          result.unreadable.push(unreadable);
          result.errors.push(unreadable.error);
        }
      }
      result.count += items.length;
      await onPage(items);
      // Other responses (the other collection's pages, ARM) are handled between slices, not after
      // the whole page: no chain of requests waits long on this one.
      if (start + SLICE < values.length) await yieldToIo();
    }
    if (!next) {
      result.finished = true;
      return result;
    }
  }
}

/** Every item at once: for small collections. */
export async function listGraphCollection<S extends z.ZodType>(graph: Client, options: GraphCollectionOptions<S>): Promise<GraphListing<z.infer<S>>> {
  const items: z.infer<S>[] = [];
  const paging = await pageGraphCollection(graph, options, (page) => {
    items.push(...page);
  });
  return { items, errors: paging.errors, finished: paging.finished };
}

export function malformedPage(scope: string, endpoint: string, page: number, why: string | undefined): CollectionError {
  return { source: "graph", scope, status: null, message: `malformed page ${page} from ${endpoint}: ${why ?? "unexpected shape"}` };
}

export function unreadableItem(scope: string, value: unknown, fallbackId: string, error: z.ZodError): UnreadableItem {
  const id = typeof (value as { id?: unknown })?.id === "string" ? (value as { id: string }).id : fallbackId;
  return {
    id,
    error: {
      source: "graph",
      scope: `${scope}/${id}`,
      status: null,
      message: `unreadable item: ${error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    },
  };
}
