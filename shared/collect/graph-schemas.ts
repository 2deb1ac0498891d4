// Wire schemas of the Graph v1.0 payloads credwatch reads, checked at the boundary before anything
// becomes a domain record. Source: microsoftgraph/microsoft-graph-docs-contrib
// api-reference/v1.0/resources/{application,serviceprincipal,passwordcredential,keycredential}.md
import { z } from "zod";

const nullableString = z.string().nullable().optional();

export const passwordCredentialSchema = z.object({
  keyId: z.string(),
  displayName: nullableString,
  startDateTime: nullableString,
  endDateTime: nullableString,
});

export const keyCredentialSchema = z.object({
  keyId: z.string(),
  displayName: nullableString,
  startDateTime: nullableString,
  endDateTime: nullableString,
  type: nullableString,
  usage: nullableString,
});

const credentialCollections = {
  passwordCredentials: z.array(passwordCredentialSchema).nullable().optional(),
  keyCredentials: z.array(keyCredentialSchema).nullable().optional(),
};

export const applicationSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: nullableString,
  ...credentialCollections,
});

export const servicePrincipalSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: nullableString,
  servicePrincipalType: nullableString,
  accountEnabled: z.boolean().nullable().optional(),
  ...credentialCollections,
});

export const ownerSchema = z.object({
  id: z.string(),
  displayName: nullableString,
  mail: nullableString,
  userPrincipalName: nullableString,
});

/** A collection page: items stay unknown until checked one by one, so one odd item costs one item. */
export const collectionPageSchema = z.object({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().optional(),
});

export const APPLICATION_SELECT = ["id", "appId", "displayName", "passwordCredentials", "keyCredentials"];
export const SERVICE_PRINCIPAL_SELECT = [
  "id",
  "appId",
  "displayName",
  "servicePrincipalType",
  "accountEnabled",
  "passwordCredentials",
  "keyCredentials",
];
export const OWNER_SELECT = ["id", "displayName", "mail", "userPrincipalName"];
