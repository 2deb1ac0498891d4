// The mrkdwn wording of alerts, scopes and notes, each piece bounded so that any one line fits a
// section with room to spare. Every untrusted string passes through escapeMrkdwn (prose),
// mrkdwnCode (names) or codeBlockLine (commands); whatever is shortened says so.
import type { CollectionError, Severity } from "../model.js";
import { fitRendered, type AlertView } from "./alert-view.js";
import { codeBlockLine, escapeMrkdwn, FENCE_OVERHEAD, fenceCodeBlock, mrkdwnCode } from "./mrkdwn.js";
import { joinWithin, section, SLACK_LIMITS, type BlockGroup } from "./slack-limits.js";
import { alertActions } from "./slack-actions.js";

export const MARK: Record<Severity, string> = {
  critical: ":red_circle:",
  high: ":large_orange_circle:",
  medium: ":large_yellow_circle:",
  low: ":white_circle:",
};

/** Escaped prose of at most `max` characters. */
export function esc(raw: string, max: number): string {
  return fitRendered(raw, escapeMrkdwn, max);
}

/** A code span of at most `max` characters. */
export function code(raw: string, max: number): string {
  return fitRendered(raw, mrkdwnCode, max);
}

/** "`a`, `b` and 3 more": code spans until `max` characters, then a count of the rest. */
export function codeList(values: readonly string[], max: number): string {
  const items: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const item = code(values[i]!, Math.min(200, max));
    const room = i < values.length - 1 ? " and 99999 more".length : 0;
    if (items.length > 0 && [...items, item].join(", ").length + room > max) return `${items.join(", ")} and ${values.length - i} more`;
    items.push(item);
  }
  return items.join(", ");
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "• *arm* `/subscriptions/…` (403): AuthorizationFailed …" */
export function scopeLine(e: CollectionError): string {
  return `• *${e.source}* ${code(e.scope, 400)}${e.status === null ? "" : ` (${e.status})`}: ${esc(e.message, 600)}`;
}

function impactText(v: AlertView): string {
  const parts = [
    v.impact.registries.length > 0 ? `ACR ${codeList(v.impact.registries, 300)}` : "",
    v.impact.clusters.length > 0 ? `AKS ${codeList(v.impact.clusters, 300)}` : "",
  ].filter(Boolean);
  return parts.join(" · ");
}

/** Fix commands as ``` blocks of at most a section each; a command over 1,000 characters is shortened visibly. */
export function fixTexts(commands: readonly string[], maxCommand = 1_000): string[] {
  const blocks: string[][] = [];
  for (const command of commands) {
    const line = fitRendered(command, codeBlockLine, maxCommand);
    const last = blocks[blocks.length - 1];
    const size = last ? last.reduce((sum, l) => sum + l.length + 1, 0) : 0;
    if (last && size + line.length + FENCE_OVERHEAD <= SLACK_LIMITS.sectionText) last.push(line);
    else blocks.push([line]);
  }
  return blocks.map(fenceCodeBlock);
}

/** An open alert in full: what, where, when, what breaks, whose, its id, and every fix command. */
export function alertTexts(v: AlertView, n: number): string[] {
  const lines = [
    `${MARK[v.severity]} *#${n} ${v.severity.toUpperCase()}* · ${esc(v.change, 100)} · ${v.kind}${v.when ? ` · ${esc(v.when, 120)}` : ""}`,
    `*${v.subjectLabel}* ${code(v.subjectName, 400)}${v.detail ? ` · ${esc(v.detail, 300)}` : ""}`,
    esc(v.message, 1_500),
  ];
  const impact = impactText(v);
  if (impact) lines.push(`*Breaks:* ${impact}`);
  if (v.owners.length > 0) lines.push(`*Owners:* ${codeList(v.owners, 500)}`);
  lines.push(`_id_ ${code(v.id, 300)}`);
  return joinWithin([...lines, ...fixTexts(v.fix)]);
}

/** A resolved note: one line naming the subject and what was last said about it. */
export function resolvedLine(v: AlertView, n: number, maxMessage = 1_200): string {
  return (
    `:white_check_mark: *#${n} Resolved* · ${v.kind} · *${v.subjectLabel}* ${code(v.subjectName, 300)} (was ${v.severity}): ` +
    `${esc(v.message, maxMessage)} · _id_ ${code(v.id, 300)}`
  );
}

/** An alert as the channel message shows it: the headline facts, the message and the first fix command. */
export function urgentText(v: AlertView, n: number): string {
  if (v.reason === "resolved") return resolvedLine(v, n, 600);
  const lines = [
    `${MARK[v.severity]} *#${n} ${v.severity.toUpperCase()}* · ${esc(v.change, 100)} · *${v.subjectLabel}* ${code(v.subjectName, 200)}${v.when ? ` — ${esc(v.when, 120)}` : ""}`,
    esc(v.message, 600),
  ];
  const [first] = v.fix;
  if (first !== undefined) lines.push(...fixTexts([first], 600));
  if (v.fix.length > 1) lines.push(`_+${plural(v.fix.length - 1, "more step")} in the thread_`);
  return lines.join("\n");
}

/** An open alert as blocks: one to three sections, then (with `buttons`) its snooze / acknowledge buttons. */
export function alertGroup(v: AlertView, n: number, buttons = true): BlockGroup {
  const actions = buttons ? alertActions(v, n) : null;
  return { blocks: [...alertTexts(v, n).map(section), ...(actions ? [actions] : [])], alertIds: [v.id] };
}

/** Resolved notes, several to a section. */
export function resolvedGroups(notes: readonly { view: AlertView; n: number }[]): BlockGroup[] {
  const groups: BlockGroup[] = [];
  let text = "";
  let ids: string[] = [];
  const flush = () => {
    if (text) groups.push({ blocks: [section(text)], alertIds: ids });
    text = "";
    ids = [];
  };
  for (const { view, n } of notes) {
    const line = resolvedLine(view, n);
    if (text && text.length + 1 + line.length > SLACK_LIMITS.sectionText) flush();
    text = text ? `${text}\n${line}` : line;
    ids.push(view.id);
  }
  flush();
  return groups;
}
