// Admin user findings (DESIGN §4 "Admin keys"); subject: the registry.
//
// - admin-user-enabled (medium): the registry's admin user is on.
// - admin-key-regenerated (high): the admin user is on and an activity-log event with operation
//   Microsoft.ContainerRegistry/registries/regenerateCredential/action (case-insensitive), status
//   Succeeded (case-insensitive), resource id equal to the registry's (case-insensitive) lies in
//   now − lookback ≤ eventTimestamp ≤ now. ONE finding per registry, naming the latest such event
//   (who and when) and counting the earlier ones; its id carries the event time (see finding-id.ts).
//   Events missing a timestamp, an operation or a resource id, or with an unparsable timestamp, are
//   ignored. A null caller is reported as "an unknown caller".
// credwatch never calls listCredentials: no secret value is needed to tell this.

import type { ActivityEvent, Finding } from "../model.js";
import { normalizeArmId, sameText } from "../arm-ids.js";
import { arr, registryList, type Context } from "./context.js";
import { DAY_MS, parseTimestamp } from "./dates.js";
import { adminKeyRegeneratedFindingId, adminUserEnabledFindingId } from "./finding-id.js";
import { disableAdminFix } from "./fix-commands.js";
import { adminKeyRegeneratedMessage, adminUserEnabledMessage } from "./messages.js";
import { FIXED_SEVERITY } from "./severity.js";
import { compareText } from "./order.js";

export const REGENERATE_OPERATION = "Microsoft.ContainerRegistry/registries/regenerateCredential/action";

interface DatedEvent {
  event: ActivityEvent;
  at: number;
}

/** Succeeded regenerate events in the lookback, keyed by normalised registry id. */
export function regenerateEvents(ctx: Context): Map<string, DatedEvent[]> {
  const from = ctx.now - ctx.policy.adminEventLookbackDays * DAY_MS;
  const byRegistry = new Map<string, DatedEvent[]>();
  for (const event of arr(ctx.inventory.activityEvents)) {
    if (!event || !sameText(event.operationName, REGENERATE_OPERATION) || !sameText(event.status, "Succeeded")) continue;
    const id = normalizeArmId(event.resourceId);
    const at = parseTimestamp(event.eventTimestamp);
    if (id === "" || at === null || at < from || at > ctx.now) continue;
    const list = byRegistry.get(id) ?? [];
    list.push({ event, at });
    byRegistry.set(id, list);
  }
  return byRegistry;
}

function latest(events: DatedEvent[]): DatedEvent {
  return [...events].sort((a, b) => b.at - a.at || compareText(a.event.caller ?? "", b.event.caller ?? ""))[0]!;
}

export function adminKeyFindings(ctx: Context): Finding[] {
  const findings: Finding[] = [];
  const events = regenerateEvents(ctx);
  for (const registry of registryList(ctx)) {
    if (registry.adminUserEnabled !== true) continue;
    const subject = { type: "registry" as const, id: registry.id, name: registry.name };
    findings.push({
      id: adminUserEnabledFindingId(registry.id),
      kind: "admin-user-enabled",
      severity: FIXED_SEVERITY["admin-user-enabled"]!,
      subject,
      registry: registry.name,
      impact: { registries: [], clusters: [] },
      message: adminUserEnabledMessage(registry),
      fix: disableAdminFix(registry),
    });
    const mine = events.get(normalizeArmId(registry.id));
    if (!mine || mine.length === 0) continue;
    const last = latest(mine);
    const distinct = new Set(mine.map((e) => e.at)).size;
    findings.push({
      id: adminKeyRegeneratedFindingId(registry.id, last.at),
      kind: "admin-key-regenerated",
      severity: FIXED_SEVERITY["admin-key-regenerated"]!,
      subject,
      registry: registry.name,
      impact: { registries: [registry.name], clusters: [] },
      message: adminKeyRegeneratedMessage(registry, last.event.caller ?? null, last.at, distinct - 1),
      fix: disableAdminFix(registry),
    });
  }
  return findings;
}
