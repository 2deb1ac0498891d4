// The parameters of an ad-hoc HTTP sweep, from the query string and/or a JSON body, checked in one
// go: every bad or unknown parameter is named, so a typo never silently changes what is swept.
import { z } from "zod";
import { HTTP_FORMATS, type HttpFormat } from "./responses.js";
import { flag, subscriptionIds } from "../config/values.js";

export interface SweepRequest {
  format: HttpFormat;
  notify: boolean;
  /** Narrows the configured subscriptions for this sweep; null: as configured. */
  subscriptions: string[] | null;
  /**
   * auto: in this instance, or fanned out (202 and a status URL) beyond CREDWATCH_FANOUT_SUBSCRIPTIONS
   * subscriptions; single: in this instance whatever the count; fanout: fanned out whatever the count.
   */
  mode: SweepMode;
}

export const SWEEP_MODES = ["auto", "single", "fanout"] as const;
export type SweepMode = (typeof SWEEP_MODES)[number];

/** `code` is the function key: the Functions host reads it, the handler only tolerates it. */
const HOST_PARAMETERS = new Set(["code"]);

const format = z
  .string()
  .optional()
  .transform((raw, ctx): HttpFormat => {
    const format = (raw ?? "json").toLowerCase();
    if ((HTTP_FORMATS as readonly string[]).includes(format)) return format as HttpFormat;
    ctx.issues.push({ code: "custom", input: raw, message: `must be one of ${HTTP_FORMATS.join(", ")}` });
    return z.NEVER;
  });

const schema = z
  .object({
    format,
    notify: flag.optional().transform((v) => v ?? false),
    subscriptions: subscriptionIds.optional().transform((v) => v ?? null),
    mode: z
      .string()
      .optional()
      .transform((raw, ctx): SweepMode => {
        const mode = (raw ?? "auto").toLowerCase();
        if ((SWEEP_MODES as readonly string[]).includes(mode)) return mode as SweepMode;
        ctx.issues.push({ code: "custom", input: raw, message: `must be one of ${SWEEP_MODES.join(", ")}` });
        return z.NEVER;
      }),
  })
  .strict();

export type SweepRequestResult = { ok: true; request: SweepRequest } | { ok: false; problems: string[] };

/** Query parameters win over body fields of the same name; both are strings here. */
export function parseSweepRequest(query: URLSearchParams, body: unknown): SweepRequestResult {
  return parseFields(schema, "format, notify, subscriptions, mode", query, body);
}

const statusSchema = z.object({ format }).strict();

/** The status route of a fan-out sweep takes the report's format, and nothing else. */
export function parseStatusRequest(query: URLSearchParams): { ok: true; request: { format: HttpFormat } } | { ok: false; problems: string[] } {
  return parseFields(statusSchema, "format", query, undefined);
}

function parseFields<T>(
  schema: z.ZodType<T, Record<string, string>>,
  expected: string,
  query: URLSearchParams,
  body: unknown,
): { ok: true; request: T } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const fields: Record<string, string> = {};
  if (body !== undefined && body !== null) {
    if (typeof body !== "object" || Array.isArray(body)) {
      problems.push("body: must be a JSON object such as {\"format\":\"markdown\"}");
    } else {
      for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
        if (typeof value === "string" || typeof value === "boolean") fields[name] = String(value);
        else if (Array.isArray(value) && value.every((v) => typeof v === "string")) fields[name] = value.join(",");
        else problems.push(`${name}: must be a string`);
      }
    }
  }
  for (const [name, value] of query) {
    if (!HOST_PARAMETERS.has(name)) fields[name] = value;
  }
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) problems.push(`${key}: unknown parameter (expected ${expected})`);
      } else {
        problems.push(`${String(issue.path[0])}: ${issue.message}`);
      }
    }
  }
  return problems.length > 0 || !parsed.success ? { ok: false, problems } : { ok: true, request: parsed.data };
}
