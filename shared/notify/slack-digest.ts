// One run's Slack digest, as messages. The channel message says what matters at a glance: the
// headline, counts by severity, coverage, every scope that could not be read (up to a limit, the
// rest in the thread, never silently), the critical subjects and the most urgent alerts with their
// first fix command. Its thread holds the details: every alert with all its fix commands, the
// resolved notes. Every open alert, in the channel message and in the thread, carries its snooze /
// acknowledge buttons (slack-actions.ts), counted by the packing like any block. Pure: no I/O.
import { coverageSummary, isComplete, severitySummary } from "../report/present.js";
import { criticalSubjects, digestShape, fitRendered, headline, orderAlerts, type AlertView } from "./alert-view.js";
import {
  context,
  joinWithin,
  packGroups,
  section,
  type BlockGroup,
  type SlackBlock,
  type SlackMessage,
} from "./slack-limits.js";
import { alertGroup, code, esc, plural, resolvedGroups, scopeLine, urgentText } from "./slack-text.js";
import { alertActions } from "./slack-actions.js";
import type { Digest } from "./types.js";

export interface SlackDigestOptions {
  /** Alerts shown in the channel message (default 5). */
  urgent?: number;
  /** Unread scopes listed in the channel message; with more, all are listed in the thread (default 10). */
  scopesInChannel?: number;
  /** Most messages in the thread (default 40); alerts beyond are named as left out. */
  maxThreadMessages?: number;
  /** Snooze / acknowledge buttons under each open alert (default true; off when nothing receives clicks). */
  buttons?: boolean;
}

export interface SlackDigest {
  /** The channel message; null when there is nothing to send. */
  top: SlackMessage | null;
  thread: SlackMessage[];
  /** The alerts, most urgent first, numbered from 1 in this order. */
  views: AlertView[];
}

const DEFAULTS = { urgent: 5, scopesInChannel: 10, maxThreadMessages: 40, buttons: true };

export function buildSlackDigest(digest: Digest, options: SlackDigestOptions = {}): SlackDigest {
  const settings = { ...DEFAULTS, ...options };
  const shape = digestShape(digest);
  const views = orderAlerts(digest.alerts);
  if (shape === "nothing") return { top: null, thread: [], views };

  const scopeLines = digest.report.errors.map(scopeLine);
  const scopesInThread = scopeLines.length > settings.scopesInChannel;
  const thread = threadMessages(views, scopesInThread ? scopeLines : [], settings.maxThreadMessages, settings.buttons);
  const blocks = [
    ...summaryBlocks(digest),
    ...unreadBlocks(digest, scopeLines.slice(0, settings.scopesInChannel), scopesInThread),
    ...bodyBlocks(digest, views, settings.urgent, settings.buttons),
  ];
  if (thread.messages.length > 0) blocks.push(context(threadNote(views.length, thread.omitted)));
  return { top: { text: fallback(digest), blocks }, thread: thread.messages, views };
}

function fallback(digest: Digest): string {
  const { report } = digest;
  const unread = isComplete(report) ? "" : ` · INCOMPLETE: ${plural(report.errors.length, "scope")} could not be read`;
  return `${headline(digest)} · ${severitySummary(report.findings)} · tenant ${esc(report.tenantId, 200)}${unread}`;
}

function summaryBlocks(digest: Digest): SlackBlock[] {
  const { report } = digest;
  const suppressed = digest.suppressed > 0 ? ` · ${digest.suppressed} suppressed` : "";
  return [
    // plain_text shows everything literally; the headline holds only our own words and numbers.
    { type: "header", text: { type: "plain_text", text: fitRendered(headline(digest), (s) => s, 150), emoji: true } },
    section(`*Tenant* ${code(report.tenantId, 200)} · swept ${esc(report.sweptAt, 60)}\n*In this sweep:* ${severitySummary(report.findings)}${suppressed}`),
    context(`Read: ${esc(coverageSummary(report), 1_000)}`),
  ];
}

/** Silence must not be ambiguous: an incomplete sweep always says what it could not read. */
function unreadBlocks(digest: Digest, lines: string[], more: boolean): SlackBlock[] {
  const { report } = digest;
  if (isComplete(report)) return [];
  const n = report.errors.length;
  const heading =
    n === 0
      ? ":warning: *Incomplete sweep:* not everything could be read (no scope was named). Problems there are not in this digest."
      : `:warning: *Incomplete sweep: ${plural(n, "scope")} could not be read.* Problems there are not in this digest.`;
  const tail = more ? [`…and ${n - lines.length} more: every unread scope is listed in the thread.`] : [];
  return joinWithin([heading, ...lines, ...tail]).map(section);
}

