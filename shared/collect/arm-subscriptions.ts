// The subscriptions the identity can see, narrowed to the configured filter.
import type { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import type { CollectionError, Subscription } from "../model.js";
import { toCollectionError } from "./errors.js";
import { readAll } from "./paging.js";

export interface SubscriptionListing {
  subscriptions: Subscription[];
  errors: CollectionError[];
}

export async function collectSubscriptions(
  client: SubscriptionClient,
  filter: string[] | null,
  endpoint: string,
): Promise<SubscriptionListing> {
  let listed: Subscription[];
  try {
    listed = (await readAll(client.subscriptions.list()))
      .filter((s): s is typeof s & { subscriptionId: string } => typeof s.subscriptionId === "string")
      .map((s) => ({
        subscriptionId: s.subscriptionId.toLowerCase(),
        displayName: s.displayName ?? s.subscriptionId,
        state: s.state ?? null,
      }));
  } catch (error) {
    return { subscriptions: [], errors: [toCollectionError("arm", "subscriptions", error, endpoint)] };
  }
  if (!filter) return { subscriptions: listed, errors: [] };
  const wanted = new Set(filter.map((id) => id.toLowerCase()));
  const errors: CollectionError[] = [];
  // A configured subscription the identity cannot see is a coverage gap, not a silent skip.
  for (const id of wanted) {
    if (!listed.some((s) => s.subscriptionId === id)) {
      errors.push({
        source: "arm",
        scope: id,
        status: null,
        message: "subscription named in CREDWATCH_SUBSCRIPTIONS is not visible to this identity (no role on it, or it does not exist)",
      });
    }
  }
  return { subscriptions: listed.filter((s) => wanted.has(s.subscriptionId)), errors };
}
