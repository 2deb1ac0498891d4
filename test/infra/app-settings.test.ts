// The deployed app's settings against the config schema: every setting credwatch reads in Azure is
// set, nothing is set that credwatch does not read, defaults agree, and secrets are Key Vault
// references that nothing else sees.
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../shared/config/index.js";
import { SHARD_QUEUE } from "../../shared/fanout/message.js";
import { SWEEP_TABLE } from "../../shared/fanout/records.js";
import { bicepFile, block, objectEntries, params, readRepoFile, resources } from "./bicep.js";

const main = bicepFile("infra/main.bicep");
const keyVault = bicepFile("infra/modules/key-vault.bicep");
const appSettings = objectEntries(block(main.code, /^var appSettings = \{/));
const mainParams = params(main);
const settingNames = new Set(SETTINGS.map((s) => s.name as string));

/** Settings of the schema that the deployed app must not set, and why. */
const NOT_IN_AZURE: Record<string, string> = {
  CREDWATCH_CA_FILE: "a PEM file on disk, for the sandbox and TLS-inspecting proxies; Azure's endpoints need no extra CA",
  CREDWATCH_LEDGER: "empty means the app's own storage (AzureWebJobsStorage__tableServiceUri), where infra/ creates the ledger table",
  AzureWebJobsStorage: "a connection string carries the account key; the app uses its identity (AzureWebJobsStorage__*)",
};

/** Settings the Functions platform reads that are not credwatch's. */
const HOST_SETTINGS = new Set([
  "AzureWebJobsStorage__credential",
  "AzureWebJobsStorage__clientId",
  "AzureWebJobsStorage__blobServiceUri",
  "APPLICATIONINSIGHTS_CONNECTION_STRING",
  "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
]);

const KEY_VAULT_REFERENCE = /^(\w+) \? '@Microsoft\.KeyVault\(SecretUri=\$\{keyVault\.outputs\.\w+\}\)' : ''$/;

describe("app settings (infra/main.bicep)", () => {
  it("are found", () => {
    expect(appSettings.size).toBeGreaterThan(10);
  });

  it("set every setting credwatch reads in Azure", () => {
    const missing = SETTINGS.map((s) => s.name as string).filter((name) => !(name in NOT_IN_AZURE) && !appSettings.has(name));
    expect(missing).toEqual([]);
  });

  it("leave out only settings the schema has, each for a reason", () => {
    for (const [name, reason] of Object.entries(NOT_IN_AZURE)) {
      expect(settingNames.has(name), `${name} is no longer a setting: drop it from NOT_IN_AZURE`).toBe(true);
      expect(appSettings.has(name), `${name}: ${reason}`).toBe(false);
    }
  });

  it("set nothing but credwatch's settings and the platform's", () => {
    const unknown = [...appSettings.keys()].filter((name) => !settingNames.has(name) && !HOST_SETTINGS.has(name));
    expect(unknown).toEqual([]);
    // In particular no CREDWATCH_*, SLACK_*, TEAMS_* or AZURE_* name that credwatch does not read.
    const prefixed = [...appSettings.keys()].filter((name) => /^(CREDWATCH|SLACK|TEAMS|AZURE)_/.test(name));
    expect(prefixed.filter((name) => !settingNames.has(name))).toEqual([]);
  });

  it("default to the schema's defaults (empty where the schema has none)", () => {
    let compared = 0;
    for (const setting of SETTINGS) {
      const expression = appSettings.get(setting.name);
      const param = expression === undefined ? undefined : mainParams.get(expression);
      if (!param || param.literal === null) continue;
      expect(param.literal, `${setting.name} (param ${param.name})`).toBe(setting.default ?? "");
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(10);
  });

  it("follow the cloud the app is deployed to unless told otherwise", () => {
    const cloud = mainParams.get(appSettings.get("CREDWATCH_CLOUD")!);
    expect(cloud?.defaultText).toContain("environment().name");
    expect(cloud?.defaultText).toContain("'AzurePublicCloud'");
  });

  it("hold secrets only as Key Vault references, empty when not configured", () => {
    const secrets = SETTINGS.filter((s) => s.secret && appSettings.has(s.name));
    expect(secrets.map((s) => s.name)).toEqual(expect.arrayContaining(["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "TEAMS_WEBHOOK_URL"]));
    for (const setting of secrets) {
      expect(appSettings.get(setting.name), setting.name).toMatch(KEY_VAULT_REFERENCE);
    }
    // Nowhere else does an app setting take a value from Key Vault or a secure parameter.
    const secure = [...mainParams.values()].filter((p) => p.secure).map((p) => p.name);
    for (const [name, expression] of appSettings) {
      if (secrets.some((s) => s.name === name)) continue;
      expect(expression, name).not.toMatch(/KeyVault/);
      for (const param of secure) expect(expression, name).not.toMatch(new RegExp(`\\b${param}\\b`));
    }
  });

  it("pass the secure parameters to nothing but Key Vault secrets", () => {
    const secure = [...mainParams.values()].filter((p) => p.secure);
    expect(secure.map((p) => p.name).sort()).toEqual(["slackBotToken", "slackSigningSecret", "teamsWebhookUrl"]);
    const keyVaultModule = block(main.code, /^module keyVault 'modules\/key-vault\.bicep' = \{/);
    for (const { name } of secure) {
      const uses = main.code.split("\n").filter((line) => new RegExp(`\\b${name}\\b`).test(line));
      for (const line of uses) {
        const allowed =
          /^param \w+ string = ''$/.test(line.trim()) ||
          new RegExp(`^var \\w+ = !empty\\(${name}\\)$`).test(line.trim()) ||
          (line.trim() === `${name}: ${name}` && keyVaultModule.includes(line));
        expect(allowed, `main.bicep uses ${name} in: ${line.trim()}`).toBe(true);
      }
      // In the module: declared secure, stored as a secret's value, and that is all.
      const moduleParam = params(keyVault).get(name);
      expect(moduleParam?.secure, `key-vault.bicep param ${name} is @secure()`).toBe(true);
      const moduleUses = keyVault.code.split("\n").filter((line) => new RegExp(`\\b${name}\\b`).test(line));
      expect(moduleUses.map((l) => l.trim()).sort()).toEqual([`param ${name} string`, `value: ${name}`].sort());
      const holders = resources(keyVault).filter((r) => r.body.includes(`value: ${name}`));
      expect(holders.map((r) => r.typeVersion.split("@")[0])).toEqual(["Microsoft.KeyVault/vaults/secrets"]);
    }
    expect(keyVault.code).not.toMatch(/^output .*\b(slackBotToken|slackSigningSecret|teamsWebhookUrl)\b/m);
  });

  it("run as the user-assigned identity, for Azure SDK clients and host storage alike", () => {
    expect(appSettings.get("AZURE_CLIENT_ID")).toBe("identity.outputs.clientId");
    expect(appSettings.get("AzureWebJobsStorage__clientId")).toBe("identity.outputs.clientId");
    expect(appSettings.get("AzureWebJobsStorage__credential")).toBe("'managedidentity'");
    expect(appSettings.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")).toBe("'ClientId=${identity.outputs.clientId};Authorization=AAD'");
    const functionApp = bicepFile("infra/modules/function-app.bicep").code;
    expect(functionApp).toMatch(/^\s*keyVaultReferenceIdentity: identityId$/m);
    expect(functionApp).toMatch(/^\s*type: 'UserAssigned'$/m);
  });

  it("name the ledger table that infra/ creates", () => {
    expect(appSettings.get("CREDWATCH_LEDGER_TABLE")).toBe("ledgerTable");
    expect(block(main.code, /^module storage 'modules\/storage\.bicep' = \{/)).toMatch(/^\s*ledgerTableName: ledgerTable$/m);
    expect(bicepFile("infra/modules/storage.bicep").code).toMatch(
      /resource ledgerTable 'Microsoft\.Storage\/storageAccounts\/tableServices\/tables@[^']+' = \{\n\s*parent: tableService\n\s*name: ledgerTableName/,
    );
  });

  it("create the shard queue and sweep table of fan-out sweeps in the host's storage, which the identity may use", () => {
    const storage = bicepFile("infra/modules/storage.bicep").code;
    expect(storage).toMatch(/resource shardQueue 'Microsoft\.Storage\/storageAccounts\/queueServices\/queues@[^']+' = \{\n\s*parent: queueService\n\s*name: shardQueueName/);
    expect(storage).toMatch(/resource sweepTable 'Microsoft\.Storage\/storageAccounts\/tableServices\/tables@[^']+' = \{\n\s*parent: tableService\n\s*name: sweepTableName/);
    expect(params(bicepFile("infra/modules/storage.bicep")).get("shardQueueName")?.literal).toBe(SHARD_QUEUE);
    expect(params(bicepFile("infra/modules/storage.bicep")).get("sweepTableName")?.literal).toBe(SWEEP_TABLE);
    // Storage Queue Data Contributor on the account: send (starter), receive and delete (trigger).
    expect(storage).toMatch(/roleDefinitionId: subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', storageQueueDataContributor\)/);
    expect(appSettings.get("AzureWebJobsStorage__queueServiceUri")).toBe("storage.outputs.queueEndpoint");
  });

  it("can each be given through azd (infra/main.parameters.json maps a parameter to its setting's name)", () => {
    const parameters = JSON.parse(readRepoFile("infra/main.parameters.json")).parameters as Record<string, { value: string }>;
    for (const name of Object.keys(parameters)) expect(mainParams.has(name), `main.parameters.json: ${name} is no parameter`).toBe(true);
    let mapped = 0;
    for (const [setting, expression] of appSettings) {
      if (!mainParams.has(expression)) continue;
      expect(parameters[expression]?.value, `${setting} (param ${expression})`).toBe(`\${${setting}}`);
      mapped++;
    }
    expect(mapped).toBeGreaterThanOrEqual(12);
    // The secure parameters too, so azd env set SLACK_BOT_TOKEN ... reaches Key Vault.
    expect(parameters.slackBotToken?.value).toBe("${SLACK_BOT_TOKEN}");
    expect(parameters.teamsWebhookUrl?.value).toBe("${TEAMS_WEBHOOK_URL}");
    expect(parameters.slackSigningSecret?.value).toBe("${SLACK_SIGNING_SECRET}");
  });
});
