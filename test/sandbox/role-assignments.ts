// Which role assignments a roleAssignments list returns for a scope and $filter
// (authorization 2022-04-01, RoleAssignments_ListForSubscription / _ListForScope):
// - no filter: assignments at, above and below the scope;
// - atScope(): at the scope and above it (never below);
// - principalId eq '{id}' / assignedTo('{id}'): at, above and below, for that principal only
//   (the fixture has no groups, so assignedTo means the same as principalId eq).

export interface RoleAssignmentFilter {
  atScope: boolean;
  principalId?: string;
}

/** The parsed filter, or undefined when it is not one the service accepts. */
export function parseRoleAssignmentFilter(filter: string | null): RoleAssignmentFilter | undefined {
  if (filter === null || filter.trim() === "") return { atScope: false };
  const result: RoleAssignmentFilter = { atScope: false };
  for (const clause of filter.trim().split(/\s+and\s+/i)) {
    const principal = /^(?:principalId\s+eq\s+'([^']+)'|assignedTo\('([^']+)'\))$/i.exec(clause);
    if (/^atScope\(\)$/i.test(clause)) result.atScope = true;
    else if (principal && result.principalId === undefined) result.principalId = (principal[1] ?? principal[2] ?? "").toLowerCase();
    else return undefined;
  }
  return result;
}

const MANAGEMENT_GROUP = /^\/providers\/microsoft\.management\/managementgroups\//;

function normalize(scope: string): string {
  return scope.toLowerCase().replace(/\/+$/, "");
}

/** Whether an assignment made at `assigned` applies at `requested` (same scope or an ancestor). */
function isAtOrAbove(assigned: string, requested: string): boolean {
  const [a, r] = [normalize(assigned), normalize(requested)];
  if (a === "" || a === r || r.startsWith(`${a}/`)) return true;
  // The fixture has no management-group hierarchy: a management group sits above every subscription.
  return MANAGEMENT_GROUP.test(a) && r.startsWith("/subscriptions/");
}

function isBelow(assigned: string, requested: string): boolean {
  const [a, r] = [normalize(assigned), normalize(requested)];
  if (r === "") return a !== "";
  return a.startsWith(`${r}/`) || (MANAGEMENT_GROUP.test(r) && a.startsWith("/subscriptions/"));
}

export function selectAssignments<T extends { scope: string; principalId: string }>(candidates: readonly T[], scope: string, filter: RoleAssignmentFilter): T[] {
  return candidates.filter(
    (a) =>
      (isAtOrAbove(a.scope, scope) || (!filter.atScope && isBelow(a.scope, scope))) &&
      (filter.principalId === undefined || a.principalId.toLowerCase() === filter.principalId),
  );
}
