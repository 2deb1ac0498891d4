// The tenant fixture format: a zod mirror of sandbox-fixture.schema.json (same required fields,
// enums, patterns, closed objects and defaults; fixture-schema.test.ts runs both on the same inputs),
// plus the cross-references a JSON Schema cannot check. Errors name the file and the JSON path.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { BUILT_IN_ROLES, GUID_PATTERN, roleDefinitionGuid } from "./built-in-roles.js";
import { SYSTEM_SCOPE_MAPS } from "./system-scope-maps.js";
import { isRfc3339DateTime } from "./timestamps.js";

const guid = z.string().regex(GUID_PATTERN, { error: "expected a GUID" });
const dateTime = z.string().refine(isRfc3339DateTime, { error: "expected an RFC 3339 date-time, e.g. 2026-11-25T02:00:00Z" });
const integer = z.number().refine(Number.isInteger, { error: "expected an integer" });

const owner = z.strictObject({
  id: guid,
  displayName: z.string(),
  userPrincipalName: z.string().optional(),
  mail: z.string().nullable().optional(),
});

const passwordCredential = z.strictObject({
  keyId: guid,
  displayName: z.string().nullable().optional(),
  hint: z.string().nullable().optional(),
  startDateTime: dateTime.optional(),
  endDateTime: dateTime,
});

const keyCredential = z.strictObject({
  keyId: guid,
  displayName: z.string().nullable().optional(),
  type: z.string().default("AsymmetricX509Cert"),
  usage: z.string().default("Verify"),
  customKeyIdentifier: z.string().nullable().optional(),
  startDateTime: dateTime.optional(),
  endDateTime: dateTime,
});

const credentials = {
  owners: z.array(owner).optional(),
  passwordCredentials: z.array(passwordCredential).optional(),
  keyCredentials: z.array(keyCredential).optional(),
};

const application = z.strictObject({
  id: guid,
  appId: guid,
  displayName: z.string(),
  createdDateTime: dateTime.optional(),
  ...credentials,
});

const servicePrincipal = z.strictObject({
  id: guid,
  appId: guid,
  displayName: z.string(),
  servicePrincipalType: z.enum(["Application", "ManagedIdentity", "Legacy"]).default("Application"),
  accountEnabled: z.boolean().default(true),
  alternativeNames: z.array(z.string()).optional(),
  ...credentials,
});

const tokenPassword = z.strictObject({
  name: z.enum(["password1", "password2"]),
  creationTime: dateTime.optional(),
  expiry: dateTime.nullable().optional(),
});

const token = z.strictObject({
  name: z.string(),
  status: z.enum(["enabled", "disabled"]).default("enabled"),
  scopeMapName: z.string().default("_repositories_pull"),
  creationDate: dateTime.optional(),
  passwords: z.array(tokenPassword).optional(),
});

const scopeMap = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  actions: z.array(z.string()),
});

const registry = z.strictObject({
  name: z.string(),
  resourceGroup: z.string(),
  location: z.string().default("westeurope"),
  sku: z.enum(["Basic", "Standard", "Premium"]).default("Standard"),
  tags: z.record(z.string(), z.string()).optional(),
  adminUserEnabled: z.boolean().default(false),
  publicNetworkAccess: z.enum(["Enabled", "Disabled"]).default("Enabled"),
  roleAssignmentMode: z.enum(["LegacyRegistryPermissions", "AbacRepositoryPermissions"]).default("LegacyRegistryPermissions"),
  networkRuleSet: z
    .strictObject({
      defaultAction: z.enum(["Allow", "Deny"]).default("Allow"),
      ipRules: z.array(z.strictObject({ action: z.literal("Allow").optional(), value: z.string() })).optional(),
    })
    .optional(),
  privateEndpointConnections: z
    .array(
      z.strictObject({
        name: z.string(),
        status: z.enum(["Approved", "Pending", "Rejected", "Disconnected"]).default("Approved"),
      }),
    )
    .optional(),
  scopeMaps: z.array(scopeMap).optional(),
  tokens: z.array(token).optional(),
});

const managedCluster = z.strictObject({
  name: z.string(),
  resourceGroup: z.string(),
  location: z.string().default("westeurope"),
  tags: z.record(z.string(), z.string()).optional(),
  servicePrincipalProfile: z.strictObject({ clientId: z.string() }),
  identityProfile: z
    .strictObject({
      kubeletidentity: z.strictObject({ clientId: guid, objectId: guid, resourceId: z.string().optional() }).optional(),
    })
    .optional(),
  outboundIPs: z.array(z.string()).optional(),
});

