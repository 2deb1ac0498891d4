import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, describeSettings, loadConfig, SETTINGS, type ConfigProblem } from "../../shared/config/index.js";
import { describeProblem } from "../../shared/config/load.js";

const CA = fileURLToPath(new URL("./fixtures/ca.pem", import.meta.url));
const SUB_A = "11111111-2222-3333-4444-555555555555";
const SUB_B = "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE";

function problems(env: Record<string, string | undefined>): ConfigProblem[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

function problemOf(setting: string, raw: string): string {
  const found = problems({ [setting]: raw });
  expect(found.map((p) => p.setting)).toEqual([setting]);
  return found[0]!.message;
}

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "credwatch-config-")), name);
  writeFileSync(file, text);
  return file;
}

describe("loadConfig defaults", () => {
  it("gives the public cloud and the default policy for an empty environment", () => {
    expect(loadConfig({})).toEqual({
      cloud: {
        name: "AzurePublicCloud",
        authorityHost: "https://login.microsoftonline.com",
        graphEndpoint: "https://graph.microsoft.com",
        armEndpoint: "https://management.azure.com",
      },
      caPem: null,
      caFile: null,
      subscriptions: null,
      policy: { thresholds: [30, 14, 7, 1], maxLifetimeDays: 730, adminEventLookbackDays: 7 },
      tenantId: null,
      notify: { slack: null, teams: null, owners: false, heartbeat: false, slackSigningSecret: null },
      ledger: null,
      schedule: "0 0 6 * * *",
      suppressions: [],
      incremental: { enabled: false, fullSweepDays: 7 },
      fanout: { subscriptions: 50, storage: null },
    });
  });

  it("treats empty and blank variables as unset", () => {
    const blank = Object.fromEntries(SETTINGS.map((s) => [s.name, "  "]));
    expect(loadConfig(blank)).toEqual(loadConfig({}));
  });

  it("ignores variables it does not own", () => {
    expect(loadConfig({ PATH: "/bin", AZURE_CLIENT_SECRET: "s3cret" })).toEqual(loadConfig({}));
  });

  it("reads process.env when given nothing", () => {
    expect(loadConfig().policy.thresholds.length).toBeGreaterThan(0);
  });
});

describe("CREDWATCH_CLOUD", () => {
  it("maps US Government to its endpoints (Graph L4; DoD is an override)", () => {
    expect(loadConfig({ CREDWATCH_CLOUD: "AzureUSGovernment" }).cloud).toEqual({
      name: "AzureUSGovernment",
      authorityHost: "https://login.microsoftonline.us",
      graphEndpoint: "https://graph.microsoft.us",
      armEndpoint: "https://management.usgovcloudapi.net",
    });
    const dod = loadConfig({ CREDWATCH_CLOUD: "AzureUSGovernment", CREDWATCH_GRAPH_ENDPOINT: "https://dod-graph.microsoft.us" });
    expect(dod.cloud.graphEndpoint).toBe("https://dod-graph.microsoft.us");
    expect(dod.cloud.authorityHost).toBe("https://login.microsoftonline.us");
  });

  it("maps China to its endpoints", () => {
    expect(loadConfig({ CREDWATCH_CLOUD: "AzureChinaCloud" }).cloud).toEqual({
      name: "AzureChinaCloud",
      authorityHost: "https://login.chinacloudapi.cn",
      graphEndpoint: "https://microsoftgraph.chinacloudapi.cn",
      armEndpoint: "https://management.chinacloudapi.cn",
    });
  });

  it("accepts names in any case", () => {
    expect(loadConfig({ CREDWATCH_CLOUD: "azurechinacloud" }).cloud.name).toBe("AzureChinaCloud");
  });

  it("rejects an unknown cloud, listing the known ones", () => {
    const message = problemOf("CREDWATCH_CLOUD", "AzureGermanCloud");
    expect(message).toContain("AzurePublicCloud, AzureUSGovernment, AzureChinaCloud, Custom");
    expect(message).toContain('"AzureGermanCloud"');
  });
});

