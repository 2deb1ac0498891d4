// Server-driven paging shared by Graph (`@odata.nextLink`, `$skiptoken`) and ARM (`nextLink`,
// `$skipToken`): both hand out an absolute URL that repeats the original query plus an opaque token.

export interface Page<T> {
  items: T[];
  /** Offset of the next page; undefined on the last page. */
  next?: number;
}

export function pageOf<T>(items: readonly T[], offset: number, size: number): Page<T> {
  const end = offset + size;
  return { items: items.slice(offset, end), ...(end < items.length ? { next: end } : {}) };
}

/** Opaque to clients, like the real tokens; it only encodes the offset. */
function encodeSkipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

/** The offset a skip token stands for: 0 when absent, undefined when it is not one of ours. */
export function decodeSkipToken(token: string | null): number | undefined {
  if (token === null) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  return match ? Number(match[1]) : undefined;
}

/**
 * The absolute URL of the page at `offset`: the original query (minus any old token) plus the new
 * token. `$`, `,`, `'` and `:` stay literal the way the services write them, e.g.
 * `...?$top=999&$select=id,appId&$skiptoken=...`.
 */
export function nextLink(origin: string, path: string, query: URLSearchParams, tokenParam: string, offset: number): string {
  const pairs = [...query.entries()].filter(([key]) => key.toLowerCase() !== tokenParam.toLowerCase());
  pairs.push([tokenParam, encodeSkipToken(offset)]);
  return `${origin}${path}?${pairs.map(([key, value]) => `${key}=${encodeQueryValue(value)}`).join("&")}`;
}

function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%24/g, "$").replace(/%2C/g, ",").replace(/%27/g, "'").replace(/%3A/g, ":");
}
