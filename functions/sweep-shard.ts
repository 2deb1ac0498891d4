// Queue trigger: one shard of a fan-out sweep (shared/fanout/) — a subscription, or the directory —
// read and stored; the invocation that stores the last shard merges the report (and alerts, when
// the sweep asks for it). The Functions scale controller adds instances as the queue grows.
// A failed invocation is retried by the queue; after MAX_SHARD_ATTEMPTS deliveries the shard
// becomes an error of the report (host.json lets the queue deliver it that once more).
import { app, type InvocationContext } from "@azure/functions";
import { loadConfig } from "../shared/config/index.js";
import { SHARD_QUEUE, workShard } from "../shared/fanout/index.js";

export function createSweepShardHandler() {
  return async function sweepShard(item: unknown, context: InvocationContext): Promise<void> {
    // A bad setting throws here, naming every problem: the delivery fails visibly and is retried.
    const config = loadConfig(process.env);
    const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
    const outcome = await workShard(config, item, { dequeueCount: Number.isFinite(dequeueCount) ? dequeueCount : 1, log: (message) => context.log(message) });
    if (outcome?.outcome === "gave-up") context.error(`fan-out shard given up: ${outcome.error}`);
  };
}

export const sweepShard = createSweepShardHandler();

app.storageQueue("sweep-shard", {
  queueName: SHARD_QUEUE,
  connection: "AzureWebJobsStorage",
  handler: sweepShard,
});
