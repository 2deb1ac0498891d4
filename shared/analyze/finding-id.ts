// Finding ids: stable across runs for the same credential, token password, gap or event, because
// the alert ledger keys on them. Every part is normalised (ARM ids and GUIDs lower-cased, trailing
// slashes dropped) so a change of casing in what Azure returns does not make a "new" finding.
//
// Choices:
// - Credential findings carry NO kind: `credential:<subjectType>:<subjectId>:<credentialId>`.
//   DESIGN §4 says "kind + subject id + credential id", but a credential moving from expiring to
//   expired (or from long-lived to expiring) is the same problem getting worse; keeping one id lets
//   the ledger see "crossed into expired" as an escalation of a notified finding instead of a
//   resolved one plus a new one. The subject type is kept because an application and its service
//   principal are different subjects.
// - Role gaps: `role-gap:<clusterId>:<registryName>` — no reason either, so a gap that turns from
//   broad-role-only into no-pull-role is the same finding, escalated. Keyed by registry NAME because
//   an unknown registry has no id.
// - Network: `network-blocked:<clusterId>:<registryId>`.
// - Admin user: `admin-user-enabled:<registryId>`.
// - Admin key regenerated: `admin-key-regenerated:<registryId>:<eventTimestamp as ISO>` — one finding
//   per registry naming its latest regeneration in the lookback. Each regeneration is a new event
//   that breaks every pull secret again, so a later one must notify again: the timestamp makes it a
//   new id (the earlier one then resolves). The same event gives the same id on every run.

import type { SubjectType } from "../model.js";
import { lower, normalizeArmId } from "../arm-ids.js";

function subjectKey(type: SubjectType, id: string): string {
  return type === "acrToken" || type === "registry" || type === "managedCluster" ? normalizeArmId(id) : lower(id);
}

export function credentialFindingId(subjectType: SubjectType, subjectId: string, credentialId: string): string {
  return `credential:${subjectType}:${subjectKey(subjectType, subjectId)}:${lower(credentialId)}`;
}

export function roleGapFindingId(clusterId: string, registryName: string): string {
  return `role-gap:${normalizeArmId(clusterId)}:${lower(registryName)}`;
}

export function networkFindingId(clusterId: string, registryId: string): string {
  return `network-blocked:${normalizeArmId(clusterId)}:${normalizeArmId(registryId)}`;
}

export function adminUserEnabledFindingId(registryId: string): string {
  return `admin-user-enabled:${normalizeArmId(registryId)}`;
}

export function adminKeyRegeneratedFindingId(registryId: string, eventMs: number): string {
  return `admin-key-regenerated:${normalizeArmId(registryId)}:${new Date(eventMs).toISOString()}`;
}
