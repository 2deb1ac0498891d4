// The one schema over credwatch's environment. A setting is one entry in FIELDS: its parser, its
// default (an environment string, parsed like any other value) and its documentation. New settings
// (Slack, Teams, ledger, schedule) are new entries here plus their place in Config.
import { z } from "zod";
import type { Policy } from "../model.js";
import { KNOWN_CLOUDS, type Cloud, type CloudName } from "./clouds.js";
import * as value from "./values.js";
import type { SuppressionRule } from "../suppress/rules.js";

export interface Config {
  cloud: Cloud;
  /** Certificates of CREDWATCH_CA_FILE (certificate blocks only), for TLS and NODE_EXTRA_CA_CERTS. */
  caPem: string | null;
  /** Absolute path of CREDWATCH_CA_FILE. */
  caFile: string | null;
  /** Lowercased subscription ids; null: every subscription the identity can read. */
  subscriptions: string[] | null;
  policy: Policy;
  tenantId: string | null;
  notify: NotifySettings;
  /** Where the alert ledger lives; null: the adapter's default (.credwatch/ledger.json for the CLI). */
  ledger: LedgerLocation | null;
  /** NCRONTAB schedule of the nightly sweep (the timer reads it as %CREDWATCH_SCHEDULE%). */
  schedule: string;
  /** Suppression rules (CREDWATCH_SUPPRESSIONS), in their order; empty: none. */
  suppressions: SuppressionRule[];
  /** Incremental sweeps of the directory (inventory store beside the ledger). */
  incremental: { enabled: boolean; fullSweepDays: number };
  /** Fan-out sweeps (shared/fanout/): beyond how many subscriptions (0: only when asked), and where the queue and sweep records live. */
  fanout: { subscriptions: number; storage: FanoutStorage | null };
}

/**
 * The Functions host's own storage (AzureWebJobsStorage), where the shard queue's trigger listens:
 * a connection string locally, the queue and table service URLs of its account (managed identity) in Azure.
 */
export type FanoutStorage = { kind: "connection-string"; connectionString: string } | { kind: "service-urls"; queueUrl: string; tableUrl: string };

export interface NotifySettings {
  slack: { token: string; channel: string; apiUrl: string | null } | null;
  teams: { webhookUrl: string } | null;
  /** Message application owners directly (Slack, looked up by e-mail). */
  owners: boolean;
  /** Post "all clear, N credentials checked" after a complete sweep with nothing to say. */
  heartbeat: boolean;
  /** Verifies requests from Slack's buttons (functions/slack-interactions.ts); null: not set up. */
  slackSigningSecret: string | null;
}

export type LedgerLocation = value.LedgerTarget & { table: string };

interface Field {
  /** What an unset or empty variable means, as an environment string; null: no value. */
  default: string | null;
  description: string;
  /** Secret values are never echoed in error messages. */
  secret?: boolean;
  schema: z.ZodType<unknown, string | undefined>;
}

const ENDPOINT_NOTE = "https URL without a path. Required when CREDWATCH_CLOUD is Custom; otherwise overrides the cloud's.";

