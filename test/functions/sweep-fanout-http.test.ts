// The HTTP side of fan-out sweeps through @azure/functions test mode: GET /api/sweep answering 202
// with a status URL when the sweep is fanned out, and GET /api/sweep/status/{id} answering 202 while
// it runs and 200 with the report once the queue's workers are done — against `npm run sandbox` in
// another process, with the queue and tables on Azurite, configured only by settings.
import { HttpRequest, InvocationContext, type HttpResponseInit } from "@azure/functions";
import { QueueServiceClient } from "@azure/storage-queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepHttp } from "../../functions/sweep-http.js";
import { sweepShard } from "../../functions/sweep-shard.js";
import { sweepStatusHttp } from "../../functions/sweep-status.js";
import { SHARD_QUEUE } from "../../shared/fanout/index.js";
import { startSandboxProcess, type SandboxProcess } from "../support/sandbox-process.js";
import { ROOT } from "../support/run-cli.js";
import { startAzurite, type Azurite } from "../support/azurite.js";
import { validateReport } from "../support/json-schema.js";
import { runWorkers } from "../support/shard-workers.js";

const PRODUCTION = "f40930eb-e113-5f5c-b720-5238dbd311c1";
const BASE = "https://credwatch.example/api";

let tenant: SandboxProcess;
let azurite: Azurite;
let settings: Record<string, string>;

beforeAll(async () => {
  tenant = startSandboxProcess([`${ROOT}/test/fixtures/demo.json`]);
  azurite = await startAzurite({ queue: true });
  settings = { ...(await tenant.env()), AzureWebJobsStorage: azurite.connectionString };
  useSettings(settings);
}, 60_000);

afterAll(async () => {
  await Promise.all([tenant?.stop(), azurite?.stop()]);
});

function useSettings(env: Record<string, string>) {
  for (const key of Object.keys(process.env)) if (/^(AZURE_|IDENTITY_|MSI_|CREDWATCH_|SLACK_|TEAMS_|AzureWebJobs)/.test(key)) delete process.env[key];
  Object.assign(process.env, env);
}

async function call(
  handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>,
  url: string,
  params: Record<string, string> = {},
): Promise<HttpResponseInit & { text: string }> {
  const response = await handler(new HttpRequest({ method: "GET", url, params }), new InvocationContext({ functionName: "test", invocationId: "test" }));
  const text = response.jsonBody !== undefined ? JSON.stringify(response.jsonBody) : String(response.body ?? "");
  return { ...response, text };
}

const header = (response: HttpResponseInit, name: string) => (response.headers as Record<string, string> | undefined)?.[name];

/** The status route as the host routes it: /api/sweep/status/{id}. */
function status(statusUrl: string) {
  const url = new URL(statusUrl);
  const id = url.pathname.split("/").pop()!;
  return call(sweepStatusHttp, statusUrl, { id });
}

const queue = () => QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(SHARD_QUEUE);

async function workUntilDone(statusUrl: string): Promise<void> {
  await runWorkers(3, { queue: queue(), handler: sweepShard, until: async () => (await status(statusUrl)).status !== 202 });
}

describe("HTTP sweep, fanned out", () => {
  it("answers 202 to mode=fanout with a Location the caller polls: 202 while it runs, 200 with the report when done", async () => {
    const started = await call(sweepHttp, `${BASE}/sweep?mode=fanout&code=function-key`);
    expect(started.status).toBe(202);
    const location = header(started, "location")!;
    expect(location).toMatch(/^https:\/\/credwatch\.example\/api\/sweep\/status\/[0-9a-f-]{36}$/);
    expect(location).not.toContain("code");
    expect(JSON.parse(started.text)).toMatchObject({ statusUrl: location, shardsTotal: 4 });
    expect(Number(header(started, "retry-after"))).toBeGreaterThan(0);

    // Nothing has worked the queue yet.
    const running = await status(location);
    expect(running.status).toBe(202);
    expect(JSON.parse(running.text)).toEqual({ status: "running", shardsDone: 0, shardsTotal: 4 });
    expect(Number(header(running, "retry-after"))).toBeGreaterThan(0);

    await workUntilDone(location);
    const done = await status(location);
    expect(done.status).toBe(200);
    expect(header(done, "content-type")).toMatch(/^application\/json/);
    const report = JSON.parse(done.text);
    expect(validateReport(report)).toBe(true);
    expect(report.findings.map((f: { subject: { name: string } }) => f.subject.name)).toContain("aks-payments-sp");

    const markdown = await status(`${location}?format=markdown`);
    expect(markdown.status).toBe(200);
    expect(header(markdown, "content-type")).toMatch(/^text\/markdown/);
    expect(markdown.text.trimStart()).toMatch(/^# /);
  }, 120_000);

  it("keeps the format asked for in the status URL", async () => {
    const started = await call(sweepHttp, `${BASE}/sweep?mode=fanout&format=csv&code=k`);
    expect(started.status).toBe(202);
    const location = header(started, "location")!;
    expect(new URL(location).search).toBe("?format=csv");
    await workUntilDone(location);
    const done = await status(location);
    expect(done.status).toBe(200);
    expect(header(done, "content-type")).toMatch(/^text\/csv/);
  }, 120_000);

  it("fans out beyond CREDWATCH_FANOUT_SUBSCRIPTIONS, and not up to it, nor with mode=single", async () => {
    useSettings({ ...settings, CREDWATCH_FANOUT_SUBSCRIPTIONS: "1" });
    try {
      const big = await call(sweepHttp, `${BASE}/sweep`);
      expect(big.status).toBe(202);
      await workUntilDone(header(big, "location")!);
      expect((await call(sweepHttp, `${BASE}/sweep?subscriptions=${PRODUCTION}`)).status).toBe(200);
      expect((await call(sweepHttp, `${BASE}/sweep?mode=single`)).status).toBe(200);
    } finally {
      useSettings(settings);
    }
  }, 120_000);

  it("answers 404 for an unknown sweep", async () => {
    expect((await status(`${BASE}/sweep/status/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await status(`${BASE}/sweep/status/not-a-sweep`)).status).toBe(404);
  });

  it("answers 400 to a bad status parameter, and to mode=fanout without the host's storage", async () => {
    const bad = await status(`${BASE}/sweep/status/00000000-0000-4000-8000-000000000000?format=yaml&mode=x`);
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/format: must be one of/);
    expect(bad.text).toMatch(/mode: unknown parameter/);
    const { AzureWebJobsStorage: _storage, ...withoutStorage } = settings;
    useSettings(withoutStorage);
    try {
      const response = await call(sweepHttp, `${BASE}/sweep?mode=fanout`);
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/mode: fanout needs the Functions host's storage/);
      // Without it, a sweep runs in the request as before.
      expect((await call(sweepHttp, `${BASE}/sweep?subscriptions=${PRODUCTION}`)).status).toBe(200);
    } finally {
      useSettings(settings);
    }
  }, 60_000);
});
