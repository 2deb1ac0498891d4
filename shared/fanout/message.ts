// The shard messages of a fan-out sweep: one per subscription, one for the directory, on one queue.
// The Functions host decodes queue messages from Base64 by default (messageEncoding "base64"), so
// they are sent Base64-encoded JSON; the handler takes what the host gives it — the parsed object,
// or the text — and checks it.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Subscription } from "../model.js";

/** The queue of shard messages; the trigger (functions/sweep-shard.ts) and the sender share this name. */
export const SHARD_QUEUE = "credwatch-shards";

/**
 * Deliveries of a shard before it is given up as an error of the report. host.json lets the queue
 * deliver a message more often than this (extensions.queues.maxDequeueCount), so that the delivery
 * after the last attempt reaches the handler, which records the shard as failed and lets the sweep
 * finish, instead of the host moving it to the poison queue where nobody would count it.
 */
export const MAX_SHARD_ATTEMPTS = 5;

export type ShardMessage =
  | { v: 1; sweep: string; shard: number; kind: "directory" }
  | { v: 1; sweep: string; shard: number; kind: "subscription"; subscription: Subscription };

/** Sweep ids: a UUID, which is a valid Table Storage key as it is. */
export const SWEEP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function newSweepId(): string {
  return randomUUID();
}

const base = { v: z.literal(1), sweep: z.string().regex(SWEEP_ID), shard: z.number().int().min(0).max(999_999) };
const messageSchema = z.discriminatedUnion("kind", [
  z.object({ ...base, kind: z.literal("directory") }),
  z.object({
    ...base,
    kind: z.literal("subscription"),
    subscription: z.object({ subscriptionId: z.string().min(1), displayName: z.string(), state: z.string().nullable() }),
  }),
]);

/** As the queue holds it: Base64 of the JSON. */
export function encodeShardMessage(message: ShardMessage): string {
  return Buffer.from(JSON.stringify(message), "utf8").toString("base64");
}

/** The message as the host hands it over (parsed JSON, JSON text, or still Base64); null when it is none of ours. */
export function parseShardMessage(item: unknown): ShardMessage | null {
  let value = item;
  if (typeof value === "string") {
    const text = value.trim().startsWith("{") ? value : Buffer.from(value, "base64").toString("utf8");
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
  }
  const parsed = messageSchema.safeParse(value);
  return parsed.success ? (parsed.data as ShardMessage) : null;
}

/** For logs: which shard. */
export function describeShard(message: ShardMessage): string {
  return message.kind === "directory" ? `sweep ${message.sweep} directory shard` : `sweep ${message.sweep} shard ${message.shard} (subscription ${message.subscription.subscriptionId})`;
}
