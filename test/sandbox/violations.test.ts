import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { everyResourceType, PROD, PROD_ACR, wireClient, type WireClient } from "./helpers.js";
import { startSandbox, type Sandbox } from "./index.js";

let sandbox: Sandbox;
let client: WireClient;

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: await everyResourceType() });
  client = await wireClient(sandbox);
});

beforeEach(() => sandbox.clearLog());

afterAll(async () => {
  await client.close();
  await sandbox.close();
});

describe("secret-returning endpoints", () => {
  it("refuses ARM listCredentials, regenerateCredential and generateCredentials (any method) and records each", async () => {
    const calls: [string, string][] = [
      ["POST", `${PROD_ACR}/listCredentials?api-version=2025-11-01`],
      ["POST", `${PROD_ACR}/regenerateCredential?api-version=2025-11-01`],
      ["POST", `${PROD_ACR}/generateCredentials?api-version=2025-11-01`],
      ["GET", `${PROD_ACR}/listCredentials?api-version=2025-11-01`],
    ];
    for (const [method, path] of calls) {
      const response = await client.send(method, path, method === "POST" ? { name: "password" } : undefined);
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe("AuthorizationFailed");
    }
    expect(sandbox.violations.map((v) => [v.service, v.method, v.operation])).toEqual([
      ["arm", "POST", "listCredentials"],
      ["arm", "POST", "regenerateCredential"],
      ["arm", "POST", "generateCredentials"],
      ["arm", "GET", "listCredentials"],
    ]);
    expect(sandbox.violations[0]!.path).toBe(`${PROD_ACR}/listCredentials`);
  });

  it("records the attempt even without a valid token", async () => {
    const response = await client.send("POST", `${PROD_ACR}/listCredentials?api-version=2025-11-01`, undefined, { token: null });
    expect(response.status).toBe(403);
    expect(sandbox.violations).toHaveLength(1);
  });

  it("refuses Graph addPassword and addKey, standalone and inside $batch", async () => {
    const app = "/v1.0/applications/a1000000-0000-4000-8000-000000000001";
    expect((await client.send("POST", `${app}/addPassword`, { passwordCredential: { displayName: "x" } })).status).toBe(403);
    expect((await client.send("POST", "/v1.0/servicePrincipals/b1000000-0000-4000-8000-000000000001/addKey", {})).status).toBe(403);
    const batch = await client.send("POST", "/v1.0/$batch", {
      requests: [
        { id: "a", method: "POST", url: "/applications/a1000000-0000-4000-8000-000000000001/microsoft.graph.addPassword", body: {}, headers: { "Content-Type": "application/json" } },
        { id: "b", method: "GET", url: "/applications/a1000000-0000-4000-8000-000000000001/owners" },
      ],
    });
    expect(batch.body.responses.map((r: { status: number }) => r.status)).toEqual([403, 200]);
    expect(batch.body.responses[0].body.error.code).toBe("Authorization_RequestDenied");
    expect(sandbox.violations.map((v) => [v.service, v.operation, v.batchItemId])).toEqual([
      ["graph", "addPassword", undefined],
      ["graph", "addKey", undefined],
      ["graph", "addPassword", "a"],
    ]);
  });

  it("catches the real ACR SDK's listCredentials", async () => {
    const acr = new ContainerRegistryManagementClient({ getToken: async () => ({ token: client.token, expiresOnTimestamp: Date.now() + 3_600_000 }) }, PROD, {
      endpoint: sandbox.armEndpoint,
      tlsOptions: { ca: sandbox.caPem },
      retryOptions: { maxRetries: 0 },
    });
    await expect(acr.registries.listCredentials("rg-acr", "acrprem")).rejects.toMatchObject({ statusCode: 403, code: "AuthorizationFailed" });
    expect(sandbox.violations.map((v) => v.operation)).toEqual(["listCredentials"]);
  });
});