export const FIELDS = {
  CREDWATCH_CLOUD: {
    default: "AzurePublicCloud",
    description: "Azure cloud: AzurePublicCloud, AzureUSGovernment, AzureChinaCloud, or Custom (then set the three endpoints).",
    schema: value.cloudName,
  },
  CREDWATCH_AUTHORITY_HOST: {
    default: null,
    description: `Microsoft Entra ID authority host, e.g. https://login.microsoftonline.us. ${ENDPOINT_NOTE}`,
    schema: value.orNull(value.httpsEndpoint),
  },
  CREDWATCH_GRAPH_ENDPOINT: {
    default: null,
    description: `Microsoft Graph endpoint, e.g. https://dod-graph.microsoft.us for US Government DoD tenants. ${ENDPOINT_NOTE}`,
    schema: value.orNull(value.httpsEndpoint),
  },
  CREDWATCH_ARM_ENDPOINT: {
    default: null,
    description: `Azure Resource Manager endpoint, e.g. https://management.usgovcloudapi.net. ${ENDPOINT_NOTE}`,
    schema: value.orNull(value.httpsEndpoint),
  },
  CREDWATCH_CA_FILE: {
    default: null,
    description: "PEM file of extra CA certificates to trust (the sandbox, TLS-inspecting proxies).",
    schema: value.orNull(value.caFile),
  },
  CREDWATCH_SUBSCRIPTIONS: {
    default: null,
    description: "Comma-separated subscription ids to sweep. Empty: every subscription the identity can read.",
    schema: value.orNull(value.subscriptionIds),
  },
  CREDWATCH_THRESHOLDS: {
    default: "30,14,7,1",
    description: "Comma-separated expiry windows in days (1 to 365 each).",
    schema: value.thresholdDays,
  },
  CREDWATCH_MAX_LIFETIME_DAYS: {
    default: "730",
    description: "Credentials valid for longer than this many days are reported as long-lived.",
    schema: value.days(1, Number.MAX_SAFE_INTEGER),
  },
  CREDWATCH_ADMIN_LOOKBACK_DAYS: {
    default: "7",
    description: "How many days back a registry admin-key regeneration is reported (1 to 90).",
    schema: value.days(1, 90, ": the activity log keeps 90 days"),
  },
  AZURE_TENANT_ID: {
    default: null,
    description: "Tenant to sweep (GUID or domain); read by @azure/identity. Empty: the identity's own tenant.",
    schema: value.orNull(value.tenantId),
  },
  AZURE_CLIENT_ID: {
    default: null,
    description: "Client id of a user-assigned managed identity; read by @azure/identity. Empty: the system-assigned one.",
    schema: value.orNull(value.clientId),
  },
  SLACK_BOT_TOKEN: {
    default: null,
    description: "Slack bot token (xoxb-...) with chat:write (and users:read.email for CREDWATCH_NOTIFY_OWNERS). Set with SLACK_CHANNEL.",
    secret: true,
    schema: value.orNull(value.slackBotToken),
  },
  SLACK_CHANNEL: {
    default: null,
    description: "Slack channel for the digest: an id (C0123456789) or #name the bot is a member of.",
    schema: value.orNull(value.slackChannel),
  },
  SLACK_API_URL: {
    default: null,
    description: "Slack Web API base URL, for GovSlack (https://slack-gov.com/api/) or a local receiver. Empty: https://slack.com/api/.",
    schema: value.orNull(value.postUrl("Slack API", { trailingSlash: true })),
  },
  SLACK_SIGNING_SECRET: {
    default: null,
    description: "Slack app Signing Secret (Basic Information → App Credentials): verifies the Snooze / Acknowledge button clicks Slack sends to /api/slack/interactions. Required for the buttons to work.",
    secret: true,
    schema: value.orNull(value.slackSigningSecret),
  },
  TEAMS_WEBHOOK_URL: {
    default: null,
    description: "Teams Workflows webhook URL (\"When a Teams webhook request is received\").",
    secret: true,
    schema: value.orNull(value.postUrl("Teams Workflows webhook")),
  },
  CREDWATCH_NOTIFY_OWNERS: {
    default: "false",
    description: "Also message each finding's owners directly in Slack (looked up by e-mail).",
    schema: value.flag,
  },
  CREDWATCH_HEARTBEAT: {
    default: "false",
    description: "After a complete sweep with nothing new, post \"all clear, N credentials checked\".",
    schema: value.flag,
  },
  CREDWATCH_LEDGER: {
    default: null,
    description: "Alert ledger: an Azure Table Storage connection string (UseDevelopmentStorage=true for Azurite), a table service URL (managed identity), or a file path. Empty: AzureWebJobsStorage in the Functions app, .credwatch/ledger.json for the CLI.",
    secret: true,
    schema: value.orNull(value.ledgerTarget),
  },
  CREDWATCH_LEDGER_TABLE: {
    default: "credwatchledger",
    description: "Table name of the alert ledger in Table Storage.",
    schema: value.tableName,
  },
  CREDWATCH_SUPPRESSIONS: {
    default: null,
    description: "Suppression rules: JSON ([{\"kind\": ..., \"subject\": \"glob\", \"reason\": ..., \"until\": \"2027-06-30\"}]) or the path of a JSON file. See docs/suppressions.md.",
    schema: value.orNull(value.suppressionRules),
  },
  CREDWATCH_SCHEDULE: {
    default: "0 0 6 * * *",
    description: "When the nightly sweep runs: NCRONTAB, six fields, UTC.",
    schema: value.ncrontab,
  },
  CREDWATCH_INCREMENTAL: {
    default: "false",
    description: "Read only what changed in the directory since the last sweep (Graph delta queries), keeping an inventory beside the ledger: table credwatchinventory, or credwatch-inventory.json in the ledger file's folder (.credwatch/ for the CLI). For scheduled sweeps.",
    schema: value.flag,
  },
  CREDWATCH_FULL_SWEEP_DAYS: {
    default: "7",
    description: "With CREDWATCH_INCREMENTAL: read the whole directory at least every this many days (1 to 90). A sweep seven or more days after the previous one is full anyway: Graph's delta links expire.",
    schema: value.days(1, 90),
  },
  CREDWATCH_FANOUT_SUBSCRIPTIONS: {
    default: "50",
    description: "A sweep of more subscriptions than this fans out: one queue message per subscription (and one for the directory), worked by as many instances as the Functions host scales to, merged in Table Storage; the HTTP sweep then answers 202 with a status URL. 0: only when asked (mode=fanout). Needs the Functions host's storage (AzureWebJobsStorage).",
    schema: value.count(0, 1_000_000, "subscriptions"),
  },
  AzureWebJobsStorage: {
    default: null,
    description: "Set by the Functions host: its storage connection string (local development). The ledger's default.",
    secret: true,
    schema: value.orNull(value.ledgerTarget),
  },
  AzureWebJobsStorage__accountName: {
    default: null,
    description: "Set by the Functions host (identity-based storage): the storage account holding the ledger table.",
    schema: value.orNull(value.storageAccountName),
  },
  AzureWebJobsStorage__tableServiceUri: {
    default: null,
    description: "Set by the Functions host (identity-based storage): the table service URL, where the account name is not enough (custom clouds).",
    schema: value.orNull(value.ledgerTarget),
  },
  AzureWebJobsStorage__queueServiceUri: {
    default: null,
    description: "Set by the Functions host (identity-based storage): the queue service URL, where fan-out sweeps queue their shards; needed where the account name is not enough (custom clouds).",
    schema: value.orNull(value.postUrl("queue service")),
  },
} as const satisfies Record<string, Field>;

