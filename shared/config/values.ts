// Parsers for the kinds of value settings hold. Each turns one environment string into a typed
// value or zod issues; messages say what is expected and never repeat the whole value (the
// caller adds it, unless the setting is secret).
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { Cron } from "croner";
import { CLOUD_NAMES, type CloudName } from "./clouds.js";
import { parseSuppressionRules } from "../suppress/rules.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Unset settings parse to null rather than undefined, so Config has no optional members. */
export function orNull<T>(schema: z.ZodType<T, string>) {
  return schema.optional().transform((value) => value ?? null);
}

/** Items of a list setting: comma-separated, whitespace around items ignored, empty items dropped. */
function listItems(raw: string): string[] {
  return raw.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

/** Digits only: "1e3", "+5", "7.0" are not whole numbers of days. */
function wholeNumber(raw: string): number | null {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** Bad list entries, quoted; a few short ones are enough to point at the mistake. */
function quoted(items: string[]): string {
  const shown = items.slice(0, 5).map((item) => JSON.stringify(item.length > 60 ? `${item.slice(0, 60)}…` : item));
  return items.length > 5 ? `${shown.join(", ")} and ${items.length - 5} more` : shown.join(", ");
}

export const cloudName = z.string().transform((raw, ctx): CloudName => {
  const name = CLOUD_NAMES.find((known) => known.toLowerCase() === raw.toLowerCase());
  if (name) return name;
  ctx.issues.push({ code: "custom", input: raw, message: `must be one of ${CLOUD_NAMES.join(", ")}` });
  return z.NEVER;
});

/** An endpoint origin: https, host and optional port, nothing else. Returned without a trailing slash. */
export const httpsEndpoint = z.string().transform((raw, ctx) => {
  const fail = (message: string) => {
    ctx.issues.push({ code: "custom", input: raw, message });
    return z.NEVER;
  };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail("must be a URL such as https://host[:port]");
  }
  if (url.protocol === "http:") {
    return fail("must use https: the Azure SDKs refuse to send bearer tokens over plain http");
  }
  if (url.protocol !== "https:") return fail("must be an https:// URL");
  if (url.username || url.password) return fail("must not contain a user name or password");
  if (url.pathname !== "/" || raw.includes("?") || raw.includes("#")) {
    return fail("must be just https://host[:port], without a path, query or fragment");
  }
  return url.origin;
});

/** A PEM file of CA certificates. Only the certificate blocks are kept: a private key that happens
 *  to share the file must not travel on in the config. */
export const caFile = z.string().transform((raw, ctx) => {
  const fail = (message: string) => {
    ctx.issues.push({ code: "custom", input: raw, message });
    return z.NEVER;
  };
  const file = path.resolve(raw);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return fail(`cannot be read (${code}); it must name a PEM file of CA certificates`);
  }
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) return fail("contains no PEM certificate (-----BEGIN CERTIFICATE-----)");
  const broken = blocks.flatMap((block, i) => {
    try {
      new X509Certificate(block);
      return [];
    } catch {
      return [i + 1];
    }
  });
  if (broken.length > 0) return fail(`holds certificate block(s) that do not parse: number ${broken.join(", ")}`);
  return { file, pem: blocks.join("\n") + "\n" };
});

/** Subscription ids: lowercased, deduplicated; none listed means every readable subscription. */
export const subscriptionIds = z.string().transform((raw, ctx) => {
  const items = listItems(raw);
  const bad = items.filter((item) => !GUID.test(item));
  if (bad.length > 0) {
    ctx.issues.push({ code: "custom", input: raw, message: `must be subscription ids (GUIDs); not GUIDs: ${quoted(bad)}` });
    return z.NEVER;
  }
  const ids = [...new Set(items.map((item) => item.toLowerCase()))];
  return ids.length > 0 ? ids : null;
});

/** Whole numbers of days in [min, max]; `why` explains a bound the user might not expect. */
export function days(min: number, max: number, why = "") {
  return z.string().transform((raw, ctx) => {
    const n = wholeNumber(raw);
    if (n !== null && n >= min && n <= max) return n;
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    ctx.issues.push({ code: "custom", input: raw, message: `must be a whole number of days ${range}${why}` });
    return z.NEVER;
  });
}

