// Every response type the sandbox serves, checked against the JSON Schemas derived from Microsoft's
// specs (wire-schemas/, see its README). Small page sizes so that follow-up pages are checked too.
import { readdir, readFile } from "node:fs/promises";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DENIED, everyResourceType, managedIdentityToken, PROD, PROD_ACR, wireClient, type WireClient, type WireResponse } from "./helpers.js";
import { startSandbox, type Sandbox } from "./index.js";

const SCHEMAS = new URL("./wire-schemas/", import.meta.url);
const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);

let sandbox: Sandbox;
let client: WireClient;

beforeAll(async () => {
  for (const file of (await readdir(SCHEMAS)).filter((f) => f.endsWith(".schema.json"))) {
    ajv.addSchema(JSON.parse(await readFile(new URL(file, SCHEMAS), "utf8")));
  }
  sandbox = await startSandbox({ fixture: await everyResourceType(), graphPageSize: 2, armPageSize: 2 });
  client = await wireClient(sandbox);
});

afterAll(async () => {
  await client.close();
  await sandbox.close();
});

function conforms(schemaId: string, response: WireResponse): void {
  const validate = ajv.getSchema(schemaId);
  if (!validate) throw new Error(`no schema ${schemaId}`);
  const valid = validate(response.body);
  expect({ schemaId, errors: valid ? [] : validate.errors }).toEqual({ schemaId, errors: [] });
}

/** Every page of a list: the first response, then each nextLink (Graph or ARM spelling). */
async function allPages(path: string): Promise<WireResponse[]> {
  const pages = [await client.get(path)];
  for (let next = nextOf(pages[0]!); next; next = nextOf(pages[pages.length - 1]!)) pages.push(await client.get(next));
  return pages;
}

function nextOf(page: WireResponse): string | undefined {
  return page.body?.["@odata.nextLink"] ?? page.body?.nextLink ?? undefined;
}

const ARM_LISTS: [string, string, number][] = [
  ["subscription-list.schema.json", "/subscriptions?api-version=2022-12-01", 2],
  ["registry-list.schema.json", `/subscriptions/${PROD}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01`, 2],
  ["registry-list.schema.json", `/subscriptions/${PROD}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01`, 2],
  ["token-list.schema.json", `${PROD_ACR}/tokens?api-version=2025-11-01`, 2],
  ["scope-map-list.schema.json", `${PROD_ACR}/scopeMaps?api-version=2025-11-01`, 4],
  ["role-assignment-list.schema.json", `/subscriptions/${PROD}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`, 6],
  ["role-assignment-list.schema.json", `${PROD_ACR}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope()`, 6],
  ["managed-cluster-list.schema.json", `/subscriptions/${PROD}/providers/Microsoft.ContainerService/managedClusters?api-version=2026-04-01`, 3],
  [
    "activity-log-events.schema.json",
    `/subscriptions/${PROD}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=eventTimestamp ge '2026-02-01T00:00:00Z' and eventTimestamp le '2026-03-01T12:00:00Z' and resourceProvider eq 'Microsoft.ContainerRegistry'`,
    3,
  ],
];

