// Applying suppressions after analysis: a suppressed finding stays in the report, marked, and is
// counted in every digest, but sends no alert. Two sources share this: rules (CREDWATCH_SUPPRESSIONS,
// below) and snoozes from Slack (snooze.ts). An expired suppression suppresses nothing (the finding
// comes back as if new), and a rule that matches nothing is reported so stale rules get cleaned up.
import type { Finding, Suppression, SuppressionRuleUse } from "../model.js";
import type { SuppressionRule } from "./rules.js";

export interface SuppressionResult {
  findings: Finding[];
  rules: SuppressionRuleUse[];
}

export function ruleMatches(rule: SuppressionRule, finding: Finding): boolean {
  const same = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
  const named = (name: string, single: string | undefined, list: string[]) => same(name, single) || list.some((n) => same(name, n));
  if (rule.kind && !rule.kind.includes(finding.kind)) return false;
  if (rule.subjectMatches && !rule.subjectMatches(finding.subject.name)) return false;
  if (rule.subjectId && !same(rule.subjectId, finding.subject.id) && !same(rule.subjectId, finding.subject.appId)) return false;
  if (rule.registry && !named(rule.registry, finding.registry, finding.impact.registries)) return false;
  if (rule.cluster && !named(rule.cluster, finding.cluster, finding.impact.clusters)) return false;
  if (rule.id && rule.id !== finding.id) return false;
  return true;
}

export function isExpired(rule: { until?: string | null | undefined }, now: Date): boolean {
  return rule.until !== undefined && rule.until !== null && Date.parse(rule.until) <= now.getTime();
}

/**
 * Marks each finding that `pick` gives a suppression, leaving findings already suppressed as they
 * are: the first suppression to claim a finding holds it (rules are applied before snoozes).
 */
export function markSuppressed(findings: readonly Finding[], pick: (finding: Finding) => Suppression | null): Finding[] {
  return findings.map((finding) => {
    if (finding.suppressed) return finding;
    const suppressed = pick(finding);
    return suppressed ? { ...finding, suppressed } : finding;
  });
}

/** The first live rule that matches suppresses the finding; every rule's use is counted. */
export function applySuppressions(findings: Finding[], rules: SuppressionRule[], now: Date): SuppressionResult {
  const matched = new Map<number, number>();
  const result = markSuppressed(findings, (finding) => {
    const rule = rules.find((r) => !isExpired(r, now) && ruleMatches(r, finding));
    if (!rule) return null;
    matched.set(rule.index, (matched.get(rule.index) ?? 0) + 1);
    return { reason: rule.reason, until: rule.until ?? null, by: rule.by ?? null, source: `rule ${rule.index}` };
  });
  return {
    findings: result,
    rules: rules.map((r) => ({
      index: r.index,
      reason: r.reason,
      until: r.until ?? null,
      matched: matched.get(r.index) ?? 0,
      expired: isExpired(r, now),
    })),
  };
}
