// Acceptance on the shared worked example, through the CLI as DESIGN §3.2 runs it. The fixture sits
// beside the project (../shared), not in it; a clone without it skips this file.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";
import { compareWithExpectation, type Expectation } from "../support/expectations.js";

const fixture = fileURLToPath(new URL("../../../shared/fixtures/contoso.json", import.meta.url));
const expectation = fixture.replace(/\.json$/, ".expect.json");

describe.skipIf(!existsSync(fixture) || !existsSync(expectation))("contoso acceptance (../shared/fixtures)", () => {
  it("matches every finding of contoso.expect.json and none of its absent list", async () => {
    const run = await runCli(["--sandbox", fixture, "--format", "json"]);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout);
    const expected = JSON.parse(await readFile(expectation, "utf8")) as Expectation;
    expect(compareWithExpectation(report, expected)).toEqual([]);
  });
});

describe.skipIf(!existsSync(fixture))("contoso alerts (../shared/fixtures)", () => {
  it("posts a digest with threaded details and a card naming every critical subject; nothing on a re-run; a resolved note for ci-deployer", async () => {
    const { loadFixture, startSandbox } = await import("../sandbox/index.js");
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const receivers = await startSandbox({ fixture: await loadFixture(fixture) });
    try {
      const dir = await mkdtemp(join(tmpdir(), "credwatch-contoso-"));
      const env = { ...receivers.notifyEnv, CREDWATCH_LEDGER: join(dir, "ledger.json") };
      const first = await runCli(["--sandbox", fixture, "--notify", "--format", "json"], env);
      expect(first.code).toBe(3);
      const report = JSON.parse(first.stdout);
      const top = receivers.slack.messages.filter((m) => !m.thread_ts && m.channel === receivers.slack.channelId);
      expect(top).toHaveLength(1);
      expect(receivers.slack.messages.some((m) => m.thread_ts === top[0]!.ts)).toBe(true);
      const slackText = JSON.stringify(receivers.slack.messages.map((m) => m.blocks));
      // The hostile display name is shown, not obeyed.
      expect(slackText).toContain("&lt;!channel&gt;");
      expect(slackText).not.toContain("<!channel>");
      const cards = JSON.stringify(receivers.teams.payloads);
      for (const f of report.findings.filter((x: { severity: string }) => x.severity === "critical")) {
        expect(cards).toContain(f.subject.name);
      }

      const counts = { slack: receivers.slack.messages.length, teams: receivers.teams.payloads.length };
      expect((await runCli(["--sandbox", fixture, "--notify", "--format", "json"], env)).code).toBe(3);
      expect({ slack: receivers.slack.messages.length, teams: receivers.teams.payloads.length }).toEqual(counts);

      const replaced = JSON.parse(await readFile(fixture, "utf8"));
      const app = replaced.applications.find((a: { displayName: string }) => a.displayName === "ci-deployer");
      app.passwordCredentials = [{ keyId: "00000000-0000-4000-8000-0000000000bb", displayName: "ci-deployer-secret-2", startDateTime: "2026-11-24T00:00:00Z", endDateTime: "2027-05-24T00:00:00Z" }];
      const path = join(dir, "contoso-replaced.json");
      await writeFile(path, JSON.stringify(replaced));
      await runCli(["--sandbox", path, "--notify", "--format", "json"], env);
      const after = JSON.stringify(receivers.slack.messages.slice(counts.slack).map((m) => m.blocks));
      expect(after).toMatch(/[Rr]esolved/);
      expect(after).toContain("ci-deployer");
    } finally {
      await receivers.close();
    }
  });
});