describe("wire conformance", () => {
  it("the schemas catch what the SDKs would trip over (a registry without sku, a secret on a read)", async () => {
    const registries = await client.get(`/subscriptions/${PROD}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01`);
    const { sku: _sku, ...withoutSku } = registries.body.value[0];
    expect(ajv.getSchema("registry-list.schema.json")!({ value: [withoutSku] })).toBe(false);
    const apps = await client.get("/v1.0/applications");
    apps.body.value[0].passwordCredentials[0].secretText = "hunter2";
    expect(ajv.getSchema("graph-application-collection.schema.json")!(apps.body)).toBe(false);
  });

  it.each(ARM_LISTS)("%s: %s", async (schemaId, path, expectedItems) => {
    const pages = await allPages(path);
    pages.forEach((page) => expect(page.status).toBe(200));
    pages.forEach((page) => conforms(schemaId, page));
    expect(pages.flatMap((p) => p.body.value)).toHaveLength(expectedItems);
  });

  it("public IP addresses (each listed item and a GET) conform to public-ip-address.schema.json", async () => {
    const pages = await allPages(`/subscriptions/${PROD}/providers/Microsoft.Network/publicIPAddresses?api-version=2025-05-01`);
    const items = pages.flatMap((p) => p.body.value);
    expect(items).toHaveLength(2);
    for (const item of items) conforms("public-ip-address.schema.json", { ...pages[0]!, body: item });
    const single = await client.get(`${items[0].id}?api-version=2025-05-01`);
    expect(single.status).toBe(200);
    conforms("public-ip-address.schema.json", single);
  });

  it.each([
    ["graph-application-collection.schema.json", "/v1.0/applications", 3],
    ["graph-application-collection.schema.json", "/v1.0/applications?$select=id,appId,passwordCredentials,keyCredentials&$top=1", 3],
    ["graph-service-principal-collection.schema.json", "/v1.0/servicePrincipals", 3],
    ["graph-directory-object-collection.schema.json", "/v1.0/applications/a1000000-0000-4000-8000-000000000001/owners", 2],
    ["graph-directory-object-collection.schema.json", "/v1.0/servicePrincipals/b1000000-0000-4000-8000-000000000001/owners?$select=id,mail", 1],
  ] as const)("%s: %s", async (schemaId, path, expectedItems) => {
    const pages = await allPages(path);
    pages.forEach((page) => expect(page.status).toBe(200));
    pages.forEach((page) => conforms(schemaId, page));
    expect(pages.flatMap((p) => p.body.value)).toHaveLength(expectedItems);
  });

  it("Graph $batch items carry conforming bodies", async () => {
    const batch = await client.send("POST", "/v1.0/$batch", {
      requests: [
        { id: "owners", method: "GET", url: "/applications/a1000000-0000-4000-8000-000000000001/owners" },
        { id: "missing", method: "GET", url: "/servicePrincipals/b1000000-0000-4000-8000-0000000000ff/owners" },
      ],
    });
    expect(batch.status).toBe(200);
    const [owners, missing] = batch.body.responses;
    conforms("graph-directory-object-collection.schema.json", { ...batch, body: owners.body });
    conforms("graph-error.schema.json", { ...batch, body: missing.body });
  });

  it("Graph errors conform to graph-error.schema.json", async () => {
    const otherAudience = await managedIdentityToken(sandbox, "https://graph.microsoft.com");
    const responses = [
      await client.get("/v1.0/applications", { token: null }),
      await client.get("/v1.0/applications", { token: otherAudience }),
      await client.get("/v1.0/applications?$top=1000"),
      await client.get("/v1.0/applications?$select=nope"),
      await client.get("/v1.0/applications/a1000000-0000-4000-8000-0000000000ff/owners"),
      await client.get("/v1.0/users"),
      await client.send("POST", "/v1.0/applications/a1000000-0000-4000-8000-000000000001/addPassword", {}),
    ];
    expect(responses.map((r) => r.status)).toEqual([401, 401, 400, 400, 404, 404, 403]);
    responses.forEach((r) => conforms("graph-error.schema.json", r));
  });

  it("ARM errors conform to arm-error-response.schema.json", async () => {
    const responses = [
      await client.get("/subscriptions?api-version=2022-12-01", { token: null }),
      await client.get("/subscriptions?api-version=2022-12-01", { token: "not-a-jwt" }),
      await client.get("/subscriptions"),
      await client.get(`/subscriptions/${DENIED}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01`),
      await client.get(`/subscriptions/${PROD}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/nope/tokens?api-version=2025-11-01`),
      await client.get(`/subscriptions/${PROD}/providers/Microsoft.Storage/storageAccounts?api-version=2023-01-01`),
      await client.send("POST", `${PROD_ACR}/listCredentials?api-version=2025-11-01`),
      // The Activity Log answers {code, message} without the "error" wrapper, which the schema also admits.
      await client.get(`/subscriptions/${PROD}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01`),
    ];
    expect(responses.map((r) => r.status)).toEqual([401, 401, 400, 403, 404, 404, 403, 400]);
    responses.forEach((r) => conforms("arm-error-response.schema.json", r));
  });
});
