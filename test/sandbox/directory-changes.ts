// Change over time for the sandbox's directory: a change sequence that every mutation of an
// application or service principal bumps, the sequence at which each object last changed, and
// tombstones of removed objects. Graph delta queries (graph-delta.ts) read from it; tests and the
// benchmark change the tenant through Sandbox.directory (SandboxDirectory below).
//
// It also memoizes what the Graph routes derive from the fixture's directory (records, indexes by
// id), so a page of a 60,000-object collection costs a slice, not a rebuild; every mutation clears it.
import { randomBytes } from "node:crypto";
import {
  fixtureItemSchemas,
  type Fixture,
  type FixtureApplication,
  type FixtureApplicationInput,
  type FixtureKeyCredentialInput,
  type FixturePasswordCredentialInput,
  type FixtureServicePrincipal,
  type FixtureServicePrincipalInput,
} from "./fixture-schema.js";

export type DirectoryCollectionName = "applications" | "servicePrincipals";
export type RemovedReason = "changed" | "deleted";

/** How the sandbox refuses delta tokens issued before expireDeltaTokens(): Graph's two answers. */
export type ExpiredTokenAnswer = "syncStateNotFound" | "gone";

interface Tombstone {
  id: string;
  seq: number;
  reason: RemovedReason;
}

/** The mutation API a running sandbox offers (Sandbox.directory). Every call is one change. */
export interface SandboxDirectory {
  /** The current change sequence (what a delta token issued now would name). */
  readonly sequence: number;
  addApplication(app: FixtureApplicationInput): FixtureApplication;
  /** Applies `change` to the application (its credentials, its name...) and records it as changed. */
  updateApplication(id: string, change: (app: FixtureApplication) => void): void;
  /** "changed": soft-deleted (restorable from deleted items); "deleted": gone for good. */
  removeApplication(id: string, reason?: RemovedReason): void;
  addServicePrincipal(sp: FixtureServicePrincipalInput): FixtureServicePrincipal;
  updateServicePrincipal(id: string, change: (sp: FixtureServicePrincipal) => void): void;
  removeServicePrincipal(id: string, reason?: RemovedReason): void;
  addPasswordCredential(collection: DirectoryCollectionName, id: string, credential: FixturePasswordCredentialInput): void;
  addKeyCredential(collection: DirectoryCollectionName, id: string, credential: FixtureKeyCredentialInput): void;
  removeCredential(collection: DirectoryCollectionName, id: string, keyId: string): void;
  /** Every delta token issued so far stops working, answered as Graph does for an expired one or a reset. */
  expireDeltaTokens(answer?: ExpiredTokenAnswer): void;
}

export class DirectoryChanges {
  /** Tokens of another sandbox (a store left by an earlier run) are unknown here. */
  readonly instance = randomBytes(6).toString("hex");
  epoch = 0;
  expiredAnswer: ExpiredTokenAnswer = "syncStateNotFound";
  sequence = 0;
  private readonly changedAt: Record<DirectoryCollectionName, Map<string, number>> = { applications: new Map(), servicePrincipals: new Map() };
  private readonly tombstones: Record<DirectoryCollectionName, Map<string, Tombstone>> = { applications: new Map(), servicePrincipals: new Map() };
  private memos = new Map<string, unknown>();
  /** Serialized wire shapes per fixture record and $select, dropped when the record changes. */
  private readonly texts = new WeakMap<object, Map<string, string>>();

  constructor(private readonly fixture: Fixture) {}