const roleAssignment = z.strictObject({
  name: guid.optional(),
  scope: z.string(),
  principalId: guid,
  principalType: z.enum(["ServicePrincipal", "User", "Group", "ForeignGroup", "Device"]).default("ServicePrincipal"),
  role: z.string(),
});

const activityEvent = z.strictObject({
  eventTimestamp: dateTime,
  operationName: z.string(),
  status: z.enum(["Started", "Accepted", "Succeeded", "Failed"]).default("Succeeded"),
  caller: z.string().optional(),
  resourceId: z.string(),
});

const subscription = z.strictObject({
  subscriptionId: guid,
  displayName: z.string(),
  state: z.enum(["Enabled", "Disabled", "Warned", "PastDue"]).default("Enabled"),
  access: z.enum(["read", "denied"]).default("read"),
  registries: z.array(registry).optional(),
  managedClusters: z.array(managedCluster).optional(),
  roleAssignments: z.array(roleAssignment).optional(),
  activityLog: z.array(activityEvent).optional(),
});

export const faultSchema = z.strictObject({
  method: z.string().default("GET"),
  path: z.string(),
  status: integer.optional(),
  retryAfter: z.number().optional(),
  delayMs: integer.optional(),
  body: z.string().optional(),
  times: integer.optional(),
});

export const fixtureSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  now: dateTime,
  tenantId: guid,
  applications: z.array(application).optional(),
  servicePrincipals: z.array(servicePrincipal).optional(),
  subscriptions: z.array(subscription).optional(),
  faults: z.array(faultSchema).optional(),
});

export type Fixture = z.output<typeof fixtureSchema>;
export type FixtureInput = z.input<typeof fixtureSchema>;
export type FixtureApplication = z.output<typeof application>;
export type FixtureServicePrincipal = z.output<typeof servicePrincipal>;
export type FixtureOwner = z.output<typeof owner>;
export type FixturePasswordCredential = z.output<typeof passwordCredential>;
export type FixtureKeyCredential = z.output<typeof keyCredential>;
export type FixtureSubscription = z.output<typeof subscription>;
export type FixtureRegistry = z.output<typeof registry>;
export type FixtureToken = z.output<typeof token>;
export type FixtureManagedCluster = z.output<typeof managedCluster>;
export type FixtureRoleAssignment = z.output<typeof roleAssignment>;
export type FixtureActivityEvent = z.output<typeof activityEvent>;
export type Fault = z.output<typeof faultSchema>;
export type FaultInput = z.input<typeof faultSchema>;
export type FixtureApplicationInput = z.input<typeof application>;
export type FixtureServicePrincipalInput = z.input<typeof servicePrincipal>;
export type FixturePasswordCredentialInput = z.input<typeof passwordCredential>;
export type FixtureKeyCredentialInput = z.input<typeof keyCredential>;

/** Item schemas, for records added to a running sandbox (Sandbox.directory). */
export const fixtureItemSchemas = { application, servicePrincipal, passwordCredential, keyCredential } as const;

/** A fixture that cannot be used; `problems` holds one "FILE: $.json.path: what is wrong" line each. */
export class FixtureError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "FixtureError";
  }
}