/** A whole number from min to max (a count of things). */
export function count(min: number, max: number, what: string) {
  return z.string().transform((raw, ctx) => {
    const n = wholeNumber(raw);
    if (n !== null && n >= min && n <= max) return n;
    ctx.issues.push({ code: "custom", input: raw, message: `must be a whole number of ${what} from ${min} to ${max}` });
    return z.NEVER;
  });
}

/** Expiry windows: distinct, largest first. */
export const thresholdDays = z.string().transform((raw, ctx) => {
  const items = listItems(raw);
  const bad = items.filter((item) => {
    const n = wholeNumber(item);
    return n === null || n < 1 || n > 365;
  });
  if (items.length === 0 || bad.length > 0) {
    const detail = bad.length > 0 ? `; not: ${quoted(bad)}` : "";
    ctx.issues.push({
      code: "custom",
      input: raw,
      message: `must be a comma-separated list of whole numbers of days from 1 to 365${detail}`,
    });
    return z.NEVER;
  }
  return [...new Set(items.map(Number))].sort((a, b) => b - a);
});

export const tenantId = z.string().transform((raw, ctx) => {
  if (GUID.test(raw) || DOMAIN.test(raw)) return raw.toLowerCase();
  ctx.issues.push({
    code: "custom",
    input: raw,
    message: "must be a tenant id (GUID) or a verified domain such as contoso.onmicrosoft.com",
  });
  return z.NEVER;
});

export const clientId = z.string().transform((raw, ctx) => {
  if (GUID.test(raw)) return raw.toLowerCase();
  ctx.issues.push({
    code: "custom",
    input: raw,
    message: "must be a GUID: the client id of a user-assigned managed identity",
  });
  return z.NEVER;
});

/** "true"/"false" (also 1/0, yes/no), case-insensitive. */
export const flag = z.string().transform((raw, ctx) => {
  const value = raw.toLowerCase();
  if (["true", "1", "yes"].includes(value)) return true;
  if (["false", "0", "no"].includes(value)) return false;
  ctx.issues.push({ code: "custom", input: raw, message: "must be true or false" });
  return z.NEVER;
});

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * A URL credwatch posts to: https, or http on a loopback host only (a local receiver, the sandbox).
 * The messages never repeat the URL: webhook URLs carry their credential in the query string.
 */
export function postUrl(what: string, options: { trailingSlash?: boolean } = {}) {
  return z.string().transform((raw, ctx) => {
    const fail = (message: string) => {
      ctx.issues.push({ code: "custom", input: raw, message });
      return z.NEVER;
    };
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return fail(`must be the ${what} URL (https://...)`);
    }
    const loopback = LOOPBACK_HOSTS.has(url.hostname);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
      return fail(`must be an https URL (plain http is accepted only on a loopback host)`);
    }
    if (options.trailingSlash && !url.pathname.endsWith("/")) url.pathname += "/";
    return url.toString();
  });
}

/** A Slack bot token: xoxb-… (user and app-level tokens cannot post as the bot). */
export const slackBotToken = z.string().transform((raw, ctx) => {
  if (/^xoxb-[A-Za-z0-9-]+$/.test(raw)) return raw;
  ctx.issues.push({ code: "custom", input: raw, message: "must be a Slack bot token (xoxb-...)" });
  return z.NEVER;
});

/** A Slack app's Signing Secret (Basic Information → App Credentials): letters and digits, 32 as Slack issues them. */
export const slackSigningSecret = z.string().transform((raw, ctx) => {
  if (/^[A-Za-z0-9]{16,256}$/.test(raw)) return raw;
  ctx.issues.push({ code: "custom", input: raw, message: "must be the Slack app's Signing Secret (Basic Information → App Credentials; letters and digits)" });
  return z.NEVER;
});

