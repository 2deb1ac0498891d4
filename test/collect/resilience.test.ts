// What a sweep does when the far side misbehaves: throttling, 5xx, denied and malformed answers,
// an endpoint nobody listens on. It always finishes, and never reports unread scopes as clear.
import { afterEach, describe, expect, it } from "vitest";
import { parseFixture, startSandbox, type Sandbox } from "../sandbox/index.js";
import { sweepSandbox } from "../support/sandbox-sweep.js";
import { NOW, application, registry, servicePrincipalOf, subscription, tenant } from "../support/tenants.js";
import { freePort } from "../support/free-port.js";

const expiring = application({ name: "expiring-app", secretEndsInDays: 3, owners: ["owner@example.com"] });
const prod = subscription("prod", {
  registries: [registry("acrone", { tokens: [{ name: "ci", passwords: [{ name: "password1", expiry: "2026-11-27T00:00:00Z" }] }] })],
});
const other = subscription("other", { registries: [registry("acrtwo")] });

function scenario(faults: unknown[] = []) {
  return parseFixture(
    tenant({ applications: [expiring], servicePrincipals: [servicePrincipalOf(expiring)], subscriptions: [prod, other], faults }),
    "resilience scenario",
  );
}

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function sweepWith(faults: unknown[] = []) {
  sandbox = await startSandbox({ fixture: scenario(faults) });
  const report = await sweepSandbox(sandbox, { now: new Date(NOW) });
  return { report, sandbox };
}

const registriesPath = (sub: { subscriptionId: string }) =>
  `^/subscriptions/${sub.subscriptionId}/providers/Microsoft\\.ContainerRegistry/registries$`;

describe("a sweep under faults", () => {
  it("reads everything when nothing goes wrong, and calls no secret-returning endpoint", async () => {
    const { report, sandbox } = await sweepWith();
    expect(report.complete).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.coverage).toMatchObject({ applications: 1, subscriptions: 2, registries: 2, tokens: 1 });
    expect(report.findings.map((f) => f.subject.name).sort()).toEqual(["ci", "expiring-app"]);
    expect(report.findings.find((f) => f.subject.name === "expiring-app")?.owners).toEqual(["owner@example.com"]);
    expect(sandbox.violations).toEqual([]);
  });

  it("retries a throttled ARM list, honouring Retry-After, and still completes", async () => {
    const { report, sandbox } = await sweepWith([{ path: registriesPath(prod), status: 429, retryAfter: 1, times: 1 }]);
    expect(report.complete).toBe(true);
    expect(report.coverage.registries).toBe(2);
    const calls = sandbox.requests.filter((r) => new RegExp(registriesPath(prod)).test(r.path));
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(Date.parse(calls[1]!.at) - Date.parse(calls[0]!.at)).toBeGreaterThanOrEqual(900);
  });

  it("retries Graph 503s and completes", async () => {
    const { report } = await sweepWith([{ path: "^/v1\\.0/applications$", status: 503, retryAfter: 0, times: 2 }]);
    expect(report.complete).toBe(true);
    expect(report.coverage.applications).toBe(1);
  });

  it("reports a subscription answering 403 in errors and sweeps the others", async () => {
    const { report } = await sweepWith([{ path: `^/subscriptions/${prod.subscriptionId}/`, status: 403 }]);
    expect(report.complete).toBe(false);
    expect(report.errors.map((e) => e.scope)).toEqual([prod.subscriptionId]);
    expect(report.errors[0]!.status).toBe(403);
    expect(report.coverage.subscriptions).toBe(1);
    expect(report.coverage.registries).toBe(1);
  });

  it("treats a malformed ARM page as an error for its subscription, never as zero registries", async () => {
    const { report } = await sweepWith([{ path: registriesPath(prod), status: 200, body: "{not json" }]);
    expect(report.complete).toBe(false);
    const error = report.errors.find((e) => e.scope === prod.subscriptionId);
    expect(error?.message).toMatch(/registries/);
    expect(report.coverage.registries).toBe(1);
  });

  it("treats an ARM page without its value array as an error", async () => {
    const { report } = await sweepWith([{ path: registriesPath(prod), status: 200, body: '{"nextLink": null}' }]);
    expect(report.complete).toBe(false);
    expect(report.errors.find((e) => e.scope === prod.subscriptionId)?.message).toMatch(/no 'value' array/);
  });

  it("treats a malformed Graph page as an error for that collection", async () => {
    const { report } = await sweepWith([{ path: "^/v1\\.0/applications$", status: 200, body: '{"value": 42}' }]);
    expect(report.complete).toBe(false);
    expect(report.errors.map((e) => e.scope)).toContain("applications");
    expect(report.errors.find((e) => e.scope === "applications")?.message).toMatch(/malformed page/);
  });

  it("retries an owners item throttled inside a $batch", async () => {
    const ownersPath = `^/v1\\.0/applications/${expiring.id}/owners$`;
    const { report, sandbox } = await sweepWith([{ path: ownersPath, status: 429, retryAfter: 0, times: 1 }]);
    expect(report.complete).toBe(true);
    expect(report.findings.find((f) => f.subject.name === "expiring-app")?.owners).toEqual(["owner@example.com"]);
    expect(sandbox.requests.filter((r) => new RegExp(ownersPath).test(r.path)).map((r) => r.status)).toEqual([429, 200]);
  });

  it("names the endpoint it cannot reach", async () => {
    sandbox = await startSandbox({ fixture: scenario() });
    const closedPort = await freePort();
    const report = await sweepSandbox(sandbox, { now: new Date(NOW), env: { CREDWATCH_ARM_ENDPOINT: `https://127.0.0.1:${closedPort}` } });
    expect(report.complete).toBe(false);
    expect(report.errors[0]!.message).toContain(`cannot reach https://127.0.0.1:${closedPort}`);
    // Graph was reachable: its findings are still reported.
    expect(report.findings.map((f) => f.subject.name)).toContain("expiring-app");
  });
});