function bodyBlocks(digest: Digest, views: AlertView[], urgent: number, buttons: boolean): SlackBlock[] {
  switch (digestShape(digest)) {
    case "unread-only":
      return [section("Nothing new to tell in what could be read. *This is not an all-clear:* the scopes above were not read.")];
    case "heartbeat":
      return [section(`:white_check_mark: *All clear:* ${plural(digest.report.coverage.credentials, "credential")} checked, nothing to tell.`)];
    case "nothing":
      return [];
    case "alerts": {
      const critical = criticalSubjects(views);
      return [
        { type: "divider" },
        ...(critical.length > 0 ? [context(`*Critical now (${critical.length}):* ${subjectList(critical, 1_500)}`)] : []),
        // Each urgent alert with its buttons (resolved notes have none): two blocks at most per alert.
        ...views.slice(0, urgent).flatMap((v, i) => {
          const actions = buttons ? alertActions(v, i + 1) : null;
          return [section(urgentText(v, i + 1)), ...(actions ? [actions] : [])];
        }),
      ];
    }
  }
}

/** "AKS cluster `aks-prod`, app `ci-pull` and 3 more", within `max` characters. */
function subjectList(subjects: { label: string; name: string }[], max: number): string {
  const items: string[] = [];
  for (const [i, s] of subjects.entries()) {
    const item = `${s.label} ${code(s.name, 200)}`;
    const room = i < subjects.length - 1 ? " and 99999 more".length : 0;
    if (items.length > 0 && [...items, item].join(", ").length + room > max) return `${items.join(", ")} and ${subjects.length - i} more`;
    items.push(item);
  }
  return items.join(", ");
}

function threadNote(total: number, omitted: number): string {
  if (omitted > 0) {
    return `:warning: The thread details ${total - omitted} of ${plural(total, "alert")}: Slack threads are kept short. Every alert is in the report (\`credwatch --format markdown\`).`;
  }
  return `:thread: ${plural(total, "alert")} in all: each one, with every fix command, is in the thread.`;
}

interface Thread {
  messages: SlackMessage[];
  /** Alerts left out of the thread by the message limit. */
  omitted: number;
}

function threadMessages(views: AlertView[], scopeLines: string[], maxMessages: number, buttons: boolean): Thread {
  const numbered = views.map((view, i) => ({ view, n: i + 1 }));
  const groups: BlockGroup[] = [
    ...(scopeLines.length > 0
      ? joinWithin([`:warning: *Could not read (all ${scopeLines.length}):*`, ...scopeLines]).map((text) => ({ blocks: [section(text)], alertIds: [] }))
      : []),
    ...numbered.filter(({ view }) => view.reason !== "resolved").map(({ view, n }) => alertGroup(view, n, buttons)),
    ...resolvedGroups(numbered.filter(({ view }) => view.reason === "resolved")),
  ];
  if (groups.length === 0) return { messages: [], omitted: 0 };
  // One block and a little text are kept for the "part i of n" label.
  let pages = packGroups(groups, { blocks: 1, chars: 200 });
  let omitted = 0;
  if (pages.length > maxMessages) {
    const dropped = pages.slice(maxMessages - 1);
    omitted = dropped.flat().reduce((sum, g) => sum + g.alertIds.length, 0);
    const note = `:warning: *${plural(omitted, "more alert")} not detailed here:* a digest thread holds at most ${maxMessages} messages. Every alert is in the report (\`credwatch --format markdown\`).`;
    pages = [...pages.slice(0, maxMessages - 1), [{ blocks: [section(note)], alertIds: [] }]];
  }
  const messages = pages.map((page, i) => {
    const label = `credwatch details, part ${i + 1} of ${pages.length}`;
    return { text: label, blocks: [context(label), ...page.flatMap((g) => g.blocks)] };
  });
  return { messages, omitted };
}

/** The channel message with a visible warning added (a thread that could not be finished). */
export function withWarning(message: SlackMessage, warning: string): SlackMessage {
  const note = context(`:warning: ${esc(warning, 1_000)}`);
  const blocks = message.blocks.length < 50 ? [...message.blocks, note] : [...message.blocks.slice(0, 49), note];
  return { text: message.text, blocks };
}
