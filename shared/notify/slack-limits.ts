// Slack's Block Kit limits, how a message measures against them, and packing groups of blocks into
// messages that stay within them. Block Kit reference: 50 blocks per message, 3,000 characters per
// section text, 150 per header, 10 context elements. Slack also refuses a message whose blocks hold
// somewhat more than 13,000 characters in all (msg_blocks_too_long; undocumented, reported in
// slackapi/bolt-js#2509), so a message is kept to 12,000. Actions blocks (docs.slack.dev/reference/
// block-kit/blocks/actions-block, .../block-elements/button-element): at most 25 elements, a button's
// text 75 characters, its action_id 255, its value 2,000; a block_id 255, unique in the message.
// Their text and values count toward the message's characters (more than Slack may count: safe).

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3_000,
  headerText: 150,
  contextElements: 10,
  contextText: 3_000,
  /** All block text of one message (see above). */
  messageChars: 12_000,
  /** Our own bound on the notification text; Slack truncates `text` at 40,000. */
  fallbackText: 3_000,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2_000,
  blockId: 255,
} as const;

export interface SlackText {
  type: "mrkdwn";
  text: string;
  /** No auto-linking of bare URLs, channel names or mentions: what is shown is what was sent. */
  verbatim: true;
}

export interface SlackButton {
  type: "button";
  action_id: string;
  text: { type: "plain_text"; text: string; emoji: true };
  value: string;
  style?: "primary" | "danger";
}

export type SlackBlock =
  | { type: "header"; text: { type: "plain_text"; text: string; emoji: true } }
  | { type: "section"; text: SlackText }
  | { type: "context"; elements: SlackText[]; block_id?: string }
  | { type: "actions"; block_id: string; elements: SlackButton[] }
  | { type: "divider" };

export interface SlackMessage {
  /** Notification and fallback text (mrkdwn, escaped). */
  text: string;
  blocks: SlackBlock[];
}

export function mrkdwn(text: string): SlackText {
  return { type: "mrkdwn", text, verbatim: true };
}

export function section(text: string): SlackBlock {
  return { type: "section", text: mrkdwn(text) };
}

export function context(...texts: string[]): SlackBlock {
  return { type: "context", elements: texts.map(mrkdwn) };
}

export function blockChars(block: SlackBlock): number {
  switch (block.type) {
    case "header":
    case "section":
      return block.text.text.length;
    case "context":
      return block.elements.reduce((sum, e) => sum + e.text.length, 0);
    case "actions":
      return block.elements.reduce((sum, e) => sum + e.text.text.length + e.value.length, 0);
    case "divider":
      return 0;
  }
}

export function messageChars(blocks: readonly SlackBlock[]): number {
  return blocks.reduce((sum, b) => sum + blockChars(b), 0);
}

/** Every way the message breaks a limit; empty when it is fit to send. */
export function limitProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  const { blocks } = message;
  if (message.text.trim() === "") problems.push("no fallback text");
  if (message.text.length > SLACK_LIMITS.fallbackText) problems.push(`fallback text of ${message.text.length} characters`);
  if (blocks.length > SLACK_LIMITS.blocksPerMessage) problems.push(`${blocks.length} blocks`);
  const total = messageChars(blocks);
  if (total > SLACK_LIMITS.messageChars) problems.push(`${total} characters of block text`);
  blocks.forEach((block, i) => {
    if (block.type === "header" && block.text.text.length > SLACK_LIMITS.headerText) problems.push(`block ${i}: header of ${block.text.text.length} characters`);
    if (block.type === "section" && block.text.text.length > SLACK_LIMITS.sectionText) problems.push(`block ${i}: section of ${block.text.text.length} characters`);
    if (block.type === "context") {
      if (block.elements.length > SLACK_LIMITS.contextElements) problems.push(`block ${i}: ${block.elements.length} context elements`);
      block.elements.forEach((e, j) => {
        if (e.text.length > SLACK_LIMITS.contextText) problems.push(`block ${i}: context element ${j} of ${e.text.length} characters`);
      });
    }
    if ((block.type === "section" || block.type === "header") && block.text.text.trim() === "") problems.push(`block ${i}: empty ${block.type}`);
    if (block.type === "actions") {
      if (block.elements.length === 0 || block.elements.length > SLACK_LIMITS.actionsElements) problems.push(`block ${i}: ${block.elements.length} actions elements`);
      block.elements.forEach((e, j) => {
        if (e.text.text.length === 0 || e.text.text.length > SLACK_LIMITS.buttonText) problems.push(`block ${i}: button ${j} text of ${e.text.text.length} characters`);
        if (e.action_id.length > SLACK_LIMITS.actionId) problems.push(`block ${i}: button ${j} action_id of ${e.action_id.length} characters`);
        if (e.value.length > SLACK_LIMITS.buttonValue) problems.push(`block ${i}: button ${j} value of ${e.value.length} characters`);
      });
      const ids = block.elements.map((e) => e.action_id);
      if (new Set(ids).size !== ids.length) problems.push(`block ${i}: repeated action_id`);
    }
    const blockId = "block_id" in block ? block.block_id : undefined;
    if (blockId !== undefined && (blockId.length === 0 || blockId.length > SLACK_LIMITS.blockId)) problems.push(`block ${i}: block_id of ${blockId.length} characters`);
  });
  const blockIds = blocks.flatMap((b) => ("block_id" in b && b.block_id !== undefined ? [b.block_id] : []));
  if (new Set(blockIds).size !== blockIds.length) problems.push("repeated block_id");
  return problems;
}

/** Blocks that belong together (one alert, one batch of notes): kept in one message when they fit. */
export interface BlockGroup {
  blocks: SlackBlock[];
  /** The alerts this group describes, to count what a cut leaves out. */
  alertIds: string[];
}

/**
 * Groups packed in order into pages, each within the block and character budgets less `reserve`
 * (room the caller keeps for a label). A group is never split; every group fits a page on its own
 * by construction (a few sections of at most 3,000 characters).
 */
export function packGroups(groups: readonly BlockGroup[], reserve: { blocks: number; chars: number }): BlockGroup[][] {
  const maxBlocks = SLACK_LIMITS.blocksPerMessage - reserve.blocks;
  const maxChars = SLACK_LIMITS.messageChars - reserve.chars;
  const pages: BlockGroup[][] = [];
  let page: BlockGroup[] = [];
  let blocks = 0;
  let chars = 0;
  for (const group of groups) {
    const size = messageChars(group.blocks);
    if (page.length > 0 && (blocks + group.blocks.length > maxBlocks || chars + size > maxChars)) {
      pages.push(page);
      page = [];
      blocks = 0;
      chars = 0;
    }
    page.push(group);
    blocks += group.blocks.length;
    chars += size;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/**
 * Texts packed into as few texts of at most `max` characters as their order allows, joined by
 * newlines. Each text must already fit on its own.
 */
export function joinWithin(texts: readonly string[], max: number = SLACK_LIMITS.sectionText): string[] {
  const out: string[] = [];
  for (const text of texts) {
    const last = out[out.length - 1];
    if (last !== undefined && last.length + 1 + text.length <= max) out[out.length - 1] = `${last}\n${text}`;
    else out.push(text);
  }
  return out;
}
