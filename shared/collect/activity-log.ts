// Registry administrative events of the lookback window (Activity Log, api-version 2015-04-01).
// The service insists on a time range plus one of resourceProvider / resourceUri / resourceGroupName /
// correlationId and has no operationName filter, so the provider is filtered server-side and the
// operation client-side (by analysis).
import type { MonitorClient } from "@azure/arm-monitor";
import type { ActivityEvent } from "../model.js";
import { readAll, toIso } from "./paging.js";

export const ACTIVITY_SELECT = "eventTimestamp,operationName,status,caller,resourceId";

export function activityLogFilter(now: Date, lookbackDays: number): string {
  const from = new Date(now.getTime() - lookbackDays * 86_400_000).toISOString();
  return `eventTimestamp ge '${from}' and eventTimestamp le '${now.toISOString()}' and resourceProvider eq 'Microsoft.ContainerRegistry'`;
}

export async function listRegistryEvents(
  client: MonitorClient,
  subscriptionId: string,
  now: Date,
  lookbackDays: number,
): Promise<ActivityEvent[]> {
  const events = await readAll(client.activityLogs.list(activityLogFilter(now, lookbackDays), { select: ACTIVITY_SELECT }));
  return events.flatMap((e) => {
    const eventTimestamp = toIso(e.eventTimestamp);
    const operationName = e.operationName?.value;
    // An event without its time, operation or resource cannot be judged; it is dropped, not guessed.
    if (!eventTimestamp || !operationName || !e.resourceId) return [];
    return [{
      eventTimestamp,
      operationName,
      status: e.status?.value ?? null,
      caller: e.caller ?? null,
      resourceId: e.resourceId,
      subscriptionId,
    }];
  });
}
