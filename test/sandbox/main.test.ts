// `npm run sandbox` as another process would use it: env lines on stdout, a token from the
// managed-identity endpoint, an ARM call over HTTPS trusting the CA file, and a clean stop on SIGTERM.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { fixturePath } from "./helpers.js";
import { startSandboxProcess, type SandboxProcess } from "../support/sandbox-process.js";

const ENV_NAMES = [
  "CREDWATCH_CLOUD",
  "CREDWATCH_AUTHORITY_HOST",
  "CREDWATCH_GRAPH_ENDPOINT",
  "CREDWATCH_ARM_ENDPOINT",
  "CREDWATCH_CA_FILE",
  "IDENTITY_ENDPOINT",
  "IDENTITY_HEADER",
  "AZURE_TOKEN_CREDENTIALS",
];

let running: SandboxProcess | undefined;

afterEach(async () => {
  // A test that failed half-way leaves its sandbox running: end its whole process group.
  await running?.stop("SIGKILL");
  running = undefined;
});

function runSandbox(args: string[]): SandboxProcess {
  running = startSandboxProcess(args);
  return running;
}

describe("npm run sandbox (test/sandbox/main.ts)", () => {
  it("prints exactly the env lines, serves with a managed-identity token, and stops on SIGTERM", async () => {
    const run = runSandbox([fixturePath("every-resource-type.json")]);
    const env = await run.env();
    expect(Object.keys(env)).toEqual(ENV_NAMES);
    expect(env.CREDWATCH_CLOUD).toBe("Custom");
    expect(env.CREDWATCH_GRAPH_ENDPOINT).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(env.IDENTITY_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/msi\/token$/);
    expect(env.AZURE_TOKEN_CREDENTIALS).toBe("ManagedIdentityCredential");

    const tokenResponse = await fetch(`${env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=${encodeURIComponent(env.CREDWATCH_ARM_ENDPOINT!)}`, {
      headers: { "X-IDENTITY-HEADER": env.IDENTITY_HEADER! },
    });
    const { access_token } = (await tokenResponse.json()) as { access_token: string };
    const dispatcher = new Agent({ connect: { ca: await readFile(env.CREDWATCH_CA_FILE!, "utf8") } });
    try {
      const response = await fetch(`${env.CREDWATCH_ARM_ENDPOINT}/subscriptions?api-version=2022-12-01`, { dispatcher, headers: { authorization: `Bearer ${access_token}` } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { value: { subscriptionId: string }[] };
      expect(body.value.map((s) => s.subscriptionId)).toContain("d1000000-0000-4000-8000-000000000001");
      // The clock moved to the start: a token password 3 days after the fixture's now expires ~3 days from now.
      const tokens = await fetch(
        `${env.CREDWATCH_ARM_ENDPOINT}/subscriptions/d1000000-0000-4000-8000-000000000001/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/acrprem/tokens?api-version=2025-11-01`,
        { dispatcher, headers: { authorization: `Bearer ${access_token}` } },
      );
      const expiry = Date.parse(((await tokens.json()) as any).value[0].properties.credentials.passwords[0].expiry);
      expect(Math.abs(expiry - (Date.now() + 3 * 86_400_000))).toBeLessThan(120_000);
    } finally {
      await dispatcher.close();
    }

    expect(run.stderr()).toContain("sandbox: serving every-resource-type at https://127.0.0.1:");
    // What a terminal or a supervisor does: signal the whole process group. npm itself dies of the
    // signal; main.ts must close the sandbox and exit on its own.
    await run.stop("SIGTERM");
    expect(run.stderr()).toMatch(/sandbox: SIGTERM, stopping \(\d+ requests served, 0 violations\)/);
    await expect(fetch(`${env.CREDWATCH_ARM_ENDPOINT}/subscriptions`)).rejects.toThrow();
    expect(run.stdout().trimEnd().split("\n")).toHaveLength(ENV_NAMES.length);
  });

  it("exits 2 naming the file and the JSON path when the fixture is bad", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sandbox-main-"));
    try {
      const bad = join(dir, "bad.json");
      await writeFile(bad, JSON.stringify({ now: "2026-03-01T12:00:00Z", tenantId: "6e1c3a56-3b7e-4c8e-9d0a-2f5b8c1d4e70", subscriptions: [{ subscriptionId: "nope", displayName: "x" }] }));
      const run = runSandbox([bad]);
      expect(await run.exited).toBe(2);
      expect(run.stderr()).toContain(`sandbox: ${bad}: $.subscriptions[0].subscriptionId: expected a GUID`);
      expect(run.stdout()).toBe("");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("exits 2 on bad options", async () => {
    const run = runSandbox([fixturePath("every-resource-type.json"), "--port", "http"]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain("--port must be a non-negative integer");
  });
});
