// Untrusted strings (display names, registry and cluster names, callers, messages that quote them,
// owners) made inert in Slack mrkdwn. Slack decodes exactly three entities, &amp; &lt; &gt; — so
// escaping & < > is what stops "<!channel>", "<@U123>" and "<https://evil|click here>" from being
// obeyed. Emphasis (* _ ~) and code (`) have no escape in mrkdwn: prose gets them fenced by
// zero-width spaces (a marker next to one can neither open nor close formatting, whichever way
// Slack classes the character), names go in code spans, where nothing is formatted.
import { clean } from "../report/text.js";

const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const ZERO_WIDTH_SPACE = "\u200b";
// U+02CB MODIFIER LETTER GRAVE ACCENT: looks like a backtick, cannot end a code span.
const BACKTICK_LOOKALIKE = "\u02cb";

function entities(value: string): string {
  return value.replace(/[&<>]/g, (c) => ENTITY[c]!);
}

/** Prose: one line, & < > as entities, formatting characters neutralised. */
export function escapeMrkdwn(value: string): string {
  return entities(clean(value)).replace(/[*_~`]/g, (c) => `${ZERO_WIDTH_SPACE}${c}${ZERO_WIDTH_SPACE}`);
}

/** A name as an inline code span: shown exactly (but for backticks), never formatted; "—" when empty. */
export function mrkdwnCode(value: string): string {
  const text = entities(clean(value).replace(/`/g, BACKTICK_LOOKALIKE));
  return text === "" ? "—" : `\`${text}\``;
}

/** The inside of a ``` block: only the entities apply (and backticks, which would close the block). */
export function codeBlockLine(value: string): string {
  return entities(clean(value).replace(/`/g, BACKTICK_LOOKALIKE));
}

/** Lines already passed through codeBlockLine, fenced as one preformatted block. */
export function fenceCodeBlock(renderedLines: readonly string[]): string {
  return `\`\`\`\n${renderedLines.join("\n")}\n\`\`\``;
}

/** The characters a fenced block adds around its lines. */
export const FENCE_OVERHEAD = "```\n\n```".length;
