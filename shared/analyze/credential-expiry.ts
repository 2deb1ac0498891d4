// Credentials in scope and how each one is classified (DESIGN §4 "Credentials in scope",
// "Classification", "Rotated").
//
// In scope: every password and key credential of every application; of every service principal
// except managed identities (Azure rotates those); every password of every registry scoped token
// that is not disabled (a token whose status ARM did not report is treated as enabled, ARM's default).
//
// Decisions on bad or odd data (a platform engineer would rather see a doubt than silence):
// - An app/SP credential with no endDateTime never expires: it is reported as credential-long-lived
//   (daysLeft null), like a token password without expiry. Graph always returns endDateTime, so this
//   also flags a collector that forgot to $select it.
// - An endDateTime (or token expiry) that is present but unparsable gives no finding and an `errors`
//   entry naming the credential, so the report says it was not judged.
// - An unparsable or missing startDateTime only means the lifetime is unknown (no long-lived by
//   lifetime); it never hides an expiry.
// - Rotated: another credential of the same type on the same subject whose end lies beyond
//   now + Tmax (or that never expires). Certificates only count as replacements for certificates of
//   the same use: a SAML signing certificate does not replace a Verify certificate, and vice versa.

import type {
  Application,
  CollectionError,
  DirectoryCredential,
  FindingSubject,
  Inventory,
  RegistryToken,
  ServicePrincipal,
} from "../model.js";
import { lower, sameText } from "../arm-ids.js";
import { arr, type NormalizedPolicy } from "./context.js";
import { DAY_MS, parseTimestamp } from "./dates.js";
import { isManagedIdentity } from "./principals.js";

export type CredentialType = "secret" | "certificate" | "tokenPassword";

export interface CredentialRecord {
  subject: FindingSubject;
  type: CredentialType;
  /** keyId, or password1/password2. */
  id: string;
  name: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  start: number | null;
  end: number | null;
  /** endDateTime was given but could not be parsed. */
  endUnparsable: boolean;
  /** Certificate with usage "Sign": authenticates nothing. */
  signing: boolean;
  /** Whether a lifetime beyond policy makes it long-lived (app/SP credentials, not tokens). */
  lifetimeRule: boolean;
  owner:
    | { kind: "application"; application: Application }
    | { kind: "servicePrincipal"; servicePrincipal: ServicePrincipal }
    | { kind: "acrToken"; token: RegistryToken };
}

export type Classification =
  | { kind: "credential-expired"; daysLeft: number; window: null }
  | { kind: "credential-expiring"; daysLeft: number; window: number }
  | { kind: "credential-long-lived"; daysLeft: number | null; window: null; lifetimeDays: number | null };

/** floor((end − now) / 1 day): negative once expired, null without an end. */
export function daysLeft(end: number | null, now: number): number | null {
  return end === null ? null : Math.floor((end - now) / DAY_MS);
}

/** The smallest threshold t with end ≤ now + t days, or null when end lies beyond Tmax. */
export function windowFor(end: number, now: number, policy: NormalizedPolicy): number | null {
  for (const t of policy.thresholds) if (end - now <= t * DAY_MS) return t;
  return null;
}

export function classify(
  record: Pick<CredentialRecord, "start" | "end" | "endUnparsable" | "lifetimeRule">,
  policy: NormalizedPolicy,
  now: number,
): Classification | null {
  const { start, end } = record;
  if (record.endUnparsable) return null;
  if (end === null) return { kind: "credential-long-lived", daysLeft: null, window: null, lifetimeDays: null };
  const left = daysLeft(end, now)!;
  if (end <= now) return { kind: "credential-expired", daysLeft: left, window: null };
  const window = windowFor(end, now, policy);
  if (window !== null) return { kind: "credential-expiring", daysLeft: left, window };
  if (record.lifetimeRule && start !== null && end - start > policy.maxLifetimeDays * DAY_MS) {
    return {
      kind: "credential-long-lived",
      daysLeft: left,
      window: null,
      lifetimeDays: Math.floor((end - start) / DAY_MS),
    };
  }
  return null;
}

function replaces(other: CredentialRecord, record: CredentialRecord): boolean {
  if (other === record || other.id === record.id || other.type !== record.type) return false;
  return other.type !== "certificate" || other.signing === record.signing;
}

/** Whether another credential of the same type on the same subject is valid beyond now + Tmax. */
export function isRotated(record: CredentialRecord, siblings: readonly CredentialRecord[], policy: NormalizedPolicy, now: number): boolean {
  const horizon = now + policy.tmax * DAY_MS;
  return siblings.some((o) => replaces(o, record) && !o.endUnparsable && (o.end === null || o.end > horizon));
}

