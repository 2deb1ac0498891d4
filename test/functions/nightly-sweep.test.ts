// The nightly timer through @azure/functions test mode, against `npm run sandbox` in another process
// (configured only by the settings it prints), Slack and Teams receivers on loopback, and the alert
// ledger in Table Storage on Azurite — the production ledger adapter.
import { InvocationContext, type Timer } from "@azure/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nightlySweep } from "../../functions/nightly-sweep.js";
import { startSandboxProcess, type SandboxProcess } from "../support/sandbox-process.js";
import { ROOT } from "../support/run-cli.js";
import { startAzurite, type Azurite } from "../support/azurite.js";
import { loadFixture, startSandbox, type Sandbox } from "../sandbox/index.js";

const DEMO = `${ROOT}/test/fixtures/demo.json`;
let tenant: SandboxProcess;
let receivers: Sandbox;
let azurite: Azurite;
let settings: Record<string, string>;

beforeAll(async () => {
  tenant = startSandboxProcess([DEMO]);
  [receivers, azurite] = await Promise.all([loadFixture(DEMO).then((fixture) => startSandbox({ fixture })), startAzurite()]);
  // What the Functions host would hold as app settings: the sandbox's lines, the channels, its storage.
  settings = { ...(await tenant.env()), ...receivers.notifyEnv, AzureWebJobsStorage: azurite.connectionString };
  useSettings(settings);
}, 60_000);

afterAll(async () => {
  await Promise.all([tenant?.stop(), receivers?.close(), azurite?.stop()]);
});

function useSettings(env: Record<string, string>) {
  for (const key of Object.keys(process.env)) if (/^(AZURE_|IDENTITY_|MSI_|CREDWATCH_|SLACK_|TEAMS_|AzureWebJobs)/.test(key)) delete process.env[key];
  Object.assign(process.env, env);
}

const timer = (isPastDue = false): Timer => ({
  isPastDue,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: "2026-11-24T06:00:00Z", next: "2026-11-26T06:00:00Z", lastUpdated: "2026-11-25T06:00:00Z" },
});

function context() {
  const lines: { level: string; text: string }[] = [];
  const ctx = new InvocationContext({
    functionName: "nightly-sweep",
    invocationId: "test",
    logHandler: (level, ...args) => lines.push({ level, text: args.map(String).join(" ") }),
  });
  return { ctx, lines };
}

const topLevel = () => receivers.slack.messages.filter((m) => m.channel === receivers.slack.channelId && !m.thread_ts);

describe("nightly sweep (timer)", () => {
  it("sweeps, posts the digest to Slack and a card to Teams, and logs a summary", async () => {
    const { ctx, lines } = context();
    await nightlySweep(timer(), ctx);
    expect(topLevel()).toHaveLength(1);
    expect(receivers.teams.payloads.length).toBeGreaterThan(0);
    expect(JSON.stringify(topLevel()[0]!.blocks)).toContain("aks-payments-sp");
    expect(lines.some((l) => l.level === "warning" && /INCOMPLETE, could not read/.test(l.text))).toBe(true);
    expect(lines.some((l) => /alerts: slack: delivered \d+ alerts; teams: delivered/.test(l.text))).toBe(true);
    // No SLACK_SIGNING_SECRET here: nothing would receive a click, so no Snooze / Acknowledge buttons.
    expect(topLevel()[0]!.blocks!.some((b: { type: string }) => b.type === "actions")).toBe(false);
    // Nothing the host logs may carry a credential.
    expect(lines.map((l) => l.text).join("\n")).not.toContain(receivers.slack.token);
    expect(lines.map((l) => l.text).join("\n")).not.toContain(receivers.teams.signature);
  });

  it("does not double alerts when the host retries or overlaps invocations", async () => {
    const before = { slack: receivers.slack.messages.length, teams: receivers.teams.payloads.length };
    await Promise.all([nightlySweep(timer(), context().ctx), nightlySweep(timer(), context().ctx)]);
    expect(receivers.slack.messages.length).toBe(before.slack);
    expect(receivers.teams.payloads.length).toBe(before.teams);
  });

  it("warns when the invocation is past due", async () => {
    const { ctx, lines } = context();
    await nightlySweep(timer(true), ctx);
    expect(lines.some((l) => l.level === "warning" && /past due/.test(l.text))).toBe(true);
  });

  it("fails the invocation, naming the setting, when configuration is bad", async () => {
    useSettings({ ...settings, CREDWATCH_SCHEDULE: "every night" });
    try {
      await expect(nightlySweep(timer(), context().ctx)).rejects.toThrow(/CREDWATCH_SCHEDULE/);
    } finally {
      useSettings(settings);
    }
  });
});
