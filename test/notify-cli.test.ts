// `credwatch --notify` end to end: the CLI sweeps the demo tenant and alerts Slack and Teams
// receivers on loopback (the sandbox's), keeping its ledger in a file. A second run the same day
// posts nothing; a run after the expired secret is replaced posts a resolved note naming it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFixture, startSandbox, type Sandbox } from "./sandbox/index.js";
import { ROOT, runCli } from "./support/run-cli.js";

const DEMO = join(ROOT, "test/fixtures/demo.json");
let receivers: Sandbox;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  // This sandbox only receives: the CLI runs its own for Graph and ARM.
  receivers = await startSandbox({ fixture: await loadFixture(DEMO) });
  dir = await mkdtemp(join(tmpdir(), "credwatch-notify-"));
  env = { ...receivers.notifyEnv, CREDWATCH_LEDGER: join(dir, "ledger.json") };
});

afterAll(async () => {
  await receivers?.close();
});

const text = (values: unknown) => JSON.stringify(values);

describe("credwatch --notify", () => {
  it("posts one digest with its thread and a Teams card naming every critical subject", async () => {
    const run = await runCli(["--sandbox", DEMO, "--notify", "--format", "json"], env);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout);
    const critical = report.findings.filter((f: { severity: string }) => f.severity === "critical");
    expect(critical.length).toBeGreaterThan(3);

    const posts = receivers.slack.messages;
    const top = posts.filter((m) => m.channel === receivers.slack.channelId && !m.thread_ts);
    expect(top).toHaveLength(1);
    const thread = posts.filter((m) => m.thread_ts === top[0]!.ts);
    expect(thread.length).toBeGreaterThan(0);
    expect(top.every((m) => m.unfurl_links === false || m.args.unfurl_links === false || m.args.unfurl_links === "false")).toBe(true);
    // The unread subscription is said in the digest: silence is never ambiguous.
    expect(text(top[0]!.blocks)).toContain(report.errors[0].scope);
    for (const f of report.findings) expect(text(thread.map((m) => m.blocks))).toContain(f.subject.name);

    const cards = receivers.teams.payloads;
    expect(cards.length).toBeGreaterThan(0);
    for (const f of critical) expect(text(cards[0])).toContain(f.subject.name);
    expect(run.stderr).toMatch(/alerts: slack: delivered \d+ alerts; teams: delivered \d+ alerts/);
  });

  it("posts nothing on a second run the same day", async () => {
    const before = { slack: receivers.slack.messages.length, teams: receivers.teams.payloads.length };
    const run = await runCli(["--sandbox", DEMO, "--notify", "--format", "json"], env);
    expect(run.code).toBe(3);
    expect(receivers.slack.messages.length).toBe(before.slack);
    expect(receivers.teams.payloads.length).toBe(before.teams);
    expect(run.stderr).toMatch(/slack: nothing new to say; teams: nothing new to say/);
  });

  it("posts a resolved note naming github-deploy once its expired secret is replaced", async () => {
    const fixture = JSON.parse(await readFile(DEMO, "utf8"));
    const app = fixture.applications.find((a: { displayName: string }) => a.displayName === "github-deploy");
    app.passwordCredentials = [{ keyId: "00000000-0000-4000-8000-0000000000aa", displayName: "github-deploy-secret-2", startDateTime: "2026-11-24T00:00:00Z", endDateTime: "2027-05-24T00:00:00Z" }];
    const replaced = join(dir, "replaced.json");
    await writeFile(replaced, JSON.stringify(fixture));
    const before = receivers.slack.messages.length;

    const run = await runCli(["--sandbox", replaced, "--notify", "--format", "json"], env);
    expect(run.code).toBe(3);
    const posted = receivers.slack.messages.slice(before);
    expect(posted.length).toBeGreaterThan(0);
    expect(text(posted.map((m) => m.blocks))).toMatch(/[Rr]esolved/);
    expect(text(posted.map((m) => m.blocks))).toContain("github-deploy");
    expect(text(receivers.teams.payloads.at(-1))).toContain("github-deploy");
  });

  it("refuses --notify without a channel, exit 2", async () => {
    const run = await runCli(["--sandbox", DEMO, "--notify"], { CREDWATCH_LEDGER: join(dir, "other.json") });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--notify needs a channel/);
  });

  it("exits 4 when a channel refuses the alerts, without leaking the token", async () => {
    const run = await runCli(["--sandbox", DEMO, "--notify", "--format", "json"], { ...env, SLACK_BOT_TOKEN: "xoxb-wrong-token-1234", CREDWATCH_LEDGER: join(dir, "fresh.json") });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/slack: failed/);
    expect(run.stderr).not.toContain("wrong-token-1234");
  });
});
