import { afterEach, describe, expect, it } from "vitest";
import { everyResourceType, PROD, wireClient, type WireClient } from "./helpers.js";
import { parseFixture, startSandbox, type Sandbox, type SandboxOptions } from "./index.js";

const REGISTRIES = `/subscriptions/${PROD}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01`;

let sandbox: Sandbox | undefined;
let client: WireClient | undefined;

async function start(options: Partial<SandboxOptions> = {}): Promise<WireClient> {
  sandbox = await startSandbox({ fixture: await everyResourceType(), ...options });
  client = await wireClient(sandbox);
  return client;
}

afterEach(async () => {
  await client?.close();
  await sandbox?.close();
  client = undefined;
  sandbox = undefined;
});

describe("faults", () => {
  it("answers 429 with Retry-After for `times` matching requests, then the real response", async () => {
    const api = await start();
    sandbox!.addFault({ path: "/Microsoft\\.ContainerRegistry/registries$", status: 429, retryAfter: 3, times: 2 });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await api.get(REGISTRIES));
    expect(answers.map((a) => [a.status, a.headers.get("retry-after")])).toEqual([
      [429, "3"],
      [429, "3"],
      [200, null],
    ]);
    expect(answers[0]!.body).toEqual({ error: { code: "TooManyRequests", message: expect.any(String) } });
    expect(sandbox!.requests.filter((r) => r.service === "arm").map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it("sends each service's own error shape for a status without a body (503)", async () => {
    const api = await start();
    sandbox!.addFault({ path: "^/v1\\.0/servicePrincipals$", status: 503 });
    sandbox!.addFault({ path: "/managedClusters$", status: 503 });
    const graph = await api.get("/v1.0/servicePrincipals");
    expect(graph.status).toBe(503);
    expect(graph.body.error).toMatchObject({ code: "serviceNotAvailable", innerError: { "request-id": expect.any(String) } });
    const arm = await api.get(`/subscriptions/${PROD}/providers/Microsoft.ContainerService/managedClusters?api-version=2026-04-01`);
    expect(arm.status).toBe(503);
    expect(arm.body).toEqual({ error: { code: "ServiceUnavailable", message: expect.any(String) } });
    // Without `times`, a fault never wears off.
    expect((await api.get("/v1.0/servicePrincipals")).status).toBe(503);
  });

  it("sends a raw body verbatim, such as malformed JSON with a 200", async () => {
    const api = await start();
    sandbox!.addFault({ path: "^/v1\\.0/applications$", body: '{"value": [', times: 1 });
    const broken = await api.get("/v1.0/applications");
    expect([broken.status, broken.text, broken.body]).toEqual([200, '{"value": [', undefined]);
    expect((await api.get("/v1.0/applications")).body.value).toHaveLength(3);
  });

  it("matches the method (GET by default) and the path without its query", async () => {
    const api = await start();
    sandbox!.addFault({ method: "POST", path: "^/v1\\.0/\\$batch$", status: 500 });
    sandbox!.addFault({ path: "^/subscriptions\\?", status: 500 });
    expect((await api.get("/subscriptions?api-version=2022-12-01")).status).toBe(200);
    const batch = await api.send("POST", "/v1.0/$batch", { requests: [{ id: "1", method: "GET", url: "/applications" }] });
    expect(batch.status).toBe(500);
  });

  it("delays a response (and still serves it) when the fault has delayMs and no status", async () => {
    const api = await start();
    sandbox!.addFault({ path: "^/subscriptions$", delayMs: 300, times: 1 });
    const started = performance.now();
    const response = await api.get("/subscriptions?api-version=2022-12-01");
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("applies the fixture's own faults", async () => {
    const fixture = parseFixture(
      { ...(await everyResourceType()), faults: [{ path: "^/v1\\.0/applications$", status: 429, retryAfter: 0, times: 1 }] },
      "throttled-once.json",
    );
    const api = await start({ fixture });
    expect((await api.get("/v1.0/applications")).status).toBe(429);
    expect((await api.get("/v1.0/applications")).status).toBe(200);
  });
});

describe("latency", () => {
  it("adds latencyMs to every Graph and ARM request", async () => {
    const api = await start({ latencyMs: 150 });
    for (const path of ["/v1.0/applications", "/subscriptions?api-version=2022-12-01"]) {
      const started = performance.now();
      await api.get(path);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    }
  });
});
