// `credwatch suppressions`: each rule in words, so a person can tell what it silences and until when.
import { clean } from "../report/text.js";
import { isExpired } from "./apply.js";
import type { SuppressionRule } from "./rules.js";

export function describeRule(rule: SuppressionRule, now: Date): string {
  const what: string[] = [];
  if (rule.kind) what.push(rule.kind.join(" or "));
  if (rule.id) what.push(`finding ${rule.id}`);
  if (rule.subject) what.push(`subjects matching "${rule.subject}"`);
  if (rule.subjectId) what.push(`subject ${rule.subjectId}`);
  if (rule.registry) what.push(`on registry ${rule.registry}`);
  if (rule.cluster) what.push(`on cluster ${rule.cluster}`);
  const status = isExpired(rule, now) ? `EXPIRED ${rule.until!.slice(0, 10)}: no longer applies` : rule.until ? `until ${rule.until.slice(0, 10)}` : "no end date";
  const by = rule.by ? `, by ${rule.by}` : "";
  return clean(`rule ${rule.index}: ${what.join(", ")} — ${rule.reason} (${status}${by})`);
}

export function describeRules(rules: SuppressionRule[], now: Date): string {
  if (rules.length === 0) return "No suppression rules (CREDWATCH_SUPPRESSIONS is not set).\n";
  return `${rules.map((rule) => describeRule(rule, now)).join("\n")}\n`;
}
