// Container registries of one subscription, and the scoped tokens of each.
import type { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import type { CollectionError, Registry, RegistryToken } from "../model.js";
import { parseResourceId } from "../arm-ids.js";
import { readAll, toIso } from "./paging.js";

type SdkRegistry = Awaited<ReturnType<typeof readAll<import("@azure/arm-containerregistry").Registry>>>[number];

export async function listRegistries(client: ContainerRegistryManagementClient, subscriptionId: string): Promise<Registry[]> {
  const registries = await readAll(client.registries.list());
  return registries.filter((r) => typeof r.id === "string" && typeof r.name === "string").map((r) => toRegistry(r, subscriptionId));
}

function toRegistry(r: SdkRegistry, subscriptionId: string): Registry {
  const id = r.id as string;
  return {
    id,
    name: r.name as string,
    subscriptionId,
    resourceGroup: parseResourceId(id).resourceGroup ?? "",
    location: r.location ?? null,
    sku: r.sku?.name ?? null,
    adminUserEnabled: r.adminUserEnabled === true,
    publicNetworkAccess: r.publicNetworkAccess ?? null,
    roleAssignmentMode: r.roleAssignmentMode ?? null,
    networkRuleSet: r.networkRuleSet
      ? {
          defaultAction: r.networkRuleSet.defaultAction ?? null,
          ipRules: (r.networkRuleSet.ipRules ?? []).map((rule) => ({ value: rule.iPAddressOrRange, action: rule.action ?? null })),
        }
      : null,
    privateEndpointConnections: (r.privateEndpointConnections ?? []).map((c) => ({
      name: c.name ?? "",
      status: c.privateLinkServiceConnectionState?.status ?? null,
    })),
    tags: { ...(r.tags ?? {}) },
  };
}

export interface TokenListing {
  tokens: RegistryToken[];
  /** Passwords whose dates could not be read: reported, never taken for "no expiry". */
  errors: CollectionError[];
}

export async function listTokens(client: ContainerRegistryManagementClient, registry: Registry): Promise<TokenListing> {
  const tokens = await readAll(client.tokens.list(registry.resourceGroup, registry.name));
  const errors: CollectionError[] = [];
  const records = tokens
    .filter((t) => typeof t.name === "string")
    .map((t): RegistryToken => {
      const id = t.id ?? `${registry.id}/tokens/${t.name}`;
      const passwords = (t.credentials?.passwords ?? []).flatMap((p) => {
        const name = p.name ?? "password";
        if (p.expiry !== undefined && p.expiry !== null && toIso(p.expiry) === null) {
          errors.push({ source: "arm", scope: id, status: null, message: `token password ${name} has an unreadable expiry` });
          return [];
        }
        return [{ name, creationTime: toIso(p.creationTime), expiry: toIso(p.expiry) }];
      });
      return {
        id,
        name: t.name as string,
        registryId: registry.id,
        registryName: registry.name,
        subscriptionId: registry.subscriptionId,
        resourceGroup: registry.resourceGroup,
        status: t.status ?? null,
        scopeMapId: t.scopeMapId ?? null,
        creationDate: toIso(t.creationDate),
        passwords,
      };
    });
  return { tokens: records, errors };
}
