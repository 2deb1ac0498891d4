// Compact records of applications and service principals: the selected Graph properties and
// nothing else, in a form small enough to keep for a whole tenant in the inventory store. Every
// directory subject — listed, read from a delta, or read back from the store — becomes a domain
// record through these functions, so a full sweep and an incremental one see the same records.
//
// A delta round returns, for an updated object, its id and *at least* the changed properties
// (learn.microsoft.com/graph/delta-query-overview, "Resource representation in the delta query
// response"); mergeDelta applies those that are present over the stored record.
import { z } from "zod";
import type { Application, DirectoryCredential, Owner, ServicePrincipal } from "../model.js";
import { applicationSchema, keyCredentialSchema, passwordCredentialSchema, servicePrincipalSchema } from "./graph-schemas.js";

export type DirectoryCollection = "applications" | "servicePrincipals";

/** keyId, displayName, startDateTime, endDateTime. */
export type StoredPassword = [string, string | null, string | null, string | null];
/** keyId, displayName, startDateTime, endDateTime, usage. */
export type StoredKey = [string, string | null, string | null, string | null, string | null];
/** id, displayName, mail, userPrincipalName. */
export type StoredOwner = [string, string | null, string | null, string | null];

export interface StoredApplication {
  k: "a";
  id: string;
  appId: string;
  /** displayName as Graph gave it (null: none). */
  dn: string | null;
  pc: StoredPassword[];
  kc: StoredKey[];
  /** Owners, kept for subjects with findings (absent: not looked up). */
  o?: StoredOwner[];
}

export interface StoredServicePrincipal {
  k: "s";
  id: string;
  appId: string;
  dn: string | null;
  /** servicePrincipalType. */
  spt: string | null;
  /** accountEnabled. */
  ae: boolean | null;
  pc: StoredPassword[];
  kc: StoredKey[];
  o?: StoredOwner[];
}

/** An object Graph returned in a shape credwatch cannot read: reported on every sweep until it changes. */
export interface StoredUnreadable {
  k: "x";
  /** "a" application, "s" service principal. */
  c: "a" | "s";
  id: string;
  /** The error message. */
  m: string;
}

export type StoredSubject = StoredApplication | StoredServicePrincipal | StoredUnreadable;

type WireApplication = z.infer<typeof applicationSchema>;
type WireServicePrincipal = z.infer<typeof servicePrincipalSchema>;
type WirePasswords = z.infer<typeof passwordCredentialSchema>[] | null | undefined;
type WireKeys = z.infer<typeof keyCredentialSchema>[] | null | undefined;

export const collectionLetter = (collection: DirectoryCollection): "a" | "s" => (collection === "applications" ? "a" : "s");
export const collectionOf = (letter: "a" | "s"): DirectoryCollection => (letter === "a" ? "applications" : "servicePrincipals");

/** Identity of a subject in the store: its collection and object id. */
export function subjectKey(subject: StoredSubject): string {
  return keyOf(subject.k === "x" ? subject.c : subject.k, subject.id);
}

export function keyOf(letter: "a" | "s", id: string): string {
  return `${letter}:${id.toLowerCase()}`;
}

const passwords = (list: WirePasswords): StoredPassword[] =>
  (list ?? []).map((p) => [p.keyId, p.displayName ?? null, p.startDateTime ?? null, p.endDateTime ?? null]);
const keys = (list: WireKeys): StoredKey[] =>
  (list ?? []).map((k) => [k.keyId, k.displayName ?? null, k.startDateTime ?? null, k.endDateTime ?? null, k.usage ?? null]);

export function storedApplication(app: WireApplication): StoredApplication {
  return { k: "a", id: app.id, appId: app.appId, dn: app.displayName ?? null, pc: passwords(app.passwordCredentials), kc: keys(app.keyCredentials) };
}

export function storedServicePrincipal(sp: WireServicePrincipal): StoredServicePrincipal {
  return {
    k: "s",
    id: sp.id,
    appId: sp.appId,
    dn: sp.displayName ?? null,
    spt: sp.servicePrincipalType ?? null,
    ae: sp.accountEnabled ?? null,
    pc: passwords(sp.passwordCredentials),
    kc: keys(sp.keyCredentials),
  };
}

function credentials(pc: StoredPassword[], kc: StoredKey[]): DirectoryCredential[] {
  return [
    ...pc.map(([keyId, displayName, startDateTime, endDateTime]) => ({ type: "secret" as const, keyId, displayName, startDateTime, endDateTime, usage: null })),
    ...kc.map(([keyId, displayName, startDateTime, endDateTime, usage]) => ({ type: "certificate" as const, keyId, displayName, startDateTime, endDateTime, usage })),
  ];
}

export function toApplication(s: StoredApplication): Application {
  return { id: s.id, appId: s.appId, displayName: s.dn ?? s.appId, credentials: credentials(s.pc, s.kc) };
}

