// The plain records credwatch works on. Collectors turn wire payloads into these; analysis reads
// only these; renderers and notifiers read findings. Nothing here knows about HTTP or SDKs.

/** One credential of an application or service principal (Graph passwordCredential / keyCredential). */
export interface DirectoryCredential {
  /** "secret" for a passwordCredential, "certificate" for a keyCredential. */
  type: "secret" | "certificate";
  keyId: string;
  displayName: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  /** keyCredential.usage: "Verify" authenticates, "Sign" (e.g. SAML signing) does not. Null for secrets. */
  usage: string | null;
}

export interface Application {
  /** Graph object id. */
  id: string;
  appId: string;
  displayName: string;
  credentials: DirectoryCredential[];
}

export interface ServicePrincipal {
  /** Graph object id: what role assignments call principalId. */
  id: string;
  appId: string;
  displayName: string;
  /** "Application", "ManagedIdentity", "Legacy", "SocialIdp"; null when Graph did not say. */
  servicePrincipalType: string | null;
  accountEnabled: boolean | null;
  credentials: DirectoryCredential[];
}

export interface Owner {
  id: string;
  displayName: string | null;
  mail: string | null;
  userPrincipalName: string | null;
}

export interface Subscription {
  subscriptionId: string;
  displayName: string;
  state: string | null;
}

export interface IpRule {
  /** IPv4 address or CIDR range, as the registry stores it. */
  value: string;
  action: string | null;
}

export interface Registry {
  /** ARM resource id. */
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string | null;
  /** "Basic" | "Standard" | "Premium"; null if ARM did not say. */
  sku: string | null;
  adminUserEnabled: boolean;
  publicNetworkAccess: string | null;
  /** "LegacyRegistryPermissions" (default when absent) or "AbacRepositoryPermissions". */
  roleAssignmentMode: string | null;
  /** Null when the registry has no network rule set (non-Premium SKUs). */
  networkRuleSet: { defaultAction: string | null; ipRules: IpRule[] } | null;
  privateEndpointConnections: { name: string; status: string | null }[];
  tags: Record<string, string>;
}

export interface TokenPassword {
  /** "password1" | "password2". */
  name: string;
  creationTime: string | null;
  /** Null: never expires. */
  expiry: string | null;
}

export interface RegistryToken {
  /** ARM resource id of the token. */
  id: string;
  name: string;
  registryId: string;
  registryName: string;
  subscriptionId: string;
  resourceGroup: string;
  /** "enabled" | "disabled". */
  status: string | null;
  scopeMapId: string | null;
  creationDate: string | null;
  passwords: TokenPassword[];
}

export interface RoleAssignment {
  id: string;
  /** "/subscriptions/S", "/subscriptions/S/resourceGroups/RG", or a resource id. */
  scope: string;
  principalId: string;
  principalType: string | null;
  /** Full role-definition resource id; match on its last segment (the GUID). */
  roleDefinitionId: string;
  /** The subscription whose listing returned it. Assignments at management-group or root scope
   *  ("/providers/Microsoft.Management/...", "/") apply to everything in that subscription. */
  subscriptionId: string;
}

export interface ActivityEvent {
  eventTimestamp: string;
  /** operationName.value, e.g. Microsoft.ContainerRegistry/registries/regenerateCredential/action */
  operationName: string;
  /** status.value: Started | Accepted | Succeeded | Failed; null when absent. */
  status: string | null;
  caller: string | null;
  resourceId: string;
  subscriptionId: string;
}

export interface ManagedCluster {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string | null;
  tags: Record<string, string>;
  /** servicePrincipalProfile.clientId: "msi" for managed-identity clusters, else an appId; null if absent. */
  servicePrincipalClientId: string | null;
  /** identityProfile.kubeletidentity, when present. */
  kubeletIdentity: { clientId: string | null; objectId: string } | null;
  /** Egress public IPs; null when they could not be determined (gives no network finding). */
  egressIps: string[] | null;
}

/** A scope credwatch could not read, and why. */
export interface CollectionError {
  source: "graph" | "arm" | "config";
  /** What could not be read: a subscription id, a registry id, a Graph collection. */
  scope: string;
  status: number | null;
  message: string;
}

