// The HTTP sweep through @azure/functions test mode: real HttpRequest / InvocationContext objects,
// against `npm run sandbox` in another process, configured only by the settings it prints — the
// path a deployed app takes.
import { HttpRequest, InvocationContext, type HttpResponseInit } from "@azure/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSweepHttpHandler, sweepHttp } from "../../functions/sweep-http.js";
import { startSandboxProcess, type SandboxProcess } from "../support/sandbox-process.js";
import { ROOT } from "../support/run-cli.js";
import { validateReport } from "../support/json-schema.js";
import { freePort } from "../support/free-port.js";

const PRODUCTION = "f40930eb-e113-5f5c-b720-5238dbd311c1";
const PLATFORM = "dda305ea-c5a9-597b-b03b-48957b6e0c92";
const LOCKED = "eed38c5c-2eae-5210-8985-9f9d6145da65";

let sandbox: SandboxProcess;
let settings: Record<string, string>;

beforeAll(async () => {
  sandbox = startSandboxProcess([`${ROOT}/test/fixtures/demo.json`]);
  settings = await sandbox.env();
  useSettings(settings);
});

afterAll(async () => {
  await sandbox?.stop();
});

/** What the Functions host does with app settings: they are the process environment. */
function useSettings(env: Record<string, string>) {
  for (const key of Object.keys(process.env)) if (/^(AZURE_|IDENTITY_|MSI_|CREDWATCH_|SLACK_|TEAMS_)/.test(key)) delete process.env[key];
  Object.assign(process.env, env);
}

function get(query: string): HttpRequest {
  return new HttpRequest({ method: "GET", url: `https://credwatch.example/api/sweep?${query}` });
}

function post(body: string, query = ""): HttpRequest {
  return new HttpRequest({
    method: "POST",
    url: `https://credwatch.example/api/sweep?${query}`,
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
    body: { string: body },
  });
}

async function call(request: HttpRequest, handler = sweepHttp): Promise<HttpResponseInit & { text: string }> {
  const response = await handler(request, new InvocationContext({ functionName: "sweep", invocationId: "test" }));
  const text = response.jsonBody !== undefined ? JSON.stringify(response.jsonBody) : String(response.body ?? "");
  return { ...response, text };
}

function header(response: HttpResponseInit, name: string): string | undefined {
  return (response.headers as Record<string, string> | undefined)?.[name];
}

describe("HTTP sweep", () => {
  it("answers 200 with the JSON report, complete:false and the unread subscription named", async () => {
    const response = await call(get("code=function-key"));
    expect(response.status).toBe(200);
    expect(header(response, "content-type")).toMatch(/^application\/json/);
    const report = JSON.parse(response.text);
    expect(validateReport(report)).toBe(true);
    expect(report.complete).toBe(false);
    expect(report.errors.map((e: { scope: string }) => e.scope)).toEqual([LOCKED]);
    expect(report.findings.map((f: { subject: { name: string } }) => f.subject.name)).toContain("aks-payments-sp");
  });

  it("sweeps only the subscriptions asked for, and is then complete", async () => {
    const response = await call(get(`subscriptions=${PRODUCTION},${PLATFORM}`));
    expect(response.status).toBe(200);
    const report = JSON.parse(response.text);
    expect(report.complete).toBe(true);
    expect(report.coverage.subscriptions).toBe(2);
  });

  it.each([
    ["markdown", /^text\/markdown/, /^# /],
    ["csv", /^text\/csv/, /^id,kind,severity/],
    ["html", /^text\/html/, /^<!doctype html>/i],
  ])("renders format=%s", async (format, contentType, start) => {
    const response = await call(get(`format=${format}&subscriptions=${PRODUCTION}`));
    expect(response.status).toBe(200);
    expect(header(response, "content-type")).toMatch(contentType);
    expect(response.text.trimStart()).toMatch(start);
  });

  it("takes the parameters from a POST body too", async () => {
    const response = await call(post(JSON.stringify({ format: "csv", subscriptions: [PLATFORM] })));
    expect(response.status).toBe(200);
    expect(header(response, "content-type")).toMatch(/^text\/csv/);
    expect(response.text).toContain("aks-batch");
  });

  it("answers 400 naming every bad parameter, before sweeping anything", async () => {
    const response = await call(get("format=yaml&subscriptions=prod&notfy=true"));
    expect(response.status).toBe(400);
    const body = JSON.parse(response.text);
    expect(body.problems.join("\n")).toMatch(/format: must be one of json, markdown, csv, html/);
    expect(body.problems.join("\n")).toMatch(/subscriptions: .*"prod"/);
    expect(body.problems.join("\n")).toMatch(/notfy: unknown parameter/);
  });

  it("answers 400 to notify=true when no alert channel is configured", async () => {
    const response = await call(get("notify=true"));
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/notify: no alert channel is configured/);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const response = await call(post("{format: csv"));
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/not valid JSON/);
  });

  it("answers 504, saying so, when the sweep cannot finish within its deadline", async () => {
    const response = await call(get(""), createSweepHttpHandler({ deadlineMs: 1 }));
    expect(response.status).toBe(504);
    expect(response.text).toMatch(/did not finish within/);
  });

  it("answers 502 naming what failed when it could read nothing, with no stack trace", async () => {
    const closed = await freePort();
    useSettings({ ...settings, CREDWATCH_GRAPH_ENDPOINT: `https://127.0.0.1:${closed}`, CREDWATCH_ARM_ENDPOINT: `https://127.0.0.1:${closed}` });
    try {
      const response = await call(get(""));
      expect(response.status).toBe(502);
      const body = JSON.parse(response.text);
      expect(body.error).toMatch(/could not read the tenant/);
      expect(body.errors.map((e: { scope: string }) => e.scope).sort()).toEqual(["applications", "servicePrincipals", "subscriptions"]);
      expect(body.errors[0].message).toContain(`cannot reach https://127.0.0.1:${closed}`);
      expect(response.text).not.toMatch(/\n\s+at /);
    } finally {
      useSettings(settings);
    }
  });

  it("answers 500 naming the bad setting when credwatch is misconfigured", async () => {
    useSettings({ ...settings, CREDWATCH_THRESHOLDS: "soon" });
    try {
      const response = await call(get(""));
      expect(response.status).toBe(500);
      expect(response.text).toMatch(/CREDWATCH_THRESHOLDS/);
    } finally {
      useSettings(settings);
    }
  });
});
