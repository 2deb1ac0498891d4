// What Slack and Teams say the same way about a digest: what kind of message it is, the order of
// alerts, the headline, the wording of an alert. Strings here are raw (clean(), not escaped): each
// channel escapes them for its own markup. Wording of findings comes from report/present.ts.
import type { Finding, Severity, SubjectType } from "../model.js";
import { detail, isComplete, subjectType, when } from "../report/present.js";
import { clean } from "../report/text.js";
import type { Alert, AlertReason, Digest } from "./types.js";

/**
 * - alerts: something to tell (the incomplete-sweep notice rides along when it applies);
 * - unread-only: nothing to tell, but the sweep could not read everything: say what, always;
 * - heartbeat: nothing to tell, a complete sweep, and the heartbeat is on;
 * - nothing: nothing to send.
 */
export type DigestShape = "alerts" | "unread-only" | "heartbeat" | "nothing";

export function digestShape(digest: Digest): DigestShape {
  if (digest.alerts.length > 0) return "alerts";
  if (!isComplete(digest.report)) return "unread-only";
  return digest.heartbeat ? "heartbeat" : "nothing";
}

const REASONS: readonly AlertReason[] = ["new", "escalated", "repeat", "resolved"];
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
// Within a severity, what changed comes before what is only repeated.
const REASON_RANK: Record<AlertReason, number> = { escalated: 0, new: 1, repeat: 2, resolved: 3 };

export function countReasons(alerts: readonly Alert[]): Record<AlertReason, number> {
  const counts: Record<AlertReason, number> = { new: 0, escalated: 0, repeat: 0, resolved: 0 };
  for (const a of alerts) counts[a.reason] += 1;
  return counts;
}

/** "3 new, 1 escalated, 1 resolved": the reasons that occur, in a fixed order. */
export function reasonSummary(alerts: readonly Alert[]): string {
  const counts = countReasons(alerts);
  return REASONS.filter((r) => counts[r] > 0)
    .map((r) => `${counts[r]} ${r}`)
    .join(", ");
}

/** The one line that tops every digest message (plain text, ours only: safe in any markup). */
export function headline(digest: Digest): string {
  const incomplete = !isComplete(digest.report);
  switch (digestShape(digest)) {
    case "alerts":
      return `credwatch: ${reasonSummary(digest.alerts)}${incomplete ? " (sweep incomplete)" : ""}`;
    case "unread-only":
      return "credwatch: sweep incomplete, nothing new in what was read";
    case "heartbeat":
    case "nothing":
      return `credwatch: all clear, ${digest.report.coverage.credentials} credentials checked`;
  }
}

export interface AlertView {
  id: string;
  reason: AlertReason;
  /** The current severity; the last notified one for a resolved alert. */
  severity: Severity;
  kind: Finding["kind"];
  /** "app", "service principal", "ACR token", ... */
  subjectLabel: string;
  subjectName: string;
  /** The credential ("secret ci-2025 (rotated)") or the role-gap reason; "" when neither. */
  detail: string;
  /** "in 5 d (2026-11-30)", "expired 2026-11-23", "no expiry"; "" when not a credential. */
  when: string;
  /** What changed, in words: "new", "escalated from high", "still critical (daily reminder)", "resolved". */
  change: string;
  message: string;
  impact: { registries: string[]; clusters: string[] };
  owners: string[];
  fix: string[];
  /** The credential's end date (ISO, as analysis gave it); null when not a dated credential. */
  credentialEnd: string | null;
}

function subjectLabel(type: SubjectType): string {
  // present.ts labels subjects from a finding; a resolved alert has only its remembered type.
  return subjectType({ subject: { type } } as Finding);
}

function change(alert: Alert): string {
  switch (alert.reason) {
    case "new":
      return "new";
    case "escalated":
      return alert.previous ? `escalated from ${alert.previous.severity}` : "escalated";
    case "repeat":
      return "still critical (daily reminder)";
    case "resolved":
      return "resolved";
  }
}

