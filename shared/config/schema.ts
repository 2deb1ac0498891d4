// The one schema over credwatch's environment. A setting is one entry in FIELDS: its parser, its
// default (an environment string, parsed like any other value) and its documentation. New settings
// (Slack, Teams, ledger, schedule) are new entries here plus their place in Config.
import { z } from "zod";
import type { Policy } from "../model.js";
import { KNOWN_CLOUDS, type Cloud, type CloudName } from "./clouds.js";
import * as value from "./values.js";

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
}

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
    };
  });