export async function loadFixture(path: string): Promise<Fixture> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FixtureError([`${path}: cannot read the file: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FixtureError([`${path}: invalid JSON: ${(error as Error).message}`]);
  }
  return parseFixture(json, path);
}

export function parseFixture(json: unknown, sourceName: string): Fixture {
  const result = fixtureSchema.safeParse(json);
  if (!result.success) {
    throw new FixtureError(result.error.issues.flatMap((issue) => describeIssue(issue, json).map((line) => `${sourceName}: ${line}`)));
  }
  const problems = crossReferenceProblems(result.data);
  if (problems.length > 0) throw new FixtureError(problems.map((line) => `${sourceName}: ${line}`));
  return result.data;
}

type PathSegment = PropertyKey;

function jsonPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === "number") return `${text}[${segment}]`;
    const key = String(segment);
    return /^[A-Za-z_$][\w$]*$/.test(key) ? `${text}.${key}` : `${text}[${JSON.stringify(key)}]`;
  }, "$");
}

function valueAt(json: unknown, path: readonly PathSegment[]): unknown {
  let value = json;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function describeIssue(issue: z.core.$ZodIssue, json: unknown): string[] {
  const at = jsonPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => `${jsonPath([...issue.path, key])}: unknown property (the format is closed)`);
    case "invalid_value":
      return [`${at}: expected ${issue.values.length === 1 ? "" : "one of "}${issue.values.map(String).join("|")}`];
    case "invalid_type": {
      const actual = valueAt(json, issue.path);
      if (actual === undefined) return [`${at}: required`];
      return [`${at}: expected ${issue.expected}, got ${jsonType(actual)}`];
    }
    default:
      return [`${at}: ${issue.message}`];
  }
}

/** What the JSON Schema cannot say: unique ids and names, references that must resolve, valid fault patterns. */
function crossReferenceProblems(fixture: Fixture): string[] {
  const problems: string[] = [];
  /** Reports each entry whose key (case-insensitive) repeats an earlier one, by the JSON paths of both. */
  const noDuplicates = (entries: { key: string; path: string }[], note = "") => {
    const seen = new Map<string, string>();
    for (const { key, path } of entries) {
      const first = seen.get(key.toLowerCase());
      if (first === undefined) seen.set(key.toLowerCase(), path);
      else problems.push(`${path}: duplicate of ${first} (${key})${note}`);
    }
  };
  const keysAt = <T>(items: readonly T[] | undefined, path: string, field: string, key: (item: T) => string | undefined) =>
    (items ?? []).flatMap((item, i) => {
      const value = key(item);
      return value === undefined ? [] : [{ key: value, path: `${path}[${i}].${field}` }];
    });

  for (const [list, path] of [[fixture.applications, "$.applications"], [fixture.servicePrincipals, "$.servicePrincipals"]] as const) {
    noDuplicates(keysAt(list, path, "id", (x) => x.id));
    noDuplicates(keysAt(list, path, "appId", (x) => x.appId));
    list?.forEach((holder, i) => {
      noDuplicates(keysAt(holder.owners, `${path}[${i}].owners`, "id", (o) => o.id));
      noDuplicates([
        ...keysAt(holder.passwordCredentials, `${path}[${i}].passwordCredentials`, "keyId", (c) => c.keyId),
        ...keysAt(holder.keyCredentials, `${path}[${i}].keyCredentials`, "keyId", (c) => c.keyId),
      ]);
    });
  }
  noDuplicates(keysAt(fixture.subscriptions, "$.subscriptions", "subscriptionId", (s) => s.subscriptionId));
  // Registry names are global in Azure: they are the first label of <name>.azurecr.io.
  noDuplicates(
    (fixture.subscriptions ?? []).flatMap((s, si) => keysAt(s.registries, `$.subscriptions[${si}].registries`, "name", (r) => r.name)),
    "; registry names are global",
  );

  fixture.subscriptions?.forEach((s, si) => {
    const path = `$.subscriptions[${si}]`;
    s.registries?.forEach((r, ri) => {
      const registryPath = `${path}.registries[${ri}]`;
      noDuplicates(keysAt(r.scopeMaps, `${registryPath}.scopeMaps`, "name", (m) => m.name));
      noDuplicates(keysAt(r.tokens, `${registryPath}.tokens`, "name", (t) => t.name));
      const scopeMapNames = new Set([...(r.scopeMaps ?? []).map((m) => m.name), ...SYSTEM_SCOPE_MAPS.map((m) => m.name)]);
      r.tokens?.forEach((t, ti) => {
        noDuplicates(keysAt(t.passwords, `${registryPath}.tokens[${ti}].passwords`, "name", (p) => p.name));
        if (!scopeMapNames.has(t.scopeMapName)) problems.push(`${registryPath}.tokens[${ti}].scopeMapName: no scope map named ${t.scopeMapName} in this registry`);
      });
    });
    noDuplicates(keysAt(s.managedClusters, `${path}.managedClusters`, "name", (c) => `${c.resourceGroup}/${c.name}`));
    noDuplicates(keysAt(s.roleAssignments, `${path}.roleAssignments`, "name", (a) => a.name));
    s.roleAssignments?.forEach((a, ai) => {
      if (roleDefinitionGuid(a.role) === undefined) {
        problems.push(`${path}.roleAssignments[${ai}].role: ${JSON.stringify(a.role)} is neither a role-definition GUID nor a known built-in role (${Object.keys(BUILT_IN_ROLES).join(", ")})`);
      }
      if (!scopeBelongsTo(a.scope, s.subscriptionId)) {
        problems.push(`${path}.roleAssignments[${ai}].scope: ${a.scope} is not "/", a management group, or inside /subscriptions/${s.subscriptionId}`);
      }
    });
  });
  fixture.faults?.forEach((f, fi) => {
    try {
      new RegExp(f.path);
    } catch (error) {
      problems.push(`$.faults[${fi}].path: not a regular expression: ${(error as Error).message}`);
    }
  });
  return problems;
}

function scopeBelongsTo(scope: string, subscriptionId: string): boolean {
  const lower = scope.toLowerCase();
  const own = `/subscriptions/${subscriptionId.toLowerCase()}`;
  return lower === "/" || lower.startsWith("/providers/microsoft.management/managementgroups/") || lower === own || lower.startsWith(`${own}/`);
}
