// The buttons under each alert in Slack ("Snooze 7 days", "Acknowledge until expiry") and what a
// click changes in the message. Pure: functions/slack-interactions.ts receives the clicks.
//
// Each open alert gets one actions block: block_id `credwatch_alert_<n>` (its number in the digest,
// unique in a message), two buttons whose value carries what a snooze needs to know of the finding
// (its id, severity and credential end date). An alert whose value would exceed Slack's
// 2,000 characters (an id of ~1,900 characters: none that analysis makes) gets no buttons.
import { SEVERITIES } from "../model.js";
import type { SnoozeAction, SnoozeTarget } from "../suppress/snooze.js";
import { fitRendered, type AlertView } from "./alert-view.js";
import { escapeMrkdwn } from "./mrkdwn.js";
import { mrkdwn, SLACK_LIMITS, type SlackBlock, type SlackButton } from "./slack-limits.js";

export const ACTION_IDS: Record<SnoozeAction, string> = {
  snooze: "credwatch_snooze",
  acknowledge: "credwatch_acknowledge",
};

const LABELS: Record<SnoozeAction, string> = {
  snooze: "Snooze 7 days",
  acknowledge: "Acknowledge until expiry",
};

const BLOCK_PREFIX = "credwatch_alert_";

export function actionsBlockId(n: number): string {
  return `${BLOCK_PREFIX}${n}`;
}

/** Whether a block id is one of ours (a click elsewhere in the message is not ours to handle). */
export function isAlertBlockId(blockId: string): boolean {
  return new RegExp(`^${BLOCK_PREFIX}\\d+$`).test(blockId);
}

/**
 * A button's value: "1|severity|credential end|finding id" (version 1; the end empty when there is
 * none; the id last, so it may hold any character). Compact: each alert carries it twice.
 */
export function encodeButtonValue(target: SnoozeTarget): string {
  return `1|${target.severity}|${target.credentialEnd ?? ""}|${target.findingId}`;
}

/** The finding a button's value names; null when it is not a value credwatch made. */
export function decodeButtonValue(value: string): SnoozeTarget | null {
  const match = /^1\|([a-z]+)\|([^|]*)\|(.+)$/s.exec(value);
  if (!match) return null;
  const [, severity, end, findingId] = match as unknown as [string, string, string, string];
  if (!(SEVERITIES as readonly string[]).includes(severity)) return null;
  if (end !== "" && Number.isNaN(Date.parse(end))) return null;
  return { findingId, severity: severity as SnoozeTarget["severity"], credentialEnd: end === "" ? null : end };
}

/** The action a button's action_id stands for; null when it is not ours. */
export function actionOf(actionId: string): SnoozeAction | null {
  const found = (Object.keys(ACTION_IDS) as SnoozeAction[]).find((action) => ACTION_IDS[action] === actionId);
  return found ?? null;
}

/** The buttons of an open alert numbered `n`; null for a resolved note or a value too long to carry. */
export function alertActions(view: AlertView, n: number): SlackBlock | null {
  if (view.reason === "resolved") return null;
  const value = encodeButtonValue({ findingId: view.id, severity: view.severity, credentialEnd: view.credentialEnd });
  if (value.length > SLACK_LIMITS.buttonValue) return null;
  const button = (action: SnoozeAction): SlackButton => ({
    type: "button",
    action_id: ACTION_IDS[action],
    text: { type: "plain_text", text: LABELS[action], emoji: true },
    value,
  });
  return { type: "actions", block_id: actionsBlockId(n), elements: [button("snooze"), button("acknowledge")] };
}

/** The line that replaces the buttons once clicked: ":zzz: Snoozed until 2026-12-02 by @alice". */
export function actedBlock(blockId: string, line: string): SlackBlock {
  return { type: "context", block_id: blockId, elements: [mrkdwn(`:zzz: ${fitRendered(line, escapeMrkdwn, 1_000)}`)] };
}

/**
 * The message's blocks (as Slack sent them back in the interaction) with the clicked alert's
 * buttons replaced by `line`; null when the message no longer has that block.
 */
export function replaceActions(blocks: readonly unknown[], blockId: string, line: string): unknown[] | null {
  const at = blocks.findIndex((block) => (block as { block_id?: unknown } | null)?.block_id === blockId);
  if (at < 0) return null;
  return blocks.map((block, i) => (i === at ? actedBlock(blockId, line) : block));
}
