// Applications and service principals with both credential collections (Graph v1.0).
import type { Client } from "@microsoft/microsoft-graph-client";
import type { z } from "zod";
import type { Application, DirectoryCredential, ServicePrincipal } from "../model.js";
import {
  APPLICATION_SELECT,
  SERVICE_PRINCIPAL_SELECT,
  applicationSchema,
  servicePrincipalSchema,
  type keyCredentialSchema,
  type passwordCredentialSchema,
} from "./graph-schemas.js";
import { listGraphCollection, type GraphListing } from "./graph-paging.js";

export async function collectApplications(graph: Client, endpoint: string): Promise<GraphListing<Application>> {
  const listing = await listGraphCollection(graph, {
    path: "/applications",
    select: APPLICATION_SELECT,
    itemSchema: applicationSchema,
    scope: "applications",
    endpoint,
  });
  return {
    ...listing,
    items: listing.items.map((app) => ({
      id: app.id,
      appId: app.appId,
      displayName: app.displayName ?? app.appId,
      credentials: toCredentials(app.passwordCredentials, app.keyCredentials),
    })),
  };
}

export async function collectServicePrincipals(
  graph: Client,
  endpoint: string,
): Promise<GraphListing<ServicePrincipal>> {
  const listing = await listGraphCollection(graph, {
    path: "/servicePrincipals",
    select: SERVICE_PRINCIPAL_SELECT,
    itemSchema: servicePrincipalSchema,
    scope: "servicePrincipals",
    endpoint,
  });
  return {
    ...listing,
    items: listing.items.map((sp) => ({
      id: sp.id,
      appId: sp.appId,
      displayName: sp.displayName ?? sp.appId,
      servicePrincipalType: sp.servicePrincipalType ?? null,
      accountEnabled: sp.accountEnabled ?? null,
      credentials: toCredentials(sp.passwordCredentials, sp.keyCredentials),
    })),
  };
}

function toCredentials(
  passwords: z.infer<typeof passwordCredentialSchema>[] | null | undefined,
  keys: z.infer<typeof keyCredentialSchema>[] | null | undefined,
): DirectoryCredential[] {
  return [
    ...(passwords ?? []).map((p) => ({
      type: "secret" as const,
      keyId: p.keyId,
      displayName: p.displayName ?? null,
      startDateTime: p.startDateTime ?? null,
      endDateTime: p.endDateTime ?? null,
      usage: null,
    })),
    ...(keys ?? []).map((k) => ({
      type: "certificate" as const,
      keyId: k.keyId,
      displayName: k.displayName ?? null,
      startDateTime: k.startDateTime ?? null,
      endDateTime: k.endDateTime ?? null,
      usage: k.usage ?? null,
    })),
  ];
}
