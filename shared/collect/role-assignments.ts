// Every role assignment visible in a subscription, at any scope inside it and above it (no $filter:
// atScope() would drop the assignments on registries and resource groups that analysis needs).
import type { AuthorizationManagementClient } from "@azure/arm-authorization";
import type { RoleAssignment } from "../model.js";
import { readAll } from "./paging.js";

export async function listRoleAssignments(client: AuthorizationManagementClient, subscriptionId: string): Promise<RoleAssignment[]> {
  const assignments = await readAll(client.roleAssignments.listForSubscription());
  return assignments
    .filter((a) => a.scope && a.principalId && a.roleDefinitionId)
    .map((a) => ({
      id: a.id ?? "",
      scope: a.scope as string,
      principalId: (a.principalId as string).toLowerCase(),
      principalType: a.principalType ?? null,
      roleDefinitionId: a.roleDefinitionId as string,
      subscriptionId,
    }));
}
