// Adaptive Card 1.4 elements for a Teams Workflows webhook, and untrusted strings made inert in
// them. TextBlock (and FactSet) text is a CommonMark subset: **bold**, _italic_, [text](url),
// "- " and "1. " lists (learn.microsoft.com/adaptive-cards/authoring-cards/text-features); HTML is
// not supported. Untrusted text gets the CommonMark backslash escape on every character that can
// start that markup (so "[click](https://evil)" and "*urgent*" show as typed), a leading list or
// heading marker escaped, and "{{" broken with a zero-width space so it cannot become a
// {{DATE()}}/{{TIME()}} function. Clients that ignore escapes show the backslashes, but still no
// link: the backslash itself breaks "](".
import { clean } from "../report/text.js";

export type TextColor = "Default" | "Attention" | "Warning" | "Good" | "Accent";

export interface TextBlock {
  type: "TextBlock";
  text: string;
  wrap: true;
  weight?: "Bolder";
  size?: "Small" | "Medium" | "Large";
  color?: TextColor;
  isSubtle?: boolean;
  fontType?: "Monospace";
  spacing?: "None" | "Small" | "Medium";
  separator?: boolean;
}

export interface FactSet {
  type: "FactSet";
  facts: { title: string; value: string }[];
}

export interface Container {
  type: "Container";
  items: CardElement[];
  style?: "emphasis" | "attention" | "warning" | "good";
  separator?: boolean;
  spacing?: "None" | "Small" | "Medium";
}

export type CardElement = TextBlock | FactSet | Container;

export interface AdaptiveCard {
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  type: "AdaptiveCard";
  /** 1.4: Teams workflows do not render 1.5 cards. */
  version: "1.4";
  msteams: { width: "Full" };
  body: CardElement[];
}

export interface TeamsPayload {
  type: "message";
  attachments: [{ contentType: "application/vnd.microsoft.card.adaptive"; contentUrl: null; content: AdaptiveCard }];
}

export function textBlock(text: string, options: Omit<TextBlock, "type" | "text" | "wrap"> = {}): TextBlock {
  return { type: "TextBlock", text, wrap: true, ...options };
}

export function teamsPayload(body: CardElement[]): TeamsPayload {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: { $schema: "http://adaptivecards.io/schemas/adaptive-card.json", type: "AdaptiveCard", version: "1.4", msteams: { width: "Full" }, body },
      },
    ],
  };
}

/** The payload's size on the wire: what the ~20 KB budget is measured in. */
export function payloadBytes(payload: TeamsPayload): number {
  return Buffer.byteLength(JSON.stringify(payload), "utf8");
}

// Characters that open or close inline markup (emphasis, links, code, autolinks, entities).
const INLINE_MARKUP = /[\\*_[\]`~<>&]/g;
// A line that would start a list, heading or quote.
const BLOCK_START = /^(\s*)([-+#>]|\d+[.)])/;

/** Untrusted text for a TextBlock or fact: one line, shown as typed. */
export function escapeCardText(value: string): string {
  return clean(value)
    .replace(INLINE_MARKUP, (c) => `\\${c}`)
    .replace(BLOCK_START, (_, space: string, marker: string) => `${space}${marker.replace(/([-+#>.)])$/, "\\$1")}`)
    .replace(/\{\{/g, "{\u200b{");
}