function str(v: unknown): string | null {
  return typeof v === "string" && v.trim() !== "" ? v : null;
}

function directoryRecords(
  creds: readonly DirectoryCredential[] | null | undefined,
  subject: FindingSubject,
  owner: CredentialRecord["owner"],
): CredentialRecord[] {
  const out: CredentialRecord[] = [];
  const seen = new Set<string>();
  for (const c of arr(creds)) {
    if (!c || !str(c.keyId) || seen.has(lower(c.keyId))) continue;
    seen.add(lower(c.keyId));
    const type: CredentialType = c.type === "certificate" ? "certificate" : "secret";
    const endText = str(c.endDateTime);
    const end = parseTimestamp(endText);
    out.push({
      subject,
      type,
      id: c.keyId,
      name: str(c.displayName),
      startDateTime: str(c.startDateTime),
      endDateTime: endText,
      start: parseTimestamp(c.startDateTime),
      end,
      endUnparsable: endText !== null && end === null,
      signing: type === "certificate" && sameText(c.usage, "Sign"),
      lifetimeRule: true,
      owner,
    });
  }
  return out;
}

export function isTokenEnabled(token: Pick<RegistryToken, "status">): boolean {
  return !sameText(token.status, "disabled");
}

/** Every in-scope credential, grouped by subject (the grouping is what "rotated" looks at). */
export function credentialsBySubject(inventory: Pick<Inventory, "applications" | "servicePrincipals" | "tokens">): CredentialRecord[][] {
  const groups: CredentialRecord[][] = [];
  for (const app of arr(inventory.applications)) {
    if (!app?.id) continue;
    const subject: FindingSubject = { type: "application", id: app.id, name: app.displayName ?? app.appId ?? app.id };
    if (app.appId) subject.appId = app.appId;
    groups.push(directoryRecords(app.credentials, subject, { kind: "application", application: app }));
  }
  for (const sp of arr(inventory.servicePrincipals)) {
    if (!sp?.id || isManagedIdentity(sp)) continue;
    const subject: FindingSubject = { type: "servicePrincipal", id: sp.id, name: sp.displayName ?? sp.appId ?? sp.id };
    if (sp.appId) subject.appId = sp.appId;
    groups.push(directoryRecords(sp.credentials, subject, { kind: "servicePrincipal", servicePrincipal: sp }));
  }
  for (const token of arr(inventory.tokens)) {
    if (!token?.id || !isTokenEnabled(token)) continue;
    const subject: FindingSubject = { type: "acrToken", id: token.id, name: token.name ?? token.id };
    const records: CredentialRecord[] = [];
    const seen = new Set<string>();
    for (const p of arr(token.passwords)) {
      if (!p || !str(p.name) || seen.has(lower(p.name))) continue;
      seen.add(lower(p.name));
      const endText = str(p.expiry);
      const end = parseTimestamp(endText);
      records.push({
        subject,
        type: "tokenPassword",
        id: p.name,
        name: null,
        startDateTime: str(p.creationTime),
        endDateTime: endText,
        start: parseTimestamp(p.creationTime),
        end,
        endUnparsable: endText !== null && end === null,
        signing: false,
        lifetimeRule: false,
        owner: { kind: "acrToken", token },
      });
    }
    groups.push(records);
  }
  return groups.filter((g) => g.length > 0);
}

/** Credentials examined (the report's coverage.credentials): every in-scope credential, once. */
export function countCredentialsInScope(inventory: Pick<Inventory, "applications" | "servicePrincipals" | "tokens">): number {
  return credentialsBySubject(inventory).reduce((n, group) => n + group.length, 0);
}

/** The `errors` entry for a credential whose end date could not be read. */
export function unparsableEndError(record: CredentialRecord): CollectionError {
  const what =
    record.type === "tokenPassword"
      ? `password ${record.id} of ACR token ${record.subject.name}`
      : `${record.type === "secret" ? "client secret" : "certificate"} ${record.id} of ${record.subject.type === "application" ? "app" : "service principal"} ${record.subject.name}`;
  return {
    source: record.type === "tokenPassword" ? "arm" : "graph",
    scope: record.subject.id,
    status: null,
    message: `Could not judge ${what}: its end date ${JSON.stringify(record.endDateTime)} is not a valid timestamp`,
  };
}