/** Everything the collectors read. Subscriptions lists only those read completely. */
export interface Inventory {
  tenantId: string;
  applications: Application[];
  servicePrincipals: ServicePrincipal[];
  subscriptions: Subscription[];
  /** Subscription ids that were listed but could not be read completely. */
  unreadableSubscriptions: string[];
  registries: Registry[];
  tokens: RegistryToken[];
  roleAssignments: RoleAssignment[];
  activityEvents: ActivityEvent[];
  managedClusters: ManagedCluster[];
}

export interface Policy {
  /** Expiry windows in days, e.g. [30, 14, 7, 1]. Any order; analysis sorts. */
  thresholds: number[];
  /** Credentials whose lifetime exceeds this are long-lived. */
  maxLifetimeDays: number;
  /** How far back admin-key regenerate events count. */
  adminEventLookbackDays: number;
}

export type Severity = "critical" | "high" | "medium" | "low";
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];

export type FindingKind =
  | "credential-expired"
  | "credential-expiring"
  | "credential-long-lived"
  | "role-gap"
  | "network-blocked"
  | "admin-user-enabled"
  | "admin-key-regenerated";

export type SubjectType = "application" | "servicePrincipal" | "acrToken" | "registry" | "managedCluster";

export interface FindingSubject {
  type: SubjectType;
  /** Graph object id, or ARM resource id. */
  id: string;
  /** displayName, or the resource's name. */
  name: string;
  appId?: string;
}

export interface FindingCredential {
  type: "secret" | "certificate" | "tokenPassword";
  /** keyId, or password1/password2 for a token. */
  id: string;
  name: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  daysLeft: number | null;
  window: number | null;
  rotated: boolean;
}

export type RoleGapReason = "no-pull-role" | "broad-role-only" | "unknown-registry";

export interface Finding {
  /** Stable across runs for the same credential, token, gap or event. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  subject: FindingSubject;
  credential?: FindingCredential;
  registry?: string;
  cluster?: string;
  reason?: RoleGapReason;
  /** Names of the registries and clusters that break with this finding. */
  impact: { registries: string[]; clusters: string[] };
  /** Filled by the sweep for subjects with owners (mail, else userPrincipalName). */
  owners?: string[];
  message: string;
  fix: string[];
  /** Present when a suppression rule or a snooze holds the finding's alerts back. It stays reported. */
  suppressed?: Suppression;
}

export interface Suppression {
  reason: string;
  /** When the suppression ends (ISO); null: until the rule is removed. */
  until: string | null;
  /** Who decided it. */
  by: string | null;
  /** What suppressed it: "rule 3" (CREDWATCH_SUPPRESSIONS) or "slack" (a snooze or acknowledgement). */
  source: string;
}

/** How one suppression rule was used by a sweep: rules that match nothing are stale. */
export interface SuppressionRuleUse {
  index: number;
  reason: string;
  until: string | null;
  matched: number;
  expired: boolean;
}

/** What analysis returns: findings, plus scopes it could not judge because of unread data. */
export interface Analysis {
  findings: Finding[];
  errors: CollectionError[];
}

export interface Coverage {
  applications: number;
  servicePrincipals: number;
  /** Subscriptions read completely. */
  subscriptions: number;
  registries: number;
  tokens: number;
  managedClusters: number;
  /** Credentials examined: app + SP credentials + token passwords. */
  credentials: number;
}

/** The report contract (../shared/report.schema.json, schemaVersion 1). */
export interface Report {
  schemaVersion: 1;
  sweptAt: string;
  tenantId: string;
  complete: boolean;
  coverage: Coverage;
  findings: Finding[];
  errors: CollectionError[];
  /** Each configured suppression rule and how many findings it held back (absent: no rules). */
  suppressions?: SuppressionRuleUse[];
  /**
   * Ids (lower case) of the subscriptions read completely. A finding in a subscription that is not
   * here was not looked at: it must not be called resolved (a subscription can leave the listing
   * without any error, e.g. when the identity's role on it is removed).
   */
  subscriptionsRead?: string[];
}
