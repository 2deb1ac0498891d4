// One run's Teams digest as Workflows webhook payloads: one Adaptive Card each, split into cards
// titled "(1 of N)" so each payload stays under ~20 KB (Teams refuses messages of about 28 KB; the
// margin covers what the workflow adds). The first card holds the counts, coverage, unread scopes
// and the name of every critical subject; then each alert with its fix commands, then resolved
// notes. Pure: no I/O.
import type { CollectionError, Severity } from "../model.js";
import { coverageSummary, isComplete, severitySummary } from "../report/present.js";
import { escapeCardText, payloadBytes, teamsPayload, textBlock, type CardElement, type Container, type TextColor, type TeamsPayload } from "./adaptive-card.js";
import { criticalSubjects, digestShape, fitRendered, headline, orderAlerts, reasonSummary, type AlertView } from "./alert-view.js";
import type { Digest } from "./types.js";

export const TEAMS_PAYLOAD_BUDGET = 20_000;

export interface TeamsCardOptions {
  /** Most bytes of one serialized payload (default 20,000). */
  budgetBytes?: number;
  /** Most cards per digest (default 40); alerts beyond are named as left out. */
  maxCards?: number;
}

const COLOR: Record<Severity, TextColor> = { critical: "Attention", high: "Warning", medium: "Default", low: "Default" };

