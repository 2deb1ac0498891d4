// Graph delta queries as the sandbox serves them (the shapes of application-delta.md,
// serviceprincipal-delta.md and delta-query-overview.md), and how credwatch applies a change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeDelta, readDeltaItem, storedApplication, type StoredApplication } from "../../shared/collect/directory-records.js";
import { wireClient, type WireClient } from "../sandbox/helpers.js";
import { parseFixture, startSandbox, type Sandbox } from "../sandbox/index.js";
import { application, daysFromNow, guid, servicePrincipalOf, tenant } from "../support/tenants.js";

const apps = Array.from({ length: 5 }, (_, i) => application({ name: `app-${i}`, secretEndsInDays: 100 + i }));
const SELECT = "$select=id,appId,displayName,passwordCredentials,keyCredentials";

describe("the sandbox's delta queries", () => {
  let sandbox: Sandbox;
  let client: WireClient;

  beforeAll(async () => {
    sandbox = await startSandbox({
      fixture: parseFixture(tenant({ applications: apps, servicePrincipals: apps.map((a) => servicePrincipalOf(a)) }), "delta scenario"),
      graphPageSize: 2,
    });
    client = await wireClient(sandbox);
  });
  afterAll(async () => {
    await client?.close();
    await sandbox?.close();
  });

  async function round(first: string) {
    const pages = [await client.get(first)];
    while (pages.at(-1)!.body["@odata.nextLink"]) pages.push(await client.get(pages.at(-1)!.body["@odata.nextLink"]));
    return pages;
  }

  it("pages an initial round with nextLinks that carry only a token, ending with a deltaLink; objects have the selected properties", async () => {
    const pages = await round(`/v1.0/applications/delta?${SELECT}`);
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200]);
    expect(pages.map((p) => p.body.value.length)).toEqual([2, 2, 1]);
    for (const page of pages.slice(0, -1)) expect(page.body["@odata.nextLink"]).toMatch(/\/v1\.0\/applications\/delta\?\$skiptoken=[\w-]+$/);
    expect(pages.at(-1)!.body["@odata.deltaLink"]).toMatch(/\/v1\.0\/applications\/delta\?\$deltatoken=[\w-]+$/);
    expect(pages[0]!.body["@odata.context"]).toBe(`${sandbox.url}/v1.0/$metadata#applications`);
    expect(Object.keys(pages[0]!.body.value[0]).sort()).toEqual(["appId", "displayName", "id", "keyCredentials", "passwordCredentials"]);
  });

  it("answers $deltatoken=latest with a deltaLink and no objects, and the link's round with the changes since", async () => {
    const latest = await client.get(`/v1.0/applications/delta?${SELECT}&$deltatoken=latest`);
    expect(latest.body.value).toEqual([]);
    const link = latest.body["@odata.deltaLink"] as string;

    const quiet = await client.get(link);
    expect(quiet.body.value).toEqual([]);
    expect(quiet.body["@odata.deltaLink"]).toBeDefined();

    sandbox.directory.addPasswordCredential("applications", apps[1]!.id, { keyId: guid("key/new"), endDateTime: daysFromNow(3) });
    sandbox.directory.removeApplication(apps[2]!.id, "changed");
    sandbox.directory.removeApplication(apps[3]!.id, "deleted");
    const changes = await round(link);
    const items = changes.flatMap((p) => p.body.value);
    expect(items).toEqual([
      expect.objectContaining({ id: apps[1]!.id, displayName: "app-1", passwordCredentials: expect.arrayContaining([expect.objectContaining({ keyId: guid("key/new") })]) }),
      { id: apps[2]!.id, "@removed": { reason: "changed" } },
      { id: apps[3]!.id, "@removed": { reason: "deleted" } },
    ]);
    // The next round starts after these changes.
    const after = await client.get(changes.at(-1)!.body["@odata.deltaLink"]);
    expect(after.body.value).toEqual([]);
  });

  it("refuses $top, and $select beside a skip token", async () => {
    expect((await client.get(`/v1.0/applications/delta?$top=999`)).status).toBe(400);
    const first = await client.get(`/v1.0/applications/delta?${SELECT}`);
    expect((await client.get(`${first.body["@odata.nextLink"]}&$select=id`)).status).toBe(400);
  });

  it("refuses a link issued before the tokens expired: 400 syncStateNotFound, or 410 Gone with a Location to start again", async () => {
    const link = (await client.get(`/v1.0/servicePrincipals/delta?$select=id,appId&$deltatoken=latest`)).body["@odata.deltaLink"] as string;
    sandbox.directory.expireDeltaTokens();
    const expired = await client.get(link);
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe("syncStateNotFound");

    const fresh = (await client.get(`/v1.0/servicePrincipals/delta?$select=id,appId&$deltatoken=latest`)).body["@odata.deltaLink"] as string;
    expect((await client.get(fresh)).status).toBe(200);
    sandbox.directory.expireDeltaTokens("gone");
    const gone = await client.get(fresh);
    expect(gone.status).toBe(410);
    expect(gone.headers.get("location")).toBe(`${sandbox.url}/v1.0/servicePrincipals/delta?$select=id,appId`);
  });
});

describe("applying a delta item", () => {
  const stored: StoredApplication = storedApplication({
    id: "a1",
    appId: "app-1",
    displayName: "payments",
    passwordCredentials: [{ keyId: "k1", displayName: "old", startDateTime: "2026-01-01T00:00:00Z", endDateTime: "2026-12-01T00:00:00Z" }],
    keyCredentials: [],
  });

  it("takes the properties a change carries and keeps the others", () => {
    const item = readDeltaItem("applications", { id: "a1", passwordCredentials: [] });
    expect(item.kind).toBe("changed");
    const merged = mergeDelta("applications", { ...stored, o: [["u", null, "u@example.com", null]] }, item.kind === "changed" ? (item.change as { id: string }) : { id: "" });
    expect(merged).toEqual({ ...stored, pc: [] });
  });

  it("reads removals and odd items, and wants a new object complete", () => {
    expect(readDeltaItem("servicePrincipals", { id: "s1", "@removed": { reason: "deleted" } })).toEqual({ kind: "removed", id: "s1", reason: "deleted" });
    expect(readDeltaItem("applications", { id: "a2", passwordCredentials: "nope" })).toMatchObject({ kind: "unreadable", id: "a2" });
    expect(mergeDelta("applications", undefined, { id: "a3", displayName: "only a name" })).toMatchObject({ k: "x", c: "a", id: "a3" });
  });
});