export type SettingName = keyof typeof FIELDS;

const ENDPOINT_SETTINGS = {
  authorityHost: "CREDWATCH_AUTHORITY_HOST",
  graphEndpoint: "CREDWATCH_GRAPH_ENDPOINT",
  armEndpoint: "CREDWATCH_ARM_ENDPOINT",
} as const;

type Fields = typeof FIELDS;
type Parsed = { [K in SettingName]: z.output<Fields[K]["schema"]> };

/** The named cloud's endpoints with any set endpoint setting in their place; for Custom, the
 *  settings that are missing. */
function resolveCloud(v: Parsed): { cloud: Cloud } | { missing: SettingName[] } {
  const name: CloudName = v.CREDWATCH_CLOUD;
  const base = name === "Custom" ? null : KNOWN_CLOUDS[name];
  const authorityHost = v.CREDWATCH_AUTHORITY_HOST ?? base?.authorityHost;
  const graphEndpoint = v.CREDWATCH_GRAPH_ENDPOINT ?? base?.graphEndpoint;
  const armEndpoint = v.CREDWATCH_ARM_ENDPOINT ?? base?.armEndpoint;
  if (authorityHost && graphEndpoint && armEndpoint) {
    return { cloud: { name, authorityHost, graphEndpoint, armEndpoint } };
  }
  const found = { authorityHost, graphEndpoint, armEndpoint };
  const missing = (Object.keys(ENDPOINT_SETTINGS) as (keyof typeof ENDPOINT_SETTINGS)[])
    .filter((key) => !found[key])
    .map((key) => ENDPOINT_SETTINGS[key]);
  return { missing };
}

const shape = Object.fromEntries(Object.entries(FIELDS).map(([name, field]) => [name, field.schema])) as {
  [K in SettingName]: Fields[K]["schema"];
};

