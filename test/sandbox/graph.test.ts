import { afterEach, describe, expect, it } from "vitest";
import { everyResourceType, tenantWithApplications, wireClient, type WireClient } from "./helpers.js";
import { startSandbox, type Sandbox, type SandboxOptions } from "./index.js";

const APP = "a1000000-0000-4000-8000-000000000001";
const SP = "b1000000-0000-4000-8000-000000000001";

let sandbox: Sandbox | undefined;
let client: WireClient | undefined;

async function start(options: SandboxOptions): Promise<WireClient> {
  sandbox = await startSandbox(options);
  client = await wireClient(sandbox);
  return client;
}

afterEach(async () => {
  await client?.close();
  await sandbox?.close();
  client = undefined;
  sandbox = undefined;
});

describe("Graph collections", () => {
  it("pages 2,500 applications with $top=999 in three pages linked by absolute nextLinks that keep the query", async () => {
    const graph = await start({ fixture: tenantWithApplications(2500) });
    const sizes: number[] = [];
    const links: string[] = [];
    let page = await graph.get("/v1.0/applications?$top=999&$select=id,appId,passwordCredentials");
    for (;;) {
      expect(page.status).toBe(200);
      sizes.push(page.body.value.length);
      const next = page.body["@odata.nextLink"];
      if (!next) break;
      links.push(next);
      page = await graph.get(next);
    }
    expect(sizes).toEqual([999, 999, 502]);
    for (const link of links) {
      expect(link).toMatch(new RegExp(`^${sandbox!.url}/v1\\.0/applications\\?\\$top=999&\\$select=id,appId,passwordCredentials&\\$skiptoken=[\\w-]+$`));
    }
    expect(page.body["@odata.context"]).toBe(`${sandbox!.url}/v1.0/$metadata#applications(id,appId,passwordCredentials)`);
    const last = page.body.value.at(-1);
    expect(Object.keys(last)).toEqual(["id", "appId", "passwordCredentials"]);
    expect(last.appId).toBe("a2000000-0000-4000-8000-0000000009c3");
  });

  it("uses Graph's default page size of 100 without $top (or the configured one)", async () => {
    const graph = await start({ fixture: tenantWithApplications(250) });
    const first = await graph.get("/v1.0/applications");
    expect(first.body.value).toHaveLength(100);
    expect(first.body["@odata.nextLink"]).toMatch(/\/v1\.0\/applications\?\$skiptoken=/);
    await client!.close();
    await sandbox!.close();
    const small = await start({ fixture: tenantWithApplications(5), graphPageSize: 2 });
    expect((await small.get("/v1.0/applications")).body.value).toHaveLength(2);
  });

  it("rejects $top outside 1..999 like Graph", async () => {
    const graph = await start({ fixture: await everyResourceType() });
    const tooBig = await graph.get("/v1.0/applications?$top=1000");
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error).toMatchObject({
      code: "Request_UnsupportedQuery",
      message: "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
      innerError: { "request-id": expect.any(String), "client-request-id": expect.any(String), date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) },
    });
    expect((await graph.get("/v1.0/servicePrincipals?$top=0")).status).toBe(400);
    expect((await graph.get("/v1.0/servicePrincipals?$top=999")).status).toBe(200);
  });

  it("honours $select (only the selected properties) and rejects unknown properties", async () => {
    const graph = await start({ fixture: await everyResourceType() });
    const page = await graph.get("/v1.0/servicePrincipals?$select=id,servicePrincipalType,keyCredentials");
    expect(page.body.value.map((sp: object) => Object.keys(sp))).toEqual(Array(3).fill(["id", "servicePrincipalType", "keyCredentials"]));
    const unknown = await graph.get("/v1.0/applications?$select=id,secrets");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "Request_BadRequest", message: "Could not find a property named 'secrets' on type 'microsoft.graph.application'." });
  });

  it("serves credentials with their full Graph shape and no secret values", async () => {
    const graph = await start({ fixture: await everyResourceType() });
    const apps = (await graph.get("/v1.0/applications")).body.value;
    expect(apps[0].passwordCredentials).toEqual([
      {
        customKeyIdentifier: null,
        displayName: "aks-sp-secret",
        endDateTime: "2026-03-06T12:00:00Z",
        hint: "Ab1",
        keyId: "c1000000-0000-4000-8000-000000000001",
        secretText: null,
        startDateTime: "2025-03-01T12:00:00Z",
      },
    ]);
    expect(apps[1].keyCredentials).toEqual([
      {
        customKeyIdentifier: "QUJDREVGMDEyMzQ1Njc4OQ==",
        displayName: "CN=saml-app",
        endDateTime: "2026-09-01T00:00:00Z",
        key: null,
        keyId: "c1000000-0000-4000-8000-000000000002",
        startDateTime: "2025-09-01T00:00:00Z",
        type: "AsymmetricX509Cert",
        usage: "Sign",
      },
    ]);
    expect(apps[2]).toMatchObject({ displayName: "bare-app", passwordCredentials: [], keyCredentials: [], createdDateTime: null });
    const sps = (await graph.get("/v1.0/servicePrincipals")).body.value;
    expect(sps.map((s: { servicePrincipalType: string; accountEnabled: boolean }) => [s.servicePrincipalType, s.accountEnabled])).toEqual([
      ["Application", true],
      ["Application", false],
      ["ManagedIdentity", true],
    ]);
    expect(sps[0].passwordCredentials[0]).toMatchObject({ keyId: "c1000000-0000-4000-8000-000000000003", startDateTime: null, secretText: null });
  });

  it("filters by appId eq and refuses filters it does not support", async () => {
    const graph = await start({ fixture: await everyResourceType() });
    const page = await graph.get("/v1.0/servicePrincipals?$filter=appId eq 'A2000000-0000-4000-8000-000000000002'");
    expect(page.body.value.map((sp: { id: string }) => sp.id)).toEqual(["b1000000-0000-4000-8000-000000000002"]);
    const none = await graph.get("/v1.0/applications?$filter=appId eq '00000000-0000-0000-0000-000000000000'");
    expect(none.body.value).toEqual([]);
    const unsupported = await graph.get("/v1.0/applications?$filter=startswith(displayName,'aks')");
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error.code).toBe("Request_UnsupportedQuery");
  });
});