describe("custom endpoints", () => {
  const custom = {
    CREDWATCH_CLOUD: "Custom",
    CREDWATCH_AUTHORITY_HOST: "https://127.0.0.1:8443/",
    CREDWATCH_GRAPH_ENDPOINT: "https://localhost:8443",
    CREDWATCH_ARM_ENDPOINT: "https://[::1]:8443",
  };

  it("uses all three, without trailing slashes", () => {
    expect(loadConfig(custom).cloud).toEqual({
      name: "Custom",
      authorityHost: "https://127.0.0.1:8443",
      graphEndpoint: "https://localhost:8443",
      armEndpoint: "https://[::1]:8443",
    });
  });

  it("names each missing endpoint when the cloud is Custom", () => {
    const found = problems({ CREDWATCH_CLOUD: "Custom", CREDWATCH_GRAPH_ENDPOINT: "https://graph.example" });
    expect(found.map((p) => p.setting)).toEqual(["CREDWATCH_AUTHORITY_HOST", "CREDWATCH_ARM_ENDPOINT"]);
    expect(found[0]!.message).toMatch(/required when CREDWATCH_CLOUD is Custom/);
  });

  it("does not call a malformed endpoint missing as well", () => {
    const found = problems({ ...custom, CREDWATCH_ARM_ENDPOINT: "http://127.0.0.1:8443" });
    expect(found).toHaveLength(1);
    expect(found[0]!.setting).toBe("CREDWATCH_ARM_ENDPOINT");
  });

  it("overrides a named cloud endpoint by endpoint", () => {
    const cloud = loadConfig({ CREDWATCH_ARM_ENDPOINT: "https://arm.proxy.example" }).cloud;
    expect(cloud.name).toBe("AzurePublicCloud");
    expect(cloud.armEndpoint).toBe("https://arm.proxy.example");
    expect(cloud.graphEndpoint).toBe("https://graph.microsoft.com");
  });

  it("refuses plain http and says why", () => {
    const message = problemOf("CREDWATCH_GRAPH_ENDPOINT", "http://127.0.0.1:8080");
    expect(message).toMatch(/https/);
    expect(message).toMatch(/bearer tokens over plain http/);
    expect(message).toContain('"http://127.0.0.1:8080"');
  });

  it.each([
    ["not a url", /must be a URL/],
    ["ftp://graph.example", /https:\/\//],
    ["https://graph.example/v1.0", /without a path/],
    ["https://graph.example?x=1", /without a path, query/],
    ["https://user:pw@graph.example", /user name or password/],
  ])("rejects %s", (raw, reason) => {
    expect(problemOf("CREDWATCH_AUTHORITY_HOST", raw)).toMatch(reason);
  });
});

describe("CREDWATCH_CA_FILE", () => {
  it("reads the certificates and resolves the path", () => {
    const config = loadConfig({ CREDWATCH_CA_FILE: path.relative(process.cwd(), CA) });
    expect(config.caFile).toBe(CA);
    expect(config.caPem).toBe(readFileSync(CA, "utf8"));
  });

  it("keeps certificates only, not a private key sharing the file", () => {
    const cert = readFileSync(CA, "utf8");
    const file = tempFile("bundle.pem", `${cert}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n${cert}`);
    const pem = loadConfig({ CREDWATCH_CA_FILE: file }).caPem!;
    expect(pem).not.toContain("PRIVATE KEY");
    expect(pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it.each([
    ["a missing file", () => "/nonexistent/ca.pem", /cannot be read \(ENOENT\)/],
    ["a directory", () => tmpdir(), /cannot be read \(EISDIR\)/],
    ["a file without a certificate", () => tempFile("empty.pem", "hello\n"), /no PEM certificate/],
    [
      "a certificate block that does not parse",
      () => tempFile("bad.pem", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"),
      /do not parse: number 1/,
    ],
  ])("rejects %s", (_, file, reason) => {
    expect(problemOf("CREDWATCH_CA_FILE", file())).toMatch(reason);
  });
});

describe("CREDWATCH_SUBSCRIPTIONS", () => {
  it("lowercases, trims and deduplicates", () => {
    const subs = loadConfig({ CREDWATCH_SUBSCRIPTIONS: ` ${SUB_A} , ${SUB_B},${SUB_B.toLowerCase()},` }).subscriptions;
    expect(subs).toEqual([SUB_A, SUB_B.toLowerCase()]);
  });

  it("means every subscription when it lists none", () => {
    expect(loadConfig({ CREDWATCH_SUBSCRIPTIONS: " , " }).subscriptions).toBeNull();
  });

  it("names the entries that are not GUIDs", () => {
    const message = problemOf("CREDWATCH_SUBSCRIPTIONS", `${SUB_A},prod,/subscriptions/${SUB_A}`);
    expect(message).toContain(`"prod", "/subscriptions/${SUB_A}"`);
  });
});

describe("CREDWATCH_THRESHOLDS", () => {
  it("sorts descending and drops duplicates", () => {
    expect(loadConfig({ CREDWATCH_THRESHOLDS: "7, 30,1,7,365" }).policy.thresholds).toEqual([365, 30, 7, 1]);
  });

  it.each(["0", "366", "30,-1", "7.5", "1e2", "abc", ","])("rejects %j", (raw) => {
    expect(problemOf("CREDWATCH_THRESHOLDS", raw)).toMatch(/whole numbers of days from 1 to 365/);
  });

  it("names each bad entry", () => {
    expect(problemOf("CREDWATCH_THRESHOLDS", "30,abc,0,7")).toContain('not: "abc", "0"');
  });
});

describe("day counts", () => {
  it("reads the lifetime and lookback", () => {
    const config = loadConfig({ CREDWATCH_MAX_LIFETIME_DAYS: "365", CREDWATCH_ADMIN_LOOKBACK_DAYS: "90" });
    expect(config.policy).toMatchObject({ maxLifetimeDays: 365, adminEventLookbackDays: 90 });
  });

  it.each(["0", "-5", "1.5", "lots", "99999999999999999999"])("rejects a lifetime of %j", (raw) => {
    expect(problemOf("CREDWATCH_MAX_LIFETIME_DAYS", raw)).toMatch(/whole number of days at least 1/);
  });

  it.each(["0", "91", "7d"])("rejects a lookback of %j, saying why 90", (raw) => {
    expect(problemOf("CREDWATCH_ADMIN_LOOKBACK_DAYS", raw)).toMatch(/from 1 to 90: the activity log keeps 90 days/);
  });
});

describe("identity settings", () => {
  it("accepts a tenant GUID or domain and a client GUID", () => {
    expect(loadConfig({ AZURE_TENANT_ID: SUB_B }).tenantId).toBe(SUB_B.toLowerCase());
    expect(loadConfig({ AZURE_TENANT_ID: "Contoso.onmicrosoft.com" }).tenantId).toBe("contoso.onmicrosoft.com");
    expect(() => loadConfig({ AZURE_CLIENT_ID: SUB_A })).not.toThrow();
  });

  it.each(["contoso", "not a tenant", "https://login.microsoftonline.com/contoso.com"])("rejects tenant %j", (raw) => {
    expect(problemOf("AZURE_TENANT_ID", raw)).toMatch(/GUID\) or a verified domain/);
  });

  it("rejects a client id that is not a GUID", () => {
    expect(problemOf("AZURE_CLIENT_ID", "my-identity")).toMatch(/user-assigned managed identity/);
  });
});

describe("ConfigError", () => {
  it("reports every bad setting at once, naming each and its value", () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        CREDWATCH_CLOUD: "Custom",
        CREDWATCH_AUTHORITY_HOST: "http://login.example",
        CREDWATCH_CA_FILE: "/nonexistent/ca.pem",
        CREDWATCH_SUBSCRIPTIONS: "prod",
        CREDWATCH_THRESHOLDS: "30,0",
        CREDWATCH_MAX_LIFETIME_DAYS: "forever",
        CREDWATCH_ADMIN_LOOKBACK_DAYS: "120",
        AZURE_TENANT_ID: "?",
        AZURE_CLIENT_ID: "mi",
      });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.name).toBe("ConfigError");
    const settings = error!.problems.map((p) => p.setting);
    expect(settings).toEqual([
      "CREDWATCH_AUTHORITY_HOST",
      "CREDWATCH_GRAPH_ENDPOINT",
      "CREDWATCH_ARM_ENDPOINT",
      "CREDWATCH_CA_FILE",
      "CREDWATCH_SUBSCRIPTIONS",
      "CREDWATCH_THRESHOLDS",
      "CREDWATCH_MAX_LIFETIME_DAYS",
      "CREDWATCH_ADMIN_LOOKBACK_DAYS",
      "AZURE_TENANT_ID",
      "AZURE_CLIENT_ID",
    ]);
    expect(error!.message).toMatch(/^Invalid credwatch configuration \(10 settings\):/);
    for (const [setting, value] of [
      ["CREDWATCH_AUTHORITY_HOST", "http://login.example"],
      ["CREDWATCH_THRESHOLDS", "30,0"],
      ["CREDWATCH_MAX_LIFETIME_DAYS", "forever"],
      ["AZURE_CLIENT_ID", "mi"],
    ]) {
      expect(error!.message).toMatch(new RegExp(`- ${setting} .*"${value}"`));
    }
  });

  it("never echoes the value of a secret setting", () => {
    const secret = { name: "CREDWATCH_CLOUD", default: null, description: "", secret: true } as const;
    const problem = describeProblem(secret, "xoxb-very-secret", ["must start with xoxb-"]);
    expect(problem.message).not.toContain("very-secret");
    expect(problem.message).toContain("value hidden");
  });

  it("never echoes a bad Slack token or Teams webhook URL", () => {
    const found = problems({ SLACK_BOT_TOKEN: "xoxp-user-token-123", SLACK_CHANNEL: "C0123456789", TEAMS_WEBHOOK_URL: "http://prod.example/workflows?sig=SECRETSIG" });
    expect(found.map((p) => p.setting)).toEqual(["SLACK_BOT_TOKEN", "TEAMS_WEBHOOK_URL"]);
    const text = found.map((p) => p.message).join("\n");
    expect(text).not.toContain("user-token-123");
    expect(text).not.toContain("SECRETSIG");
  });

  it("cuts a very long value", () => {
    const message = problemOf("CREDWATCH_SUBSCRIPTIONS", "x".repeat(5000));
    expect(message.length).toBeLessThan(400);
  });
});

