// The CLI as a user meets it: exit codes, stdout that holds only the report, errors that name
// what is wrong.
import { describe, expect, it } from "vitest";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateReport } from "./support/json-schema.js";
import { ROOT, runCli } from "./support/run-cli.js";
import { startSandboxProcess } from "./support/sandbox-process.js";
import { NOW, application, servicePrincipalOf, subscription, tenant } from "./support/tenants.js";

async function fixtureFile(name: string, content: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "credwatch-cli-"));
  const path = join(dir, name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const healthy = application({ name: "healthy", secretEndsInDays: 300 });
const critical = application({ name: "about-to-expire", secretEndsInDays: 2 });

describe("credwatch CLI", () => {
  it("sweeps the demo tenant: JSON only on stdout, exit 3 because one subscription is unreadable", async () => {
    const run = await runCli(["--sandbox", "--format", "json"]);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.complete).toBe(false);
    expect(report.errors).toHaveLength(1);
    expect(report.findings.length).toBeGreaterThan(10);
    expect(run.stderr).toMatch(/INCOMPLETE: could not read/);
    expect(run.stderr).not.toMatch(/SECURITY/);
  });

  it("exits 0 on a tenant it read completely, whatever it found", async () => {
    const path = await fixtureFile("complete.json", tenant({ applications: [critical], servicePrincipals: [servicePrincipalOf(critical)], subscriptions: [subscription("only")] }));
    const run = await runCli(["--sandbox", path, "--format", "json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).findings[0].severity).toBe("high");
  });

  it("exits 1 with --fail-on when a finding reaches that severity, 0 when none does", async () => {
    const path = await fixtureFile("fail-on.json", tenant({ applications: [critical, healthy] }));
    expect((await runCli(["--sandbox", path, "--format", "json", "--fail-on", "high"])).code).toBe(1);
    expect((await runCli(["--sandbox", path, "--format", "json", "--fail-on", "critical"])).code).toBe(0);
  });

  it("writes the report atomically to --out and keeps stdout empty", async () => {
    const dir = await mkdtemp(join(tmpdir(), "credwatch-out-"));
    const out = join(dir, "nested", "report.csv");
    const path = await fixtureFile("out.json", tenant({ applications: [critical] }));
    const run = await runCli(["--sandbox", path, "--format", "csv", "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(await readFile(out, "utf8")).toMatch(/about-to-expire/);
  });

  it("prints a readable table grouped by severity", async () => {
    const path = await fixtureFile("table.json", tenant({ applications: [critical, healthy] }));
    const run = await runCli(["--sandbox", path, "--format", "table"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/HIGH/i);
    expect(run.stdout).toMatch(/about-to-expire/);
    expect(run.stdout).not.toMatch(/healthy/);
  });

  it("refuses an unknown flag with exit 2, naming it", async () => {
    const run = await runCli(["--sandbox", "--colour"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--colour/);
  });

  it("refuses a bad format with exit 2, naming the allowed ones", async () => {
    const run = await runCli(["--format", "yaml"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/yaml/);
    expect(run.stderr).toMatch(/json/);
  });

  it("refuses bad settings with exit 2, naming every one", async () => {
    const run = await runCli(["--sandbox", "--format", "json"], { CREDWATCH_THRESHOLDS: "30,abc", CREDWATCH_MAX_LIFETIME_DAYS: "-1" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/CREDWATCH_THRESHOLDS/);
    expect(run.stderr).toMatch(/CREDWATCH_MAX_LIFETIME_DAYS/);
    expect(run.stdout).toBe("");
  });

  it("refuses a malformed fixture with exit 2, naming the file and the JSON path", async () => {
    const bad = tenant({ subscriptions: [subscription("s", { registries: [{ name: "r", resourceGroup: "rg", sku: "Gold" }] })] });
    const path = await fixtureFile("bad-sku.json", bad);
    const run = await runCli(["--sandbox", path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad-sku\.json/);
    expect(run.stderr).toMatch(/subscriptions\[0\]\.registries\[0\]\.sku/);
  });

  it("refuses a fixture that is not JSON with exit 2", async () => {
    const path = await fixtureFile("broken.json", "{ this is not json");
    const run = await runCli(["--sandbox", path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/broken\.json/);
  });

  it("refuses --now without --sandbox, and a malformed --now", async () => {
    expect((await runCli(["--now", NOW])).code).toBe(2);
    const run = await runCli(["--sandbox", "--now", "yesterday"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/yesterday/);
  });

  it("moves the sandbox clock with --now", async () => {
    const path = await fixtureFile("clock.json", tenant({ applications: [healthy] }));
    const later = new Date(Date.parse(NOW) + 299 * 86_400_000).toISOString();
    const report = JSON.parse((await runCli(["--sandbox", path, "--format", "json", "--now", later])).stdout);
    expect(report.sweptAt).toBe(later);
    expect(report.findings.map((f: { kind: string }) => f.kind)).toEqual(["credential-expiring"]);
  });
});

describe("credwatch CLI against `npm run sandbox` in another process", () => {
  it("sweeps through the printed settings alone, on the real clock the sandbox moved its tenant to", async () => {
    const sandbox = startSandboxProcess([join(ROOT, "test/fixtures/demo.json")]);
    try {
      const run = await runCli(["--format", "json"], await sandbox.env());
      expect(run.code).toBe(3);
      const report = JSON.parse(run.stdout);
      expect(Math.abs(Date.parse(report.sweptAt) - Date.now())).toBeLessThan(120_000);
      // aks-payments-sp's secret ends 3 days and 3 hours after the demo's clock, wherever that clock is.
      const aks = report.findings.find((f: { subject: { name: string } }) => f.subject.name === "aks-payments-sp");
      expect(aks.credential.daysLeft).toBe(3);
      expect(aks.impact).toEqual({ registries: ["fabrikamprod"], clusters: ["aks-payments"] });
    } finally {
      await sandbox.stop();
    }
  });
});

describe("suppressions in the CLI", () => {
  const rules = JSON.stringify([
    { subject: "legacy-ftp-*", kind: "credential-long-lived", reason: "replaced in Q1", by: "lena" },
    { subject: "decommissioned-app", reason: "gone" },
  ]);

  it("keeps a suppressed finding in the report, marked, and reports the rule that matched nothing", async () => {
    const run = await runCli(["--sandbox", "--format", "json"], { CREDWATCH_SUPPRESSIONS: rules });
    const report = JSON.parse(run.stdout);
    const legacy = report.findings.find((f: { subject: { name: string } }) => f.subject.name === "legacy-ftp-bridge");
    expect(legacy.suppressed).toEqual({ reason: "replaced in Q1", until: null, by: "lena", source: "rule 1" });
    expect(report.findings.filter((f: { suppressed?: unknown }) => f.suppressed)).toHaveLength(1);
    expect(report.suppressions).toEqual([
      { index: 1, reason: "replaced in Q1", until: null, matched: 1, expired: false },
      { index: 2, reason: "gone", until: null, matched: 0, expired: false },
    ]);
  });

  it("lists and explains the rules with `credwatch suppressions`", async () => {
    const run = await runCli(["suppressions"], { CREDWATCH_SUPPRESSIONS: rules });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'rule 1: credential-long-lived, subjects matching "legacy-ftp-*" — replaced in Q1 (no end date, by lena)\n' +
        'rule 2: subjects matching "decommissioned-app" — gone (no end date)\n',
    );
  });

  it("refuses a bad rule with exit 2, naming it", async () => {
    const run = await runCli(["suppressions"], { CREDWATCH_SUPPRESSIONS: '[{"subject": "x", "until": "tomorrow", "reason": "r"}]' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/CREDWATCH_SUPPRESSIONS rule 1 \(x\): until: must be a date/);
  });
});