/** A channel id (C…, G…, D…) or a #name. */
export const slackChannel = z.string().transform((raw, ctx) => {
  if (/^[CGD][A-Z0-9]{6,}$/.test(raw) || /^#?[a-z0-9][a-z0-9._-]{0,79}$/.test(raw)) return raw;
  ctx.issues.push({ code: "custom", input: raw, message: "must be a Slack channel id (C0123456789) or name (#platform-alerts)" });
  return z.NEVER;
});

/** Where the alert ledger lives: an Azure Table Storage connection string, a table service URL
 *  (reached with the managed identity), or a file path. */
export type LedgerTarget =
  | { kind: "connection-string"; connectionString: string }
  | { kind: "table-endpoint"; url: string }
  | { kind: "file"; path: string };

export const ledgerTarget = z.string().transform((raw, ctx): LedgerTarget => {
  if (/^UseDevelopmentStorage=true/i.test(raw) || /(^|;)\s*(AccountName|TableEndpoint|SharedAccessSignature)=/i.test(raw)) {
    return { kind: "connection-string", connectionString: raw };
  }
  if (/^https?:\/\//i.test(raw)) {
    try {
      const url = new URL(raw);
      if (url.protocol === "https:" || LOOPBACK_HOSTS.has(url.hostname)) return { kind: "table-endpoint", url: url.origin };
    } catch {
      // reported below
    }
    ctx.issues.push({ code: "custom", input: raw, message: "must be an https table service URL, a connection string or a file path" });
    return z.NEVER;
  }
  if (raw.includes(";") && raw.includes("=")) {
    ctx.issues.push({ code: "custom", input: raw, message: "looks like a connection string but names no AccountName or TableEndpoint" });
    return z.NEVER;
  }
  return { kind: "file", path: path.resolve(raw) };
});

/** Azure Table names: 3 to 63 letters and digits, not starting with a digit. */
export const tableName = z.string().transform((raw, ctx) => {
  if (/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(raw)) return raw;
  ctx.issues.push({ code: "custom", input: raw, message: "must be 3 to 63 letters and digits, starting with a letter" });
  return z.NEVER;
});

/** A storage account name: what the Functions host's identity-based AzureWebJobsStorage names. */
export const storageAccountName = z.string().transform((raw, ctx) => {
  if (/^[a-z0-9]{3,24}$/.test(raw)) return raw;
  ctx.issues.push({ code: "custom", input: raw, message: "must be a storage account name (3 to 24 lower-case letters and digits)" });
  return z.NEVER;
});

/** An NCRONTAB expression as Azure Functions reads it: six fields, seconds first, in UTC. */
export const ncrontab = z.string().transform((raw, ctx) => {
  const fields = raw.trim().split(/\s+/);
  if (fields.length !== 6) {
    ctx.issues.push({ code: "custom", input: raw, message: "must be an NCRONTAB expression of six fields: {second} {minute} {hour} {day} {month} {day-of-week}, e.g. 0 0 6 * * *" });
    return z.NEVER;
  }
  try {
    new Cron(fields.join(" "), { paused: true, timezone: "UTC" });
  } catch (error) {
    ctx.issues.push({ code: "custom", input: raw, message: `is not a valid NCRONTAB expression (${(error as Error).message})` });
    return z.NEVER;
  }
  return fields.join(" ");
});

/** Suppression rules: JSON text (starting with [ or {) or the path of a JSON file. */
export const suppressionRules = z.string().transform((raw, ctx) => {
  const inline = /^[[{]/.test(raw);
  let text = raw;
  if (!inline) {
    try {
      text = readFileSync(path.resolve(raw), "utf8");
    } catch (error) {
      ctx.issues.push({ code: "custom", input: raw, message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}); it must be JSON rules or the path of a JSON file` });
      return z.NEVER;
    }
  }
  const parsed = parseSuppressionRules(text, inline ? "the JSON" : path.resolve(raw));
  if (parsed.ok) return parsed.rules;
  for (const problem of parsed.problems) ctx.issues.push({ code: "custom", input: raw, message: problem });
  return z.NEVER;
});
