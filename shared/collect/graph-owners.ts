// Owners of the subjects that have findings, fetched in Graph JSON batches of 20 (Graph's limit)
// rather than one request per subject. The Graph client retries a throttled $batch request, but not
// a throttled item inside a successful batch, so those items are retried here, honouring Retry-After.
import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import type { CollectionError, Owner } from "../model.js";
import { OWNER_SELECT, collectionPageSchema, ownerSchema } from "./graph-schemas.js";
import { toCollectionError } from "./errors.js";

export const GRAPH_BATCH_LIMIT = 20;
const RETRYABLE = new Set([429, 503, 504]);

export interface OwnerSubject {
  type: "application" | "servicePrincipal";
  /** Graph object id. */
  id: string;
}

export interface OwnerLookup {
  owners: Map<string, Owner[]>;
  errors: CollectionError[];
}

export interface OwnerLookupOptions {
  endpoint: string;
  /** How many times a throttled item is tried in all. */
  maxAttempts?: number;
  /** Upper bound on one Retry-After wait, so a sweep cannot stall for minutes on one item. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const batchResponseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).nullable().optional(),
      body: z.unknown().optional(),
    }),
  ),
});

export async function collectOwners(
  graph: Client,
  subjects: OwnerSubject[],
  options: OwnerLookupOptions,
): Promise<OwnerLookup> {
  const maxAttempts = options.maxAttempts ?? 4;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const owners = new Map<string, Owner[]>();
  const errors: CollectionError[] = [];
  const unique = [...new Map(subjects.map((s) => [s.id, s])).values()];
  const pending = new Map(unique.map((s) => [s.id, s]));

  for (let attempt = 1; pending.size > 0 && attempt <= maxAttempts; attempt++) {
    let waitMs = 0;
    const round = [...pending.values()];
    for (let i = 0; i < round.length; i += GRAPH_BATCH_LIMIT) {
      const chunk = round.slice(i, i + GRAPH_BATCH_LIMIT);
      let raw: unknown;
      try {
        raw = await graph.api("/$batch").post({
          requests: chunk.map((s) => ({ id: s.id, method: "GET", url: ownersPath(s) })),
        });
      } catch (error) {
        for (const s of chunk) errors.push(toCollectionError("graph", scopeOf(s), error, options.endpoint));
        for (const s of chunk) pending.delete(s.id);
        continue;
      }
      const parsed = batchResponseSchema.safeParse(raw);
      if (!parsed.success) {
        for (const s of chunk) {
          errors.push({ source: "graph", scope: scopeOf(s), status: null, message: "malformed $batch response" });
          pending.delete(s.id);
        }
        continue;
      }
      for (const item of parsed.data.responses) {
        const subject = pending.get(item.id);
        if (!subject) continue;
        if (RETRYABLE.has(item.status) && attempt < maxAttempts) {
          waitMs = Math.max(waitMs, retryAfterMs(item.headers, attempt, maxRetryAfterMs));
          continue;
        }
        pending.delete(item.id);
        if (item.status >= 200 && item.status < 300) {
          const read = await readOwnerPages(graph, item.body, subject, options.endpoint);
          owners.set(subject.id, read.owners);
          errors.push(...read.errors);
        } else {
          errors.push({
            source: "graph",
            scope: scopeOf(subject),
            status: item.status,
            message: `${item.status} ${graphErrorMessage(item.body)}`,
          });
        }
      }
    }
    if (pending.size > 0 && waitMs > 0) await sleep(waitMs);
  }
  for (const s of pending.values()) {
    errors.push({ source: "graph", scope: scopeOf(s), status: 429, message: `429 still throttled after ${maxAttempts} attempts` });
  }
  return { owners, errors };
}

async function readOwnerPages(
  graph: Client,
  firstBody: unknown,
  subject: OwnerSubject,
  endpoint: string,
): Promise<{ owners: Owner[]; errors: CollectionError[] }> {
  const owners: Owner[] = [];
  let body = firstBody;
  for (;;) {
    const page = collectionPageSchema.safeParse(body);
    if (!page.success) {
      return { owners, errors: [{ source: "graph", scope: scopeOf(subject), status: null, message: "malformed owners page" }] };
    }
    for (const value of page.data.value) {
      // Owners may be service principals or other directory objects; keep any with an id.
      const owner = ownerSchema.safeParse(value);
      if (owner.success) {
        owners.push({
          id: owner.data.id,
          displayName: owner.data.displayName ?? null,
          mail: owner.data.mail ?? null,
          userPrincipalName: owner.data.userPrincipalName ?? null,
        });
      }
    }
    const next = page.data["@odata.nextLink"];
    if (!next) return { owners, errors: [] };
    try {
      body = await graph.api(next).get();
    } catch (error) {
      return { owners, errors: [toCollectionError("graph", scopeOf(subject), error, endpoint)] };
    }
  }
}

function ownersPath(s: OwnerSubject): string {
  const collection = s.type === "application" ? "applications" : "servicePrincipals";
  return `/${collection}/${s.id}/owners?$select=${OWNER_SELECT.join(",")}`;
}

function scopeOf(s: OwnerSubject): string {
  return `${s.type === "application" ? "applications" : "servicePrincipals"}/${s.id}/owners`;
}

function retryAfterMs(headers: Record<string, string> | null | undefined, attempt: number, capMs: number): number {
  const header = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === "retry-after")?.[1];
  const seconds = header !== undefined ? Number(header) : Number.NaN;
  const ms = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 2 ** attempt * 500;
  return Math.min(ms, capMs);
}

function graphErrorMessage(body: unknown): string {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === "string" ? error.code : "error";
  const message = typeof error?.message === "string" ? error.message : "";
  return message ? `${code}: ${message}` : code;
}

/** Mail, else user principal name: what a person can be reached at. */
export function ownerContact(owner: Owner): string | null {
  return owner.mail || owner.userPrincipalName || owner.displayName || null;
}
