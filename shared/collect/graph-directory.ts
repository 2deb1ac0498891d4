// Applications and service principals with both credential collections (Graph v1.0), page by page:
// each page is handed on as compact records (directory-records.ts) while the next one is fetched.
import type { Client } from "@microsoft/microsoft-graph-client";
import {
  APPLICATION_SELECT,
  SERVICE_PRINCIPAL_SELECT,
  applicationSchema,
  servicePrincipalSchema,
} from "./graph-schemas.js";
import { pageGraphCollection, type GraphPaging } from "./graph-paging.js";
import { storedApplication, storedServicePrincipal, type StoredApplication, type StoredServicePrincipal } from "./directory-records.js";

export const DIRECTORY_PATHS = { applications: "/applications", servicePrincipals: "/servicePrincipals" } as const;
export const DIRECTORY_SELECT = { applications: APPLICATION_SELECT, servicePrincipals: SERVICE_PRINCIPAL_SELECT } as const;

export function streamApplications(
  graph: Client,
  endpoint: string,
  onPage: (applications: StoredApplication[]) => void | Promise<void>,
): Promise<GraphPaging> {
  return pageGraphCollection(
    graph,
    { path: DIRECTORY_PATHS.applications, select: APPLICATION_SELECT, itemSchema: applicationSchema, scope: "applications", endpoint },
    (items) => onPage(items.map(storedApplication)),
  );
}

export function streamServicePrincipals(
  graph: Client,
  endpoint: string,
  onPage: (servicePrincipals: StoredServicePrincipal[]) => void | Promise<void>,
): Promise<GraphPaging> {
  return pageGraphCollection(
    graph,
    { path: DIRECTORY_PATHS.servicePrincipals, select: SERVICE_PRINCIPAL_SELECT, itemSchema: servicePrincipalSchema, scope: "servicePrincipals", endpoint },
    (items) => onPage(items.map(storedServicePrincipal)),
  );
}