/** An alert as both channels describe it; null for an alert with neither finding nor memory. */
export function viewAlert(alert: Alert): AlertView | null {
  const f = alert.finding;
  if (f && alert.reason !== "resolved") {
    return {
      id: alert.id,
      reason: alert.reason,
      severity: f.severity,
      kind: f.kind,
      subjectLabel: subjectType(f),
      subjectName: clean(f.subject.name),
      detail: detail(f),
      when: when(f),
      change: change(alert),
      message: clean(f.message),
      impact: { registries: f.impact.registries.map(clean), clusters: f.impact.clusters.map(clean) },
      owners: (f.owners ?? []).map(clean).filter(Boolean),
      fix: f.fix.map(clean).filter(Boolean),
      credentialEnd: f.credential?.endDateTime ?? null,
    };
  }
  const p = alert.previous;
  if (!p) return null;
  return {
    id: alert.id,
    reason: alert.reason,
    severity: p.severity,
    kind: p.kind,
    subjectLabel: subjectLabel(p.subjectType),
    subjectName: clean(p.subjectName),
    detail: "",
    when: "",
    change: change(alert),
    message: clean(p.message),
    impact: { registries: p.registry ? [clean(p.registry)] : [], clusters: p.cluster ? [clean(p.cluster)] : [] },
    owners: [],
    fix: [],
    credentialEnd: null,
  };
}

function daysLeft(alert: Alert): number {
  return alert.finding?.credential?.daysLeft ?? Number.POSITIVE_INFINITY;
}

/** Most urgent first: severity, then what changed, then time left; resolved notes last. */
export function orderAlerts(alerts: readonly Alert[]): AlertView[] {
  const views = alerts.flatMap((alert) => {
    const view = viewAlert(alert);
    return view ? [{ alert, view }] : [];
  });
  views.sort((a, b) => {
    const resolved = Number(a.view.reason === "resolved") - Number(b.view.reason === "resolved");
    return (
      resolved ||
      SEVERITY_RANK[a.view.severity] - SEVERITY_RANK[b.view.severity] ||
      REASON_RANK[a.view.reason] - REASON_RANK[b.view.reason] ||
      daysLeft(a.alert) - daysLeft(b.alert) ||
      a.view.subjectName.localeCompare(b.view.subjectName) ||
      a.view.id.localeCompare(b.view.id)
    );
  });
  return views.map((v) => v.view);
}

/** The subjects of the critical alerts still open, once each (so a glance names them all). */
export function criticalSubjects(views: readonly AlertView[]): { label: string; name: string }[] {
  const seen = new Set<string>();
  return views.flatMap((v) => {
    const key = `${v.subjectLabel}\u0000${v.subjectName}`;
    if (v.severity !== "critical" || v.reason === "resolved" || seen.has(key)) return [];
    seen.add(key);
    return [{ label: v.subjectLabel, name: v.subjectName }];
  });
}

/** Owners (by e-mail, case-insensitively) and the open alerts that name them. */
export function alertsByOwner(views: readonly AlertView[]): Map<string, { email: string; alerts: AlertView[] }> {
  const owners = new Map<string, { email: string; alerts: AlertView[] }>();
  for (const view of views) {
    if (view.reason === "resolved") continue;
    for (const email of view.owners) {
      const key = email.toLowerCase();
      const entry = owners.get(key) ?? { email, alerts: [] };
      entry.alerts.push(view);
      owners.set(key, entry);
    }
  }
  return owners;
}

/**
 * `raw` rendered by `render`, shortened until the rendering fits `max` characters, with a visible
 * note of what was left out: nothing is ever cut silently. Shortening works on the raw text (never
 * inside an escape sequence) and never splits a surrogate pair.
 */
export function fitRendered(raw: string, render: (text: string) => string, max: number): string {
  const full = render(raw);
  if (full.length <= max) return full;
  const note = (omitted: number) => `… [shortened: ${omitted} more characters]`;
  let low = 0;
  let high = raw.length;
  let best = render("") + note(raw.length);
  // The longest prefix whose rendering plus the note fits.
  while (low <= high) {
    const mid = (low + high) >> 1;
    const cut = safeCut(raw, mid);
    const candidate = render(cut) + note(raw.length - cut.length);
    if (candidate.length <= max) {
      best = candidate;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return best.length <= max ? best : best.slice(0, max);
}

function safeCut(text: string, length: number): string {
  const cut = text.slice(0, length);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