export function toServicePrincipal(s: StoredServicePrincipal): ServicePrincipal {
  return {
    id: s.id,
    appId: s.appId,
    displayName: s.dn ?? s.appId,
    servicePrincipalType: s.spt,
    accountEnabled: s.ae,
    credentials: credentials(s.pc, s.kc),
  };
}

export function storedOwners(owners: readonly Owner[]): StoredOwner[] {
  return owners.map((o) => [o.id, o.displayName, o.mail, o.userPrincipalName]);
}

export function ownersOf(stored: readonly StoredOwner[]): Owner[] {
  return stored.map(([id, displayName, mail, userPrincipalName]) => ({ id, displayName, mail, userPrincipalName }));
}

/** The same record without its owners (they are looked up again after a change). */
export function withoutOwners<T extends StoredSubject>(subject: T): T {
  if (subject.k === "x" || subject.o === undefined) return subject;
  const { o: _owners, ...rest } = subject;
  return rest as T;
}

// --- delta items -------------------------------------------------------------------------------

const removedSchema = z.object({ id: z.string(), "@removed": z.object({ reason: z.string().optional() }).passthrough() });

/** A changed object: the id and whichever selected properties Graph included. */
const applicationChangeSchema = applicationSchema.partial().extend({ id: z.string() });
const servicePrincipalChangeSchema = servicePrincipalSchema.partial().extend({ id: z.string() });

export type DeltaItem =
  | { kind: "removed"; id: string; reason: string | null }
  | { kind: "changed"; id: string; change: Partial<WireApplication> | Partial<WireServicePrincipal> }
  | { kind: "unreadable"; id: string; message: string };

export function readDeltaItem(collection: DirectoryCollection, value: unknown): DeltaItem {
  const removed = removedSchema.safeParse(value);
  if (removed.success) return { kind: "removed", id: removed.data.id, reason: removed.data["@removed"].reason ?? null };
  const schema = collection === "applications" ? applicationChangeSchema : servicePrincipalChangeSchema;
  const parsed = schema.safeParse(value);
  if (parsed.success) return { kind: "changed", id: parsed.data.id, change: parsed.data };
  const id = typeof (value as { id?: unknown })?.id === "string" ? (value as { id: string }).id : "(no id)";
  return { kind: "unreadable", id, message: `unreadable item: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` };
}

/**
 * The record after a change: the change's properties over the stored ones. An object credwatch has
 * not stored must come complete (Graph sends new objects in full); otherwise it is unreadable.
 */
export function mergeDelta(
  collection: DirectoryCollection,
  stored: StoredSubject | undefined,
  change: Partial<WireApplication> & Partial<WireServicePrincipal> & { id: string },
): StoredSubject {
  const letter = collectionLetter(collection);
  const base = stored && stored.k === letter ? withoutOwners(stored) : undefined;
  if (!base) {
    const schema = collection === "applications" ? applicationSchema : servicePrincipalSchema;
    const full = schema.safeParse(change);
    if (!full.success) {
      return { k: "x", c: letter, id: change.id, m: `unreadable item: ${full.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` };
    }
    return collection === "applications" ? storedApplication(full.data as WireApplication) : storedServicePrincipal(full.data as WireServicePrincipal);
  }
  const merged = { ...base } as StoredApplication | StoredServicePrincipal;
  if (change.appId !== undefined) merged.appId = change.appId;
  if (change.displayName !== undefined) merged.dn = change.displayName ?? null;
  if (change.passwordCredentials !== undefined) merged.pc = passwords(change.passwordCredentials);
  if (change.keyCredentials !== undefined) merged.kc = keys(change.keyCredentials);
  if (merged.k === "s") {
    if (change.servicePrincipalType !== undefined) merged.spt = change.servicePrincipalType ?? null;
    if (change.accountEnabled !== undefined) merged.ae = change.accountEnabled ?? null;
  }
  return merged;
}

// --- reading records back ------------------------------------------------------------------------

const text = z.string().nullable();
const owner = z.tuple([z.string(), text, text, text]);
const password = z.tuple([z.string(), text, text, text]);
const key = z.tuple([z.string(), text, text, text, text]);
const storedSubjectSchema = z.discriminatedUnion("k", [
  z.object({ k: z.literal("a"), id: z.string(), appId: z.string(), dn: text, pc: z.array(password), kc: z.array(key), o: z.array(owner).optional() }),
  z.object({
    k: z.literal("s"),
    id: z.string(),
    appId: z.string(),
    dn: text,
    spt: text,
    ae: z.boolean().nullable(),
    pc: z.array(password),
    kc: z.array(key),
    o: z.array(owner).optional(),
  }),
  z.object({ k: z.literal("x"), c: z.enum(["a", "s"]), id: z.string(), m: z.string() }),
]);

/** A stored record, checked; null when it is not one (the store is then corrupt). */
export function parseStoredSubject(value: unknown): StoredSubject | null {
  const parsed = storedSubjectSchema.safeParse(value);
  return parsed.success ? (parsed.data as StoredSubject) : null;
}