  /** A value derived from the directory, kept until the next change. */
  memo<T>(key: string, build: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, build());
    return this.memos.get(key) as T;
  }

  /** The JSON text of a record's wire shape for one $select, built once until the record changes. */
  wireText(record: object, select: string, build: () => string): string {
    let bySelect = this.texts.get(record);
    if (!bySelect) this.texts.set(record, (bySelect = new Map()));
    let text = bySelect.get(select);
    if (text === undefined) bySelect.set(select, (text = build()));
    return text;
  }

  /** The sequence at which an object last changed (0: not since the sandbox started). */
  changedSince(collection: DirectoryCollectionName, id: string): number {
    return this.changedAt[collection].get(id.toLowerCase()) ?? 0;
  }

  /** Objects removed after `since`, up to `upTo`, oldest first. */
  removedBetween(collection: DirectoryCollectionName, since: number, upTo: number): Tombstone[] {
    return [...this.tombstones[collection].values()].filter((t) => t.seq > since && t.seq <= upTo).sort((a, b) => a.seq - b.seq);
  }

  private touch(collection: DirectoryCollectionName, id: string): void {
    this.sequence++;
    this.changedAt[collection].set(id.toLowerCase(), this.sequence);
    this.tombstones[collection].delete(id.toLowerCase());
    this.memos.clear();
  }

  private bury(collection: DirectoryCollectionName, id: string, reason: RemovedReason): void {
    this.sequence++;
    this.changedAt[collection].delete(id.toLowerCase());
    this.tombstones[collection].set(id.toLowerCase(), { id, seq: this.sequence, reason });
    this.memos.clear();
  }

  private list(collection: "applications"): FixtureApplication[];
  private list(collection: "servicePrincipals"): FixtureServicePrincipal[];
  private list(collection: DirectoryCollectionName): (FixtureApplication | FixtureServicePrincipal)[];
  private list(collection: DirectoryCollectionName): (FixtureApplication | FixtureServicePrincipal)[] {
    return (this.fixture[collection] ??= []);
  }

  private find(collection: DirectoryCollectionName, id: string): FixtureApplication | FixtureServicePrincipal {
    const found = this.list(collection).find((o) => o.id.toLowerCase() === id.toLowerCase());
    if (!found) throw new Error(`sandbox: no ${collection === "applications" ? "application" : "service principal"} ${id}`);
    return found;
  }

  private add<T extends FixtureApplication | FixtureServicePrincipal>(collection: DirectoryCollectionName, record: T): T {
    const list = this.list(collection);
    if (list.some((o) => o.id.toLowerCase() === record.id.toLowerCase())) throw new Error(`sandbox: ${record.id} exists already`);
    list.push(record);
    this.touch(collection, record.id);
    return record;
  }

  private remove(collection: DirectoryCollectionName, id: string, reason: RemovedReason): void {
    const list = this.list(collection);
    const index = list.findIndex((o) => o.id.toLowerCase() === id.toLowerCase());
    if (index < 0) throw new Error(`sandbox: no ${collection} object ${id}`);
    list.splice(index, 1);
    this.bury(collection, id, reason);
  }

  /** The API a test or the benchmark changes the tenant with. */
  api(): SandboxDirectory {
    const update = (collection: DirectoryCollectionName, id: string, change: (o: FixtureApplication | FixtureServicePrincipal) => void) => {
      const record = this.find(collection, id);
      change(record);
      this.texts.delete(record);
      this.touch(collection, id);
    };
    const self = this;
    return {
      get sequence() {
        return self.sequence;
      },
      addApplication: (app) => this.add("applications", fixtureItemSchemas.application.parse(app)),
      updateApplication: (id, change) => update("applications", id, change as (o: FixtureApplication | FixtureServicePrincipal) => void),
      removeApplication: (id, reason = "deleted") => this.remove("applications", id, reason),
      addServicePrincipal: (sp) => this.add("servicePrincipals", fixtureItemSchemas.servicePrincipal.parse(sp)),
      updateServicePrincipal: (id, change) => update("servicePrincipals", id, change as (o: FixtureApplication | FixtureServicePrincipal) => void),
      removeServicePrincipal: (id, reason = "deleted") => this.remove("servicePrincipals", id, reason),
      addPasswordCredential: (collection, id, credential) =>
        update(collection, id, (o) => (o.passwordCredentials ??= []).push(fixtureItemSchemas.passwordCredential.parse(credential))),
      addKeyCredential: (collection, id, credential) =>
        update(collection, id, (o) => (o.keyCredentials ??= []).push(fixtureItemSchemas.keyCredential.parse(credential))),
      removeCredential: (collection, id, keyId) =>
        update(collection, id, (o) => {
          const same = (c: { keyId: string }) => c.keyId.toLowerCase() !== keyId.toLowerCase();
          o.passwordCredentials = (o.passwordCredentials ?? []).filter(same);
          o.keyCredentials = (o.keyCredentials ?? []).filter(same);
        }),
      expireDeltaTokens: (answer = "syncStateNotFound") => {
        this.epoch++;
        this.expiredAnswer = answer;
      },
    };
  }
}
