// Which role assignments let an identity pull from a registry.
//
// Roles are matched by role-definition GUID (the last segment of roleDefinitionId), never by display
// name: names are localised and custom roles can reuse them.
//
// What Microsoft documents (checked 2026; see docs/pull-roles.md for the longer note):
// - "Legacy ACR roles such as AcrPull, AcrPush, and AcrDelete are not honored in ABAC-enabled
//   registries" — https://learn.microsoft.com/azure/container-registry/container-registry-rbac-abac-repository-permissions
// - Owner, Contributor and Reader on a registry in "RBAC Registry + ABAC Repository Permissions" mode:
//   "Data plane permissions: None - ABAC-enabled registries don't have data plane permissions for the
//   built-in Owner [Contributor, Reader] role." In "RBAC Registry Permissions" (legacy) mode the same
//   roles do include pull. — https://learn.microsoft.com/azure/container-registry/container-registry-rbac-built-in-roles-directory-reference
//   (source: MicrosoftDocs/azure-management-docs, articles/container-registry/
//   container-registry-rbac-built-in-roles-directory-reference.md, "Privileged roles")
// - Under ABAC mode pull comes from Container Registry Repository Reader / Writer / Contributor
//   (optionally narrowed to repositories by an ABAC condition, which credwatch does not read: an
//   assignment of these roles counts as granting pull).
// - The same directory lists "Container Registry Data Importer and Data Reader"
//   (577a9874-89fd-4f24-9dbd-b5034d0ad23a) with data-plane pull under BOTH modes. DESIGN §4 does not
//   list it; credwatch counts it as a (narrow) pull role so an identity holding only it is not
//   reported as "no-pull-role".
// - Custom roles are not recognised (credwatch does not read role definitions): an identity that
//   pulls only through a custom role is reported as no-pull-role.

import type { Registry, RoleAssignment } from "../model.js";
import { lower, normalizeArmId, sameText } from "../arm-ids.js";

export const ROLE = {
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  AcrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  RepositoryReader: "b93aa761-3e63-49ed-ac28-beffa264f7ac",
  RepositoryWriter: "2a1e307c-b015-4ebd-883e-5b7698a07328",
  RepositoryContributor: "2efddaa5-3f1f-4df3-97df-af3f13818f4c",
  DataImporterAndDataReader: "577a9874-89fd-4f24-9dbd-b5034d0ad23a",
} as const;

/** Display names, for messages only (matching is by GUID). */
export const ROLE_NAME: Readonly<Record<string, string>> = {
  [ROLE.AcrPull]: "AcrPull",
  [ROLE.AcrPush]: "AcrPush",
  [ROLE.Owner]: "Owner",
  [ROLE.Contributor]: "Contributor",
  [ROLE.Reader]: "Reader",
  [ROLE.RepositoryReader]: "Container Registry Repository Reader",
  [ROLE.RepositoryWriter]: "Container Registry Repository Writer",
  [ROLE.RepositoryContributor]: "Container Registry Repository Contributor",
  [ROLE.DataImporterAndDataReader]: "Container Registry Data Importer and Data Reader",
};

export type RoleAssignmentMode = "LegacyRegistryPermissions" | "AbacRepositoryPermissions";

const LEGACY_PULL = new Set<string>([
  ROLE.AcrPull,
  ROLE.AcrPush,
  ROLE.Owner,
  ROLE.Contributor,
  ROLE.Reader,
  ROLE.DataImporterAndDataReader,
]);
const ABAC_PULL = new Set<string>([
  ROLE.RepositoryReader,
  ROLE.RepositoryWriter,
  ROLE.RepositoryContributor,
  ROLE.DataImporterAndDataReader,
]);
const BROAD = new Set<string>([ROLE.Owner, ROLE.Contributor, ROLE.Reader]);
/** Roles whose assignment AT a registry declares that the identity pulls from it, in either mode
 *  (an AcrPull left over on a registry moved to ABAC still says "this cluster pulls from here"). */
const DECLARES_PULL = new Set<string>([...LEGACY_PULL, ...ABAC_PULL]);