describe("SETTINGS", () => {
  it("documents every setting, with defaults that parse", () => {
    expect(SETTINGS.map((s) => s.name)).toEqual([
      "CREDWATCH_CLOUD",
      "CREDWATCH_AUTHORITY_HOST",
      "CREDWATCH_GRAPH_ENDPOINT",
      "CREDWATCH_ARM_ENDPOINT",
      "CREDWATCH_CA_FILE",
      "CREDWATCH_SUBSCRIPTIONS",
      "CREDWATCH_THRESHOLDS",
      "CREDWATCH_MAX_LIFETIME_DAYS",
      "CREDWATCH_ADMIN_LOOKBACK_DAYS",
      "AZURE_TENANT_ID",
      "AZURE_CLIENT_ID",
      "SLACK_BOT_TOKEN",
      "SLACK_CHANNEL",
      "SLACK_API_URL",
      "SLACK_SIGNING_SECRET",
      "TEAMS_WEBHOOK_URL",
      "CREDWATCH_NOTIFY_OWNERS",
      "CREDWATCH_HEARTBEAT",
      "CREDWATCH_LEDGER",
      "CREDWATCH_LEDGER_TABLE",
      "CREDWATCH_SUPPRESSIONS",
      "CREDWATCH_SCHEDULE",
      "CREDWATCH_INCREMENTAL",
      "CREDWATCH_FULL_SWEEP_DAYS",
      "CREDWATCH_FANOUT_SUBSCRIPTIONS",
      "AzureWebJobsStorage",
      "AzureWebJobsStorage__accountName",
      "AzureWebJobsStorage__tableServiceUri",
      "AzureWebJobsStorage__queueServiceUri",
    ]);
    expect(SETTINGS.filter((s) => s.secret).map((s) => s.name)).toEqual(["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "TEAMS_WEBHOOK_URL", "CREDWATCH_LEDGER", "AzureWebJobsStorage"]);
    const defaults = Object.fromEntries(SETTINGS.flatMap((s) => (s.default === null ? [] : [[s.name, s.default]])));
    expect(defaults).toEqual({
      CREDWATCH_CLOUD: "AzurePublicCloud",
      CREDWATCH_THRESHOLDS: "30,14,7,1",
      CREDWATCH_MAX_LIFETIME_DAYS: "730",
      CREDWATCH_ADMIN_LOOKBACK_DAYS: "7",
      CREDWATCH_NOTIFY_OWNERS: "false",
      CREDWATCH_HEARTBEAT: "false",
      CREDWATCH_LEDGER_TABLE: "credwatchledger",
      CREDWATCH_SCHEDULE: "0 0 6 * * *",
      CREDWATCH_INCREMENTAL: "false",
      CREDWATCH_FULL_SWEEP_DAYS: "7",
      CREDWATCH_FANOUT_SUBSCRIPTIONS: "50",
    });
    expect(loadConfig(defaults)).toEqual(loadConfig({}));
    for (const s of SETTINGS) expect(s.description.length).toBeGreaterThan(20);
  });

  it("renders a Markdown table with one row per setting", () => {
    const lines = describeSettings().trimEnd().split("\n");
    expect(lines[0]).toBe("| Setting | Default | Description |");
    expect(lines).toHaveLength(SETTINGS.length + 2);
    expect(lines).toContain(lines.find((l) => l.startsWith("| `CREDWATCH_THRESHOLDS` | `30,14,7,1` |")));
  });
});

describe("notification settings", () => {
  const slack = { SLACK_BOT_TOKEN: "xoxb-1-2-abc", SLACK_CHANNEL: "#platform-alerts" };

  it("reads Slack, Teams, owners and heartbeat", () => {
    const config = loadConfig({ ...slack, SLACK_API_URL: "https://slack-gov.com/api", TEAMS_WEBHOOK_URL: "https://prod-1.westeurope.logic.azure.com/workflows/x?sig=y", CREDWATCH_NOTIFY_OWNERS: "true", CREDWATCH_HEARTBEAT: "yes" });
    expect(config.notify).toEqual({
      slack: { token: "xoxb-1-2-abc", channel: "#platform-alerts", apiUrl: "https://slack-gov.com/api/" },
      teams: { webhookUrl: "https://prod-1.westeurope.logic.azure.com/workflows/x?sig=y" },
      owners: true,
      heartbeat: true,
      slackSigningSecret: null,
    });
  });

  it("reads the Slack signing secret, never echoing a bad one", () => {
    expect(loadConfig({ SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99e7a1c385a5" }).notify.slackSigningSecret).toBe("8f742231b10e8888abcd99e7a1c385a5");
    const message = problemOf("SLACK_SIGNING_SECRET", "not a secret!");
    expect(message).toMatch(/Signing Secret/);
    expect(message).not.toContain("not a secret!");
  });

  it("accepts plain http only on a loopback host", () => {
    expect(loadConfig({ TEAMS_WEBHOOK_URL: "http://127.0.0.1:7071/teams" }).notify.teams?.webhookUrl).toBe("http://127.0.0.1:7071/teams");
    expect(problemOf("TEAMS_WEBHOOK_URL", "http://hooks.example.com/x")).toMatch(/https/);
  });

  it("names the missing half of the Slack pair, and owners without Slack", () => {
    expect(problems({ SLACK_BOT_TOKEN: "xoxb-1" }).map((p) => p.setting)).toEqual(["SLACK_CHANNEL"]);
    expect(problems({ SLACK_CHANNEL: "C0123456789" }).map((p) => p.setting)).toEqual(["SLACK_BOT_TOKEN"]);
    expect(problems({ CREDWATCH_NOTIFY_OWNERS: "true" }).map((p) => p.setting)).toEqual(["CREDWATCH_NOTIFY_OWNERS"]);
    expect(problemOf("CREDWATCH_HEARTBEAT", "sometimes")).toMatch(/true or false/);
  });
});

describe("CREDWATCH_LEDGER", () => {
  it("tells a connection string, a table URL and a file path apart", () => {
    expect(loadConfig({ CREDWATCH_LEDGER: "UseDevelopmentStorage=true" }).ledger).toEqual({ kind: "connection-string", connectionString: "UseDevelopmentStorage=true", table: "credwatchledger" });
    expect(loadConfig({ CREDWATCH_LEDGER: "https://acct.table.core.windows.net/", CREDWATCH_LEDGER_TABLE: "alerts" }).ledger).toEqual({ kind: "table-endpoint", url: "https://acct.table.core.windows.net", table: "alerts" });
    expect(loadConfig({ CREDWATCH_LEDGER: "state/ledger.json" }).ledger).toEqual({ kind: "file", path: path.resolve("state/ledger.json"), table: "credwatchledger" });
  });

  it("defaults to the Functions host's storage, identity-based in Azure", () => {
    expect(loadConfig({ AzureWebJobsStorage__accountName: "credwatchst" }).ledger).toEqual({ kind: "table-endpoint", url: "https://credwatchst.table.core.windows.net", table: "credwatchledger" });
    expect(loadConfig({ CREDWATCH_CLOUD: "AzureUSGovernment", AzureWebJobsStorage__accountName: "credwatchst" }).ledger).toMatchObject({ url: "https://credwatchst.table.core.usgovcloudapi.net" });
    expect(loadConfig({ AzureWebJobsStorage: "UseDevelopmentStorage=true" }).ledger).toMatchObject({ kind: "connection-string" });
  });

  it("refuses a connection string without an account, hiding its value", () => {
    const message = problemOf("CREDWATCH_LEDGER", "DefaultEndpointsProtocol=https;AccountKey=c2VjcmV0");
    expect(message).toMatch(/connection string/);
    expect(message).not.toContain("c2VjcmV0");
    expect(problemOf("CREDWATCH_LEDGER_TABLE", "1-bad")).toMatch(/letters and digits/);
  });
});

describe("CREDWATCH_SCHEDULE", () => {
  it("accepts six-field NCRONTAB and rejects five fields or nonsense", () => {
    expect(loadConfig({ CREDWATCH_SCHEDULE: "0 30 5 * * Mon-Fri" }).schedule).toBe("0 30 5 * * Mon-Fri");
    expect(problemOf("CREDWATCH_SCHEDULE", "0 6 * * *")).toMatch(/six fields/);
    expect(problemOf("CREDWATCH_SCHEDULE", "0 0 99 * * *")).toMatch(/NCRONTAB/);
  });
});

describe("CREDWATCH_SUPPRESSIONS", () => {
  it("reads rules inline or from a file", () => {
    const inline = loadConfig({ CREDWATCH_SUPPRESSIONS: '[{"subject": "legacy-sync", "reason": "accepted risk"}]' });
    expect(inline.suppressions.map((r) => [r.index, r.subject, r.reason])).toEqual([[1, "legacy-sync", "accepted risk"]]);
    const file = tempFile("rules.json", JSON.stringify({ rules: [{ kind: "admin-user-enabled", registry: "acrdev", reason: "dev only", until: "2027-01-31" }] }));
    expect(loadConfig({ CREDWATCH_SUPPRESSIONS: file }).suppressions[0]).toMatchObject({ registry: "acrdev", until: "2027-01-31T23:59:59.999Z" });
  });

  it("names each bad rule, and a missing file", () => {
    const message = problemOf("CREDWATCH_SUPPRESSIONS", '[{"subject": "a", "reason": "r"}, {"subject": "payments-api", "until": "soon", "reason": "r"}]');
    expect(message).toMatch(/rule 2 \(payments-api\): until: must be a date/);
    expect(problemOf("CREDWATCH_SUPPRESSIONS", "/nonexistent/rules.json")).toMatch(/cannot be read \(ENOENT\)/);
  });
});

describe("fan-out sweeps", () => {
  it("fan out beyond 50 subscriptions by default; 0 means only when asked", () => {
    expect(loadConfig({}).fanout.subscriptions).toBe(50);
    expect(loadConfig({ CREDWATCH_FANOUT_SUBSCRIPTIONS: "0" }).fanout.subscriptions).toBe(0);
    expect(problemOf("CREDWATCH_FANOUT_SUBSCRIPTIONS", "many")).toMatch(/whole number of subscriptions/);
    expect(problemOf("CREDWATCH_FANOUT_SUBSCRIPTIONS", "-1")).toMatch(/whole number/);
  });

  it("use the Functions host's storage, where the queue trigger listens — never CREDWATCH_LEDGER", () => {
    expect(loadConfig({}).fanout.storage).toBeNull();
    expect(loadConfig({ CREDWATCH_LEDGER: "UseDevelopmentStorage=true" }).fanout.storage).toBeNull();
    expect(loadConfig({ AzureWebJobsStorage: "UseDevelopmentStorage=true", CREDWATCH_LEDGER: "ledger.json" }).fanout.storage).toEqual({
      kind: "connection-string",
      connectionString: "UseDevelopmentStorage=true",
    });
  });

  it("reach the host's identity-based account by its queue and table service URLs", () => {
    expect(loadConfig({ AzureWebJobsStorage__accountName: "credwatchst" }).fanout.storage).toEqual({
      kind: "service-urls",
      queueUrl: "https://credwatchst.queue.core.windows.net",
      tableUrl: "https://credwatchst.table.core.windows.net",
    });
    expect(loadConfig({ CREDWATCH_CLOUD: "AzureChinaCloud", AzureWebJobsStorage__accountName: "credwatchst" }).fanout.storage).toMatchObject({
      queueUrl: "https://credwatchst.queue.core.chinacloudapi.cn",
    });
    // The service URIs, as infra/ sets them, win (and are what a custom cloud needs).
    expect(
      loadConfig({
        AzureWebJobsStorage__accountName: "credwatchst",
        AzureWebJobsStorage__queueServiceUri: "https://credwatchst.queue.example.net/",
        AzureWebJobsStorage__tableServiceUri: "https://credwatchst.table.example.net/",
      }).fanout.storage,
    ).toEqual({ kind: "service-urls", queueUrl: "https://credwatchst.queue.example.net/", tableUrl: "https://credwatchst.table.example.net" });
    expect(problemOf("AzureWebJobsStorage__queueServiceUri", "http://credwatchst.queue.example.net")).toMatch(/https/);
  });
});
