import { describe, expect, it } from "vitest";
import { fitRendered } from "../../shared/notify/alert-view.js";
import { codeBlockLine, escapeMrkdwn, mrkdwnCode } from "../../shared/notify/mrkdwn.js";
import { HOSTILE_NAME } from "../report/builders.js";

const Z = "\u200b";

describe("escapeMrkdwn", () => {
  it("turns the hostile name's markup into entities and fenced markers", () => {
    expect(escapeMrkdwn(HOSTILE_NAME)).toBe(`&lt;!channel&gt; ${Z}*${Z}urgent${Z}*${Z} &amp; &lt;https://evil.example|click here&gt;`);
  });

  it.each([
    ["<@U0123> <#C0123> <!here> <!subteam^S1>", "&lt;@U0123&gt; &lt;#C0123&gt; &lt;!here&gt; &lt;!subteam^S1&gt;"],
    ["&amp; already", "&amp;amp; already"],
    ["_it_ ~st~ `c`", `${Z}_${Z}it${Z}_${Z} ${Z}~${Z}st${Z}~${Z} ${Z}\`${Z}c${Z}\`${Z}`],
    ["line\nbreak\x1b[2J", "line break"],
  ])("escapes %j", (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });
});

describe("mrkdwnCode and codeBlockLine", () => {
  it("shows a name exactly in a code span, but for & < > and backticks", () => {
    expect(mrkdwnCode(HOSTILE_NAME)).toBe("`&lt;!channel&gt; *urgent* &amp; &lt;https://evil.example|click here&gt;`");
    expect(mrkdwnCode("a`b")).toBe("`a\u02cbb`");
    expect(mrkdwnCode("")).toBe("—");
  });

  it("escapes only & < > (and backticks) in commands", () => {
    expect(codeBlockLine("az role assignment create --assignee x_y --role AcrPull <&>")).toBe("az role assignment create --assignee x_y --role AcrPull &lt;&amp;&gt;");
    expect(codeBlockLine("```")).toBe("\u02cb\u02cb\u02cb");
  });
});

describe("fitRendered", () => {
  it("leaves what fits alone", () => {
    expect(fitRendered("short", escapeMrkdwn, 100)).toBe("short");
  });

  it("shortens visibly, within the limit, never inside an entity or a surrogate pair", () => {
    const out = fitRendered("&".repeat(200), escapeMrkdwn, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out).toMatch(/^(&amp;)+… \[shortened: \d+ more characters\]$/);
    const emoji = fitRendered("😀".repeat(100), (s) => s, 60);
    expect(emoji.length).toBeLessThanOrEqual(60);
    expect(emoji).toMatch(/^(😀)+… \[shortened: \d+ more characters\]$/u);
  });
});
