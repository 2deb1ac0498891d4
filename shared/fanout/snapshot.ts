// The directory shard of a fan-out sweep, carried from the instance that read the directory to the
// one that merges: what the screen kept (DirectoryScreen.retained(): subjects that can still give a
// finding, plus the first service principal of every appId, without credentials), as compact
// records of the inventory store (collect/directory-records.ts) with the owners looked up for the
// subjects with findings; the coverage counts; the read's errors.
//
// Restored, the records go through a new screen in the same order, which gives the same finish()
// for the clusters the subscription shards found, and the same subjects with findings, as the
// screen that read the tenant.
import { z } from "zod";
import type { Application, CollectionError, Owner, Policy, ServicePrincipal } from "../model.js";
import { createDirectoryScreen, type DirectoryScreen, type ScreenCounts } from "../analyze/directory-screen.js";
import {
  ownersOf,
  parseStoredSubject,
  storedOwners,
  toApplication,
  toServicePrincipal,
  type StoredApplication,
  type StoredKey,
  type StoredPassword,
  type StoredServicePrincipal,
  type StoredSubject,
} from "../collect/directory-records.js";
import type { OwnerLookup } from "../collect/graph-owners.js";
import type { DirectoryOwners } from "../sweep.js";

export interface DirectorySnapshot {
  counts: ScreenCounts;
  /** The directory read's errors. */
  errors: CollectionError[];
  /** Errors of the owner look-ups. */
  ownerErrors: CollectionError[];
  /** Retained subjects in arrival order (applications, then service principals), with owners where found. */
  subjects: StoredSubject[];
}

export function snapshotDirectory(screen: DirectoryScreen, errors: CollectionError[], owners: OwnerLookup): DirectorySnapshot {
  const retained = screen.retained();
  const withOwners = <T extends StoredApplication | StoredServicePrincipal>(subject: T): T => {
    const found = owners.owners.get(subject.id);
    return found ? { ...subject, o: storedOwners(found) } : subject;
  };
  return {
    counts: { ...screen.counts },
    errors,
    ownerErrors: owners.errors,
    subjects: [...retained.applications.map((a) => withOwners(storedFromApplication(a))), ...retained.servicePrincipals.map((s) => withOwners(storedFromServicePrincipal(s)))],
  };
}

/** The directory of a shard that was given up: nothing read, both collections in errors. */
export function unreadDirectory(message: string): DirectorySnapshot {
  return {
    counts: { applications: 0, servicePrincipals: 0, credentials: 0 },
    errors: (["applications", "servicePrincipals"] as const).map((scope) => ({ source: "graph" as const, scope, status: null, message })),
    ownerErrors: [],
    subjects: [],
  };
}

export interface RestoredDirectory {
  screen: DirectoryScreen;
  counts: ScreenCounts;
  errors: CollectionError[];
  /** Owners as looked up by the directory shard (saved to the inventory store there). */
  owners: DirectoryOwners;
}

export function restoreDirectory(snapshot: DirectorySnapshot, policy: Policy, now: Date): RestoredDirectory {
  const screen = createDirectoryScreen(policy, now);
  const covered = new Set<string>();
  const owners = new Map<string, Owner[]>();
  for (const subject of snapshot.subjects) {
    if (subject.k === "x") continue;
    const verdict = subject.k === "a" ? screen.application(toApplication(subject)) : screen.servicePrincipal(toServicePrincipal(subject));
    if (verdict.hasFindings) covered.add(subject.id);
    if (subject.o) owners.set(subject.id, ownersOf(subject.o));
  }
  return {
    screen,
    counts: snapshot.counts,
    errors: snapshot.errors,
    owners: {
      owners: async () => ({ owners: new Map(owners), errors: [...snapshot.ownerErrors] }),
      ownersCovered: (id) => covered.has(id),
      // Saved by the directory shard, with the inventory it read.
      save: async () => {},
    },
  };
}

const count = z.number().int().min(0);
const collectionError = z.object({ source: z.enum(["graph", "arm", "config"]), scope: z.string(), status: z.number().nullable(), message: z.string() });
const snapshotSchema = z.object({
  counts: z.object({ applications: count, servicePrincipals: count, credentials: count }),
  errors: z.array(collectionError),
  ownerErrors: z.array(collectionError),
  subjects: z.array(z.unknown()),
});

/** A stored snapshot, checked; throws when it is not one. */
export function parseDirectorySnapshot(value: unknown): DirectorySnapshot {
  const parsed = snapshotSchema.parse(value);
  const subjects = parsed.subjects.map((s, i) => {
    const subject = parseStoredSubject(s);
    if (!subject) throw new Error(`directory snapshot: record ${i} is not an inventory record`);
    return subject;
  });
  return { ...parsed, subjects };
}

function credentialsOf(subject: Application | ServicePrincipal): { pc: StoredPassword[]; kc: StoredKey[] } {
  const pc: StoredPassword[] = [];
  const kc: StoredKey[] = [];
  for (const c of subject.credentials) {
    if (c.type === "secret") pc.push([c.keyId, c.displayName, c.startDateTime, c.endDateTime]);
    else kc.push([c.keyId, c.displayName, c.startDateTime, c.endDateTime, c.usage]);
  }
  return { pc, kc };
}

/** The inverse of toApplication: toApplication(storedFromApplication(a)) equals a. */
function storedFromApplication(app: Application): StoredApplication {
  return { k: "a", id: app.id, appId: app.appId, dn: app.displayName, ...credentialsOf(app) };
}

function storedFromServicePrincipal(sp: ServicePrincipal): StoredServicePrincipal {
  return { k: "s", id: sp.id, appId: sp.appId, dn: sp.displayName, spt: sp.servicePrincipalType, ae: sp.accountEnabled, ...credentialsOf(sp) };
}