describe("Graph owners", () => {
  it("lists the owners of an application and of a service principal as typed directoryObjects", async () => {
    const graph = await start({ fixture: await everyResourceType() });
    const owners = await graph.get(`/v1.0/applications/${APP}/owners`);
    expect(owners.body["@odata.context"]).toBe(`${sandbox!.url}/v1.0/$metadata#directoryObjects`);
    expect(owners.body.value).toEqual([
      expect.objectContaining({ "@odata.type": "#microsoft.graph.user", id: "0a000000-0000-4000-8000-00000000a11c", mail: "alice@contoso.example", userPrincipalName: "alice@contoso.example" }),
      expect.objectContaining({ "@odata.type": "#microsoft.graph.user", displayName: "Bob", mail: null, userPrincipalName: "bob@contoso.example" }),
    ]);
    const selected = await graph.get(`/v1.0/servicePrincipals/${SP}/owners?$select=mail,userPrincipalName`);
    expect(selected.body.value).toEqual([{ "@odata.type": "#microsoft.graph.user", mail: "alice@contoso.example", userPrincipalName: "alice@contoso.example" }]);
    expect((await graph.get(`/v1.0/applications/${APP}/owners?$top=1`)).body["@odata.nextLink"]).toContain(`/v1.0/applications/${APP}/owners?$top=1&$skiptoken=`);
  });

  it("answers 404 Request_ResourceNotFound for an unknown object id (an appId is not an object id)", async () => {
    const graph = await start({ fixture: await everyResourceType() });
    const response = await graph.get("/v1.0/applications/a2000000-0000-4000-8000-000000000001/owners");
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({
      code: "Request_ResourceNotFound",
      message: "Resource 'a2000000-0000-4000-8000-000000000001' does not exist or one of its queried reference-property objects are not present.",
    });
  });
});

describe("Graph $batch", () => {
  const ownersOf = (ids: string[]) => ids.map((id, i) => ({ id: String(i + 1), method: "GET", url: `/applications/${id}/owners?$select=id,mail` }));

  it("routes each item like a standalone request and answers {responses:[{id,status,headers,body}]}", async () => {
    const graph = await start({ fixture: await everyResourceType() });
    const response = await graph.send("POST", "/v1.0/$batch", { requests: ownersOf([APP, "a1000000-0000-4000-8000-000000000003", "nope"]) });
    expect(response.status).toBe(200);
    expect(response.body.responses.map((r: { id: string; status: number }) => [r.id, r.status])).toEqual([
      ["1", 200],
      ["2", 200],
      ["3", 404],
    ]);
    expect(response.body.responses[0].body.value).toHaveLength(2);
    expect(response.body.responses[1].headers).toEqual({ "Content-Type": "application/json" });
    const logged = sandbox!.requests.filter((r) => r.service === "graph").map((r) => [r.method, r.path, r.status, r.batchItemId]);
    expect(logged).toEqual([
      ["GET", `/v1.0/applications/${APP}/owners`, 200, "1"],
      ["GET", "/v1.0/applications/a1000000-0000-4000-8000-000000000003/owners", 200, "2"],
      ["GET", "/v1.0/applications/nope/owners", 404, "3"],
      ["POST", "/v1.0/$batch", 200, undefined],
    ]);
  });

  it("throttles one item with 429 + Retry-After while the others succeed", async () => {
    const graph = await start({ fixture: await everyResourceType() });
    sandbox!.addFault({ path: `^/v1\\.0/applications/${APP}/owners$`, status: 429, retryAfter: 7, times: 1 });
    const first = await graph.send("POST", "/v1.0/$batch", { requests: ownersOf([APP, "a1000000-0000-4000-8000-000000000002"]) });
    expect(first.body.responses[0]).toMatchObject({ id: "1", status: 429, headers: { "Retry-After": "7" }, body: { error: { code: "TooManyRequests" } } });
    expect(first.body.responses[1]).toMatchObject({ id: "2", status: 200 });
    const retried = await graph.send("POST", "/v1.0/$batch", { requests: ownersOf([APP]) });
    expect(retried.body.responses[0].status).toBe(200);
  });

  it("rejects more than 20 requests, duplicate ids and absolute URLs with 400", async () => {
    const graph = await start({ fixture: await everyResourceType() });
    const tooMany = await graph.send("POST", "/v1.0/$batch", { requests: ownersOf(Array(21).fill(APP)) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: "BadRequest", message: "The batch contains 21 requests; the limit is 20." });
    expect((await graph.send("POST", "/v1.0/$batch", { requests: ownersOf(Array(20).fill(APP)) })).status).toBe(200);
    const duplicate = await graph.send("POST", "/v1.0/$batch", { requests: [...ownersOf([APP]), ...ownersOf([APP])] });
    expect(duplicate.status).toBe(400);
    const absolute = await graph.send("POST", "/v1.0/$batch", { requests: [{ id: "1", method: "GET", url: `${sandbox!.url}/v1.0/applications` }] });
    expect(absolute.status).toBe(400);
    expect((await graph.get("/v1.0/$batch")).status).toBe(405);
  });
});