export const environmentSchema = z
  .object(shape)
  .superRefine((v, ctx) => {
    const resolved = resolveCloud(v);
    if (!("missing" in resolved)) return;
    for (const setting of resolved.missing) {
      ctx.addIssue({ code: "custom", path: [setting], message: "is required when CREDWATCH_CLOUD is Custom" });
    }
  }, {
    // Run even when other settings failed, so every problem is reported in one go; but only when
    // the cloud and endpoints themselves parsed (their own issues say enough otherwise). An endpoint
    // that failed to parse is not undefined, so it is never also called missing.
    when: (payload) => !payload.issues.some((issue) => issue.path?.[0] === "CREDWATCH_CLOUD"),
  })
  .superRefine((v, ctx) => {
    // Settings that only make sense together; each problem names the setting to add.
    const need = (setting: SettingName, why: string) => ctx.addIssue({ code: "custom", path: [setting], message: why });
    if (v.SLACK_BOT_TOKEN && !v.SLACK_CHANNEL) need("SLACK_CHANNEL", "is required when SLACK_BOT_TOKEN is set");
    if (v.SLACK_CHANNEL && !v.SLACK_BOT_TOKEN) need("SLACK_BOT_TOKEN", "is required when SLACK_CHANNEL is set");
    if (v.CREDWATCH_NOTIFY_OWNERS && !v.SLACK_BOT_TOKEN) need("CREDWATCH_NOTIFY_OWNERS", "needs Slack (SLACK_BOT_TOKEN and SLACK_CHANNEL): owners are messaged in Slack");
  }, { when: () => true })
  .transform((v): Config => {
    const resolved = resolveCloud(v);
    // superRefine above has reported this; zod runs no transform once there are issues.
    if ("missing" in resolved) throw new Error(`unreachable: missing ${resolved.missing.join(", ")}`);
    return {
      cloud: resolved.cloud,
      caPem: v.CREDWATCH_CA_FILE?.pem ?? null,
      caFile: v.CREDWATCH_CA_FILE?.file ?? null,
      subscriptions: v.CREDWATCH_SUBSCRIPTIONS,
      policy: {
        thresholds: v.CREDWATCH_THRESHOLDS,
        maxLifetimeDays: v.CREDWATCH_MAX_LIFETIME_DAYS,
        adminEventLookbackDays: v.CREDWATCH_ADMIN_LOOKBACK_DAYS,
      },
      tenantId: v.AZURE_TENANT_ID,
      notify: {
        slack: v.SLACK_BOT_TOKEN && v.SLACK_CHANNEL ? { token: v.SLACK_BOT_TOKEN, channel: v.SLACK_CHANNEL, apiUrl: v.SLACK_API_URL } : null,
        teams: v.TEAMS_WEBHOOK_URL ? { webhookUrl: v.TEAMS_WEBHOOK_URL } : null,
        owners: v.CREDWATCH_NOTIFY_OWNERS,
        heartbeat: v.CREDWATCH_HEARTBEAT,
        slackSigningSecret: v.SLACK_SIGNING_SECRET,
      },
      ledger: ledgerLocation(v, resolved.cloud),
      schedule: v.CREDWATCH_SCHEDULE,
      suppressions: v.CREDWATCH_SUPPRESSIONS ?? [],
      incremental: { enabled: v.CREDWATCH_INCREMENTAL, fullSweepDays: v.CREDWATCH_FULL_SWEEP_DAYS },
      fanout: { subscriptions: v.CREDWATCH_FANOUT_SUBSCRIPTIONS, storage: fanoutStorage(v, resolved.cloud) },
    };
  });

/**
 * The ledger: CREDWATCH_LEDGER when set, else the Functions host's own storage — a connection string
 * locally, the table service of its identity-based account in Azure (the same managed identity reads it).
 */
function ledgerLocation(v: Parsed, cloud: Cloud): LedgerLocation | null {
  const table = v.CREDWATCH_LEDGER_TABLE;
  const target =
    v.CREDWATCH_LEDGER ??
    v.AzureWebJobsStorage ??
    v.AzureWebJobsStorage__tableServiceUri ??
    (v.AzureWebJobsStorage__accountName && cloud.name !== "Custom"
      ? ({ kind: "table-endpoint", url: `https://${v.AzureWebJobsStorage__accountName}.table.${STORAGE_SUFFIX[cloud.name]}` } as const)
      : null);
  return target ? { ...target, table } : null;
}

/**
 * Fan-out needs the queue its trigger listens on: the Functions host's storage (connection
 * "AzureWebJobsStorage"), never CREDWATCH_LEDGER, which may be a file or another account. The sweep
 * records go to the same account's table service. Null outside the Functions app (the CLI).
 */
function fanoutStorage(v: Parsed, cloud: Cloud): FanoutStorage | null {
  if (v.AzureWebJobsStorage) return v.AzureWebJobsStorage.kind === "connection-string" ? { kind: "connection-string", connectionString: v.AzureWebJobsStorage.connectionString } : null;
  const account = v.AzureWebJobsStorage__accountName && cloud.name !== "Custom" ? v.AzureWebJobsStorage__accountName : null;
  const suffix = cloud.name === "Custom" ? null : STORAGE_SUFFIX[cloud.name];
  const queueUrl = v.AzureWebJobsStorage__queueServiceUri ?? (account ? `https://${account}.queue.${suffix}` : null);
  const tableUrl =
    (v.AzureWebJobsStorage__tableServiceUri?.kind === "table-endpoint" ? v.AzureWebJobsStorage__tableServiceUri.url : null) ??
    (account ? `https://${account}.table.${suffix}` : null);
  return queueUrl && tableUrl ? { kind: "service-urls", queueUrl, tableUrl } : null;
}

/** Storage endpoint suffixes of the named clouds (az cloud show --query suffixes.storageEndpoint). */
const STORAGE_SUFFIX: Record<Exclude<CloudName, "Custom">, string> = {
  AzurePublicCloud: "core.windows.net",
  AzureUSGovernment: "core.usgovcloudapi.net",
  AzureChinaCloud: "core.chinacloudapi.cn",
};