/** The registry's mode; absent or unrecognised values mean the ARM default, legacy. */
export function registryMode(registry: Pick<Registry, "roleAssignmentMode">): RoleAssignmentMode {
  return sameText(registry.roleAssignmentMode, "AbacRepositoryPermissions")
    ? "AbacRepositoryPermissions"
    : "LegacyRegistryPermissions";
}

/** Lower-cased GUID: the last path segment of a role-definition id (or the id itself). */
export function roleGuid(roleDefinitionId: string | null | undefined): string {
  const parts = lower(roleDefinitionId).split("/").filter((p) => p !== "");
  return parts[parts.length - 1] ?? "";
}

export function roleName(guid: string): string {
  return ROLE_NAME[guid] ?? guid;
}

export function grantsPull(guid: string, mode: RoleAssignmentMode): boolean {
  return (mode === "AbacRepositoryPermissions" ? ABAC_PULL : LEGACY_PULL).has(guid);
}

/** Owner, Contributor, Reader: pull through them is least privilege missed (legacy mode only). */
export function isBroadRole(guid: string): boolean {
  return BROAD.has(guid);
}

export function declaresPull(guid: string): boolean {
  return DECLARES_PULL.has(guid);
}

/** The least-privilege role to grant for pull under the registry's mode. */
export function recommendedPullRole(mode: RoleAssignmentMode): string {
  return mode === "AbacRepositoryPermissions" ? ROLE_NAME[ROLE.RepositoryReader]! : "AcrPull";
}

function isManagementScope(scope: string): boolean {
  return scope === "/" || scope.startsWith("/providers/microsoft.management/");
}

/**
 * Whether an assignment's scope covers the registry: the registry itself, its resource group, its
 * subscription, or a management-group / root scope seen through the registry's subscription
 * (RoleAssignment.subscriptionId says which subscription's listing returned it). A scope below the
 * registry (none exist for ACR in ARM) does not cover it.
 */
export function scopeCovers(assignment: Pick<RoleAssignment, "scope" | "subscriptionId">, registry: Registry): boolean {
  const scope = normalizeArmId(assignment.scope);
  if (scope === "") return false;
  if (isManagementScope(scope)) {
    return sameText(assignment.subscriptionId, registry.subscriptionId);
  }
  const candidates = [normalizeArmId(registry.id)];
  const sub = lower(registry.subscriptionId);
  const rg = lower(registry.resourceGroup);
  if (sub) {
    candidates.push(`/subscriptions/${sub}`);
    if (rg) candidates.push(`/subscriptions/${sub}/resourcegroups/${rg}`);
  }
  const id = candidates[0]!;
  return candidates.includes(scope) || (id !== "" && id.startsWith(`${scope}/`) && scope.startsWith("/subscriptions/"));
}

/** Whether an assignment is made exactly at the registry (what `az aks update --attach-acr` creates). */
export function isAtRegistry(assignment: Pick<RoleAssignment, "scope">, registry: Registry): boolean {
  const scope = normalizeArmId(assignment.scope);
  return scope !== "" && scope === normalizeArmId(registry.id);
}

export type PullAccess =
  | { kind: "none"; /** Assignments that would grant pull in the other mode (e.g. AcrPull under ABAC). */ notHonoured: RoleAssignment[] }
  | { kind: "broad-only"; via: RoleAssignment[] }
  | { kind: "pull"; via: RoleAssignment[] };

/** How a principal (given its assignments) can pull from a registry. */
export function pullAccess(assignments: readonly RoleAssignment[], registry: Registry): PullAccess {
  const mode = registryMode(registry);
  const covering = assignments.filter((a) => scopeCovers(a, registry));
  const granting = covering.filter((a) => grantsPull(roleGuid(a.roleDefinitionId), mode));
  if (granting.length === 0) {
    return { kind: "none", notHonoured: covering.filter((a) => declaresPull(roleGuid(a.roleDefinitionId))) };
  }
  const narrow = granting.filter((a) => !isBroadRole(roleGuid(a.roleDefinitionId)));
  return narrow.length > 0 ? { kind: "pull", via: narrow } : { kind: "broad-only", via: granting };
}
