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
}

/** `code` is the function key: the Functions host reads it, the handler only tolerates it. */
const HOST_PARAMETERS = new Set(["code"]);

const schema = z
  .object({
    format: z
      .string()
      .optional()
      .transform((raw, ctx): HttpFormat => {
        const format = (raw ?? "json").toLowerCase();
        if ((HTTP_FORMATS as readonly string[]).includes(format)) return format as HttpFormat;
        ctx.issues.push({ code: "custom", input: raw, message: `must be one of ${HTTP_FORMATS.join(", ")}` });
        return z.NEVER;
      }),
    notify: flag.optional().transform((v) => v ?? false),
    subscriptions: subscriptionIds.optional().transform((v) => v ?? null),
  })
  .strict();

export type SweepRequestResult = { ok: true; request: SweepRequest } | { ok: false; problems: string[] };

/** Query parameters win over body fields of the same name; both are strings here. */
export function parseSweepRequest(query: URLSearchParams, body: unknown): SweepRequestResult {
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
        for (const key of issue.keys) problems.push(`${key}: unknown parameter (expected format, notify, subscriptions)`);
      } else {
        problems.push(`${String(issue.path[0])}: ${issue.message}`);
      }
    }
  }
  return problems.length > 0 || !parsed.success ? { ok: false, problems } : { ok: true, request: parsed.data };
}
