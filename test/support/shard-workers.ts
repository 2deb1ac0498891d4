// Stand-ins for Functions instances working the shard queue: each loop receives messages from the
// real queue (Azurite) with QueueClient, hands each to the queue trigger's handler through
// @azure/functions test mode — the decoded JSON as the item, the delivery count as
// triggerMetadata.dequeueCount, as the host does — deletes it when the handler returns, and makes it
// visible again when the handler throws (the host's visibilityTimeout). `crash` simulates an
// invocation that dies midway (timed out, instance gone): the message is neither handled nor deleted,
// and comes back.
import { InvocationContext } from "@azure/functions";
import type { QueueClient } from "@azure/storage-queue";

export interface WorkerOptions {
  queue: QueueClient;
  handler: (item: unknown, context: InvocationContext) => Promise<void>;
  /** The loops stop once this is true (checked between receives). */
  until: () => Promise<boolean>;
  crash?: (item: unknown, dequeueCount: number) => boolean;
  log?: (line: string) => void;
}

export interface WorkerStats {
  /** Deliveries the handler completed. */
  handled: number;
  /** Deliveries the handler threw on. */
  failed: number;
  /** Deliveries that "crashed". */
  crashed: number;
}

export async function runWorkers(count: number, options: WorkerOptions): Promise<WorkerStats[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => work(`worker-${i + 1}`, options)));
}

async function work(name: string, options: WorkerOptions): Promise<WorkerStats> {
  const { queue, handler } = options;
  const stats: WorkerStats = { handled: 0, failed: 0, crashed: 0 };
  while (!(await options.until())) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 2, visibilityTimeout: 120 });
    if (receivedMessageItems.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    for (const message of receivedMessageItems) {
      const item: unknown = JSON.parse(Buffer.from(message.messageText, "base64").toString("utf8"));
      if (options.crash?.(item, message.dequeueCount)) {
        stats.crashed++;
        await queue.updateMessage(message.messageId, message.popReceipt, undefined, 0);
        continue;
      }
      const context = new InvocationContext({
        functionName: "sweep-shard",
        invocationId: `${name}-${message.messageId}-${message.dequeueCount}`,
        triggerMetadata: { dequeueCount: message.dequeueCount, id: message.messageId, popReceipt: message.popReceipt },
        logHandler: (level, ...args) => options.log?.(`${name} ${level}: ${args.map(String).join(" ")}`),
      });
      try {
        await handler(item, context);
        stats.handled++;
        await queue.deleteMessage(message.messageId, message.popReceipt);
      } catch (error) {
        stats.failed++;
        options.log?.(`${name}: delivery ${message.dequeueCount} failed: ${error instanceof Error ? error.message : String(error)}`);
        await queue.updateMessage(message.messageId, message.popReceipt, undefined, 0);
      }
    }
  }
  return stats;
}
