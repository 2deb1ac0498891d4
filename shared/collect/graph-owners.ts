// Owners of the subjects that have findings, fetched in Graph JSON batches of 20 (Graph's limit)
// rather than one request per subject, while the directory is still being read. The Graph client
// retries a throttled $batch request, but not a throttled item inside a successful batch, so those
// items are retried here, honouring Retry-After.
import type { Client } from "@microsoft/microsoft-graph-client";
import pLimit from "p-limit";
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

/**
 * Owners fetched while the sweep is still reading: subjects are added as they are found to have
 * findings, twenty go out in one $batch as soon as there are twenty, a few batches at a time, and
 * finish() sends the rest and retries the throttled items (each item's Retry-After, capped).
 */
export interface OwnerFetcher {
  add(subject: OwnerSubject): void;
  /** How many distinct subjects were added. */
  readonly size: number;
  finish(): Promise<OwnerLookup>;
}

export function createOwnerFetcher(graph: Client, options: OwnerLookupOptions & { concurrency?: number }): OwnerFetcher {
  const maxAttempts = options.maxAttempts ?? 4;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const limit = pLimit(options.concurrency ?? 8);
  const owners = new Map<string, Owner[]>();
  const errors: CollectionError[] = [];
  const seen = new Set<string>();
  let buffer: OwnerSubject[] = [];
  let throttled: { subject: OwnerSubject; waitMs: number }[] = [];
  const inFlight: Promise<void>[] = [];

  const send = (chunk: OwnerSubject[], attempt: number) => {
    inFlight.push(limit(() => sendBatch(chunk, attempt)));
  };

  async function sendBatch(chunk: OwnerSubject[], attempt: number): Promise<void> {
    let raw: unknown;
    try {
      raw = await graph.api("/$batch").post({
        requests: chunk.map((s) => ({ id: s.id, method: "GET", url: ownersPath(s) })),
      });
    } catch (error) {
      for (const s of chunk) errors.push(toCollectionError("graph", scopeOf(s), error, options.endpoint));
      return;
    }
    const parsed = batchResponseSchema.safeParse(raw);
    if (!parsed.success) {
      for (const s of chunk) errors.push({ source: "graph", scope: scopeOf(s), status: null, message: "malformed $batch response" });
      return;
    }
    const pending = new Map(chunk.map((s) => [s.id, s]));
    for (const item of parsed.data.responses) {
      const subject = pending.get(item.id);
      if (!subject) continue;
      pending.delete(item.id);
      if (RETRYABLE.has(item.status) && attempt < maxAttempts) {
        throttled.push({ subject, waitMs: retryAfterMs(item.headers, attempt, maxRetryAfterMs) });
      } else if (item.status >= 200 && item.status < 300) {
        const read = await readOwnerPages(graph, item.body, subject, options.endpoint);
        owners.set(subject.id, read.owners);
        errors.push(...read.errors);
      } else {
        errors.push({ source: "graph", scope: scopeOf(subject), status: item.status, message: `${item.status} ${graphErrorMessage(item.body)}` });
      }
    }
    for (const s of pending.values()) {
      errors.push({ source: "graph", scope: scopeOf(s), status: null, message: "the $batch response did not answer this request" });
    }
  }

  return {
    add(subject) {
      if (seen.has(subject.id)) return;
      seen.add(subject.id);
      buffer.push(subject);
      if (buffer.length >= GRAPH_BATCH_LIMIT) {
        send(buffer, 1);
        buffer = [];
      }
    },
    get size() {
      return seen.size;
    },
    async finish() {
      if (buffer.length > 0) send(buffer, 1);
      buffer = [];
      for (let attempt = 1; ; attempt++) {
        while (inFlight.length > 0) await Promise.all(inFlight.splice(0));
        if (throttled.length === 0) break;
        const round = throttled;
        throttled = [];
        await sleep(Math.max(...round.map((t) => t.waitMs)));
        const subjects = round.map((t) => t.subject);
        for (let i = 0; i < subjects.length; i += GRAPH_BATCH_LIMIT) send(subjects.slice(i, i + GRAPH_BATCH_LIMIT), attempt + 1);
      }
      return { owners, errors };
    },
  };
}

export async function collectOwners(graph: Client, subjects: OwnerSubject[], options: OwnerLookupOptions & { concurrency?: number }): Promise<OwnerLookup> {
  const fetcher = createOwnerFetcher(graph, options);
  for (const subject of subjects) fetcher.add(subject);
  return fetcher.finish();
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
