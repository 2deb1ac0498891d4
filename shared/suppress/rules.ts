// Suppression rules: findings someone decided not to be paged about (a credential that rotates itself,
// an accepted risk), each with a reason and an optional end. Read from CREDWATCH_SUPPRESSIONS (JSON
// text or a file path) and checked at start-up: a bad rule is named, never ignored.
import { z } from "zod";
import picomatch from "picomatch";
import type { FindingKind } from "../model.js";

export const FINDING_KINDS = [
  "credential-expired",
  "credential-expiring",
  "credential-long-lived",
  "role-gap",
  "network-blocked",
  "admin-user-enabled",
  "admin-key-regenerated",
] as const satisfies readonly FindingKind[];

const nonEmpty = z.string().trim().min(1, "must not be empty");
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** A date (end of that day, UTC) or a date-time: when the rule stops applying. */
const until = z.string().transform((raw, ctx) => {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const at = new Date(dateOnly ? `${raw}T23:59:59.999Z` : raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(at.getTime())) {
    ctx.issues.push({ code: "custom", input: raw, message: "must be a date (2027-06-30) or an ISO date-time" });
    return z.NEVER;
  }
  return at.toISOString();
});

const ruleSchema = z
  .object({
    kind: oneOrMany(z.enum(FINDING_KINDS)).optional(),
    /** Glob on the subject's name (display name, token, registry or cluster name); case-insensitive. */
    subject: nonEmpty.optional(),
    /** appId, Graph object id or ARM resource id of the subject (case-insensitive). */
    subjectId: nonEmpty.optional(),
    registry: nonEmpty.optional(),
    cluster: nonEmpty.optional(),
    /** One finding, by its id. */
    id: nonEmpty.optional(),
    reason: nonEmpty,
    until: until.optional(),
    by: nonEmpty.optional(),
  })
  .strict()
  .refine((r) => r.kind || r.subject || r.subjectId || r.registry || r.cluster || r.id, {
    message: "must match on at least one of kind, subject, subjectId, registry, cluster or id (a rule that matches everything would silence credwatch)",
  });

export type SuppressionRule = z.output<typeof ruleSchema> & {
  /** 1-based position in the list, to name the rule in messages. */
  index: number;
  /** Compiled `subject` glob. */
  subjectMatches: ((name: string) => boolean) | null;
};

const documentSchema = z.union([z.array(z.unknown()), z.object({ rules: z.array(z.unknown()) }).strict()]);

export type ParsedRules = { ok: true; rules: SuppressionRule[] } | { ok: false; problems: string[] };

/** Parses a rules document (`[...]` or `{"rules": [...]}`), naming every bad rule by number and field. */
export function parseSuppressionRules(text: string, source: string): ParsedRules {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`${source}: is not valid JSON (${(error as Error).message})`] };
  }
  const document = documentSchema.safeParse(json);
  if (!document.success) return { ok: false, problems: [`${source}: must be a JSON array of rules, or {"rules": [...]}`] };
  const items = Array.isArray(document.data) ? document.data : document.data.rules;
  const problems: string[] = [];
  const rules: SuppressionRule[] = [];
  items.forEach((item, i) => {
    const parsed = ruleSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")}: unknown field` : `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`;
        problems.push(`rule ${i + 1}${label(item)}: ${field}`);
      }
      return;
    }
    const pattern = parsed.data.subject;
    rules.push({ ...parsed.data, index: i + 1, subjectMatches: pattern ? picomatch(pattern, { nocase: true, dot: true }) : null });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rules };
}

/** "(legacy-sync)" — what a person recognises a rule by in an error. */
function label(item: unknown): string {
  const r = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
  const name = [r.subject, r.id, r.subjectId, r.registry, r.cluster].find((v) => typeof v === "string");
  return typeof name === "string" ? ` (${name})` : "";
}