function esc(raw: string, max: number): string {
  return fitRendered(raw, escapeCardText, max);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

interface Item {
  element: CardElement;
  alertIds: string[];
}

export function buildTeamsPayloads(digest: Digest, options: TeamsCardOptions = {}): TeamsPayload[] {
  const shape = digestShape(digest);
  if (shape === "nothing") return [];
  const views = orderAlerts(digest.alerts);
  const items: Item[] = [
    { element: summary(digest), alertIds: [] },
    ...unread(digest).map((element) => ({ element, alertIds: [] })),
    ...body(digest, views),
  ];
  return pack(items, headline(digest), options.budgetBytes ?? TEAMS_PAYLOAD_BUDGET, options.maxCards ?? 40);
}

function summary(digest: Digest): CardElement {
  const { report } = digest;
  const facts = [
    { title: "Tenant", value: esc(report.tenantId, 200) },
    { title: "Swept", value: esc(report.sweptAt, 60) },
    { title: "In this sweep", value: severitySummary(report.findings) },
    { title: "Alerts", value: digest.alerts.length > 0 ? reasonSummary(digest.alerts) : "none" },
    ...(digest.suppressed > 0 ? [{ title: "Suppressed", value: String(digest.suppressed) }] : []),
    { title: "Read", value: esc(coverageSummary(report), 1_000) },
  ];
  return { type: "FactSet", facts };
}

function scopeText(e: CollectionError): string {
  return `• **${e.source}** ${esc(e.scope, 400)}${e.status === null ? "" : ` (${e.status})`}: ${esc(e.message, 600)}`;
}

/** Silence must not be ambiguous: an incomplete sweep always says what it could not read. */
function unread(digest: Digest): CardElement[] {
  const { report } = digest;
  if (isComplete(report)) return [];
  const n = report.errors.length;
  const heading =
    n === 0
      ? "⚠️ **Incomplete sweep:** not everything could be read (no scope was named). Problems there are not in this digest."
      : `⚠️ **Incomplete sweep: ${plural(n, "scope")} could not be read.** Problems there are not in this digest.`;
  return [
    { type: "Container", style: "attention", items: [textBlock(heading, { weight: "Bolder" })] },
    ...report.errors.map((e) => textBlock(scopeText(e), { spacing: "None" })),
  ];
}

function body(digest: Digest, views: AlertView[]): Item[] {
  switch (digestShape(digest)) {
    case "unread-only":
      return [{ element: textBlock("Nothing new to tell in what could be read. **This is not an all-clear:** the scopes above were not read."), alertIds: [] }];
    case "heartbeat":
      return [{ element: textBlock(`✅ **All clear:** ${plural(digest.report.coverage.credentials, "credential")} checked, nothing to tell.`, { color: "Good" }), alertIds: [] }];
    case "nothing":
      return [];
    case "alerts":
      return [
        ...criticalList(views),
        ...views.map((view, i) => ({ element: view.reason === "resolved" ? resolvedNote(view, i + 1) : alertContainer(view, i + 1), alertIds: [view.id] })),
      ];
  }
}

/** Every critical subject by name, in blocks of ~1,500 characters (so a long list can span cards). */
function criticalList(views: AlertView[]): Item[] {
  const names = criticalSubjects(views).map((s) => `${s.label} **${esc(s.name, 400)}**`);
  const items: Item[] = [];
  let line = "";
  const flush = (first: boolean) => {
    const label = first ? `**Critical now (${names.length}):**` : "**Critical now (continued):**";
    items.push({ element: textBlock(`${label} ${line}`, { color: "Attention", spacing: first ? "Medium" : "None" }), alertIds: [] });
    line = "";
  };
  for (const name of names) {
    if (line && line.length + name.length + 3 > 1_500) flush(items.length === 0);
    line = line ? `${line} · ${name}` : name;
  }
  if (line) flush(items.length === 0);
  return items;
}

function impactAndOwners(v: AlertView): string {
  const parts = [
    v.impact.registries.length > 0 ? `Breaks ACR: ${esc(v.impact.registries.join(", "), 400)}` : "",
    v.impact.clusters.length > 0 ? `Breaks AKS: ${esc(v.impact.clusters.join(", "), 400)}` : "",
    v.owners.length > 0 ? `Owners: ${esc(v.owners.join(", "), 400)}` : "",
    `id: ${esc(v.id, 300)}`,
  ];
  return parts.filter(Boolean).join(" · ");
}

function alertContainer(v: AlertView, n: number): Container {
  const when = v.when ? ` · ${esc(v.when, 120)}` : "";
  return {
    type: "Container",
    separator: true,
    spacing: "Medium",
    items: [
      textBlock(`#${n} ${v.severity.toUpperCase()} · ${esc(v.change, 100)} · ${v.kind}${when}`, { weight: "Bolder", color: COLOR[v.severity] }),
      textBlock(`**${v.subjectLabel}** ${esc(v.subjectName, 400)}${v.detail ? ` · ${esc(v.detail, 300)}` : ""}`, { spacing: "None" }),
      textBlock(esc(v.message, 1_500), { spacing: "Small" }),
      textBlock(impactAndOwners(v), { isSubtle: true, size: "Small", spacing: "Small" }),
      // One block per command: a TextBlock needs a blank line between paragraphs, and a command
      // should read (and copy) as one line.
      ...v.fix.map((command) => textBlock(esc(command, 1_000), { fontType: "Monospace", spacing: "None" })),
    ],
  };
}

function resolvedNote(v: AlertView, n: number): CardElement {
  return textBlock(
    `✅ #${n} **Resolved** · ${v.kind} · **${v.subjectLabel}** ${esc(v.subjectName, 300)} (was ${v.severity}): ${esc(v.message, 1_200)} · id: ${esc(v.id, 300)}`,
    { color: "Good", separator: true },
  );
}

function itemBytes(element: CardElement): number {
  // An element in the body array costs its JSON and a comma.
  return Buffer.byteLength(JSON.stringify(element), "utf8") + 1;
}

function pack(items: Item[], title: string, budget: number, maxCards: number): TeamsPayload[] {
  const titleBlock = (suffix: string) => textBlock(`${title}${suffix}`, { size: "Large", weight: "Bolder" });
  // Measured with the widest title a split can get.
  const base = payloadBytes(teamsPayload([titleBlock(" (999 of 999)")]));
  const pages: Item[][] = [];
  let page: Item[] = [];
  let bytes = base;
  for (const original of items) {
    let item = original;
    if (base + itemBytes(item.element) > budget) item = tooLarge(item, base, budget);
    const size = itemBytes(item.element);
    if (page.length > 0 && bytes + size > budget) {
      pages.push(page);
      page = [];
      bytes = base;
    }
    page.push(item);
    bytes += size;
  }
  if (page.length > 0) pages.push(page);

  let kept = pages;
  if (pages.length > maxCards) {
    const omitted = pages.slice(maxCards - 1).flat().reduce((sum, i) => sum + i.alertIds.length, 0);
    const note = textBlock(
      `⚠️ **${plural(omitted, "more alert")} not in these cards:** a digest has at most ${maxCards} cards. Every alert is in the report (credwatch --format markdown).`,
      { color: "Warning" },
    );
    kept = [...pages.slice(0, maxCards - 1), [{ element: note, alertIds: [] }]];
  }
  return kept.map((p, i) => teamsPayload([titleBlock(kept.length > 1 ? ` (${i + 1} of ${kept.length})` : ""), ...p.map((x) => x.element)]));
}

/** An element that cannot fit a card on its own (only contrived input gets here): said, not dropped. */
function tooLarge(item: Item, base: number, budget: number): Item {
  const ids = item.alertIds.map((id) => esc(id, 300)).join(", ");
  const element = textBlock(`⚠️ This entry is too large for a Teams card${ids ? ` (id: ${ids})` : ""}; it is in the report.`, { color: "Warning" });
  return base + itemBytes(element) > budget ? { element: textBlock("⚠️ An entry too large for a Teams card is in the report."), alertIds: item.alertIds } : { element, alertIds: item.alertIds };
}
