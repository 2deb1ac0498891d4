// Direct messages to owners (their own findings, in full) and the note that tells the digest thread
// whom credwatch reached and whom it could not. Pure: the sending is in slack.ts.
import type { AlertView } from "./alert-view.js";
import { context, packGroups, section, joinWithin, type SlackMessage } from "./slack-limits.js";
import { alertGroup, code, codeList, esc, plural } from "./slack-text.js";
import type { Digest } from "./types.js";

export interface OwnerAlerts {
  email: string;
  alerts: AlertView[];
}

export function ownerMessages(digest: Digest, owner: OwnerAlerts, options: { buttons?: boolean } = {}): SlackMessage[] {
  const k = owner.alerts.length;
  const title = `credwatch: ${plural(k, "finding")} you own ${k === 1 ? "needs" : "need"} attention`;
  // Room for the header and the context of the first message.
  const pages = packGroups(
    owner.alerts.map((view, i) => alertGroup(view, i + 1, options.buttons ?? true)),
    { blocks: 2, chars: 600 },
  );
  return pages.map((page, i) => {
    const blocks = page.flatMap((g) => g.blocks);
    if (i > 0) {
      const label = `credwatch, continued: part ${i + 1} of ${pages.length}`;
      return { text: label, blocks: [context(label), ...blocks] };
    }
    return {
      text: title,
      blocks: [
        { type: "header", text: { type: "plain_text", text: title, emoji: true } },
        context(
          `You are listed in Microsoft Entra ID as an owner of what these are about. Tenant ${code(digest.report.tenantId, 200)} · swept ${esc(digest.report.sweptAt, 60)}`,
        ),
        ...blocks,
      ],
    };
  });
}

export interface OwnerOutcome {
  messaged: string[];
  notFound: string[];
  failed: { email: string; error: string }[];
  /** Why looking owners up stopped (a missing scope, say), and how many owners that left unmessaged. */
  stopped: { reason: string; left: number } | null;
  /** Owners beyond the per-run limit, not tried. */
  overLimit: number;
}

/** The thread note on owners; null when no owner was involved. */
export function ownerNote(outcome: OwnerOutcome): SlackMessage | null {
  const lines: string[] = [];
  if (outcome.messaged.length > 0) lines.push(`:bust_in_silhouette: *Owners messaged directly (${outcome.messaged.length}):* ${codeList(outcome.messaged, 1_500)}`);
  if (outcome.notFound.length > 0) lines.push(`:grey_question: *Not found in Slack, not messaged (${outcome.notFound.length}):* ${codeList(outcome.notFound, 1_500)}`);
  if (outcome.failed.length > 0) {
    const shown = outcome.failed.slice(0, 20).map((f) => `${code(f.email, 200)} (${esc(f.error, 200)})`);
    const more = outcome.failed.length > shown.length ? ` and ${outcome.failed.length - shown.length} more` : "";
    lines.push(`:warning: *Could not message (${outcome.failed.length}):* ${shown.join(", ")}${more}`);
  }
  if (outcome.stopped) {
    lines.push(`:warning: *Owner look-up stopped, ${plural(outcome.stopped.left, "owner")} not messaged:* ${esc(outcome.stopped.reason, 600)}`);
  }
  if (outcome.overLimit > 0) lines.push(`:warning: ${plural(outcome.overLimit, "more owner")} not messaged this run (a run messages a limited number of owners).`);
  if (lines.length === 0) return null;
  return { text: "credwatch: owners of these findings", blocks: joinWithin(lines).map(section) };
}
