import { describe, expect, it } from "vitest";
import { codeSpan, escapeText, renderMarkdown } from "../../shared/report/markdown.js";
import { aFinding, anError, aReport, everyKind, HOSTILE_NAME } from "./builders.js";

/** Table rows of the document, split into cells the way GFM does (unescaped pipes only). */
function tableRows(markdown: string): string[][] {
  return markdown
    .split("\n")
    .filter((line) => line.startsWith("| "))
    .map((line) => line.slice(2, -2).split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

describe("escapeText", () => {
  it("neutralises the hostile display name", () => {
    expect(escapeText(HOSTILE_NAME)).toBe("&lt;!channel&gt; \\*urgent\\* &amp; &lt;https://evil.example\\|click here&gt;");
  });

  it.each([
    ["[click](https://evil.example)", "\\[click\\](https://evil.example)"],
    ["a_b_c ~~x~~ $x$", "a\\_b\\_c \\~\\~x\\~\\~ \\$x\\$"],
    ["`code` \\", "\\`code\\` \\\\"],
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["line\nbreak", "line break"],
  ])("escapes %j", (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });
});

describe("codeSpan", () => {
  it.each([
    ["plain", "`plain`"],
    ["a`b", "``a`b``"],
    ["`start", "`` `start ``"],
    ["x``y`", "``` x``y` ```"],
    ["a|b", "`a\\|b`"],
    ["", "—"],
  ])("fences %j", (input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });

  it("leaves pipes alone outside tables", () => {
    expect(codeSpan("a|b", false)).toBe("`a|b`");
  });
});

describe("renderMarkdown", () => {
  const complete = renderMarkdown(aReport({ findings: everyKind() }));

  it("has a title, coverage and a summary by severity", () => {
    expect(complete.startsWith("# credwatch report\n")).toBe(true);
    expect(complete).toContain("- Tenant: `44444444-4444-4444-4444-444444444444`");
    expect(complete).toContain("- Status: complete");
    expect(complete).toContain("40 credentials examined");
    expect(complete).toContain("| critical | 2 |\n| high | 1 |\n| medium | 2 |\n| low | 1 |");
    expect(complete).not.toContain("Could not read");
  });

  it("has a table per severity, critical first", () => {
    const headings = complete.split("\n").filter((line) => line.startsWith("## "));
    expect(headings).toEqual(["## Summary", "## Critical (2)", "## High (1)", "## Medium (2)", "## Low (1)"]);
  });

  it("keeps every table row to its columns, whatever the names hold", () => {
    for (const row of tableRows(complete)) {
      expect([2, 6]).toContain(row.length);
    }
    expect(complete).toContain("ACR: `acrprod`<br>AKS: `aks-prod`");
  });

  it("shows hostile names as code, and escapes them in prose", () => {
    expect(complete).toContain("service principal `<!channel> *urgent* & <https://evil.example\\|click here>`");
    expect(complete).toContain("&lt;!channel&gt; \\*urgent\\* &amp; &lt;https://evil.example\\|click here&gt;");
    expect(complete).not.toMatch(/[^`]<!channel>/);
    expect(complete).not.toContain("\x1b");
  });

  it("puts fix commands in fenced blocks a command cannot close", () => {
    expect(complete).toContain("```sh\naz acr update -n acrlegacy --admin-enabled false\n```");
    const sneaky = renderMarkdown(aReport({ findings: [aFinding({ fix: ["echo ```", "az x\n## injected"] })] }));
    expect(sneaky).toContain("````sh\necho ```\naz x ## injected\n````");
    expect(sneaky.split("\n")).not.toContain("## injected");
  });

  it("lists what could not be read when incomplete, and never says all clear then", () => {
    const text = renderMarkdown(aReport({ complete: false, errors: [anError(), anError({ source: "graph", scope: "a|b", status: null, message: "<b>" })] }));
    expect(text).toContain("- Status: **INCOMPLETE**: 2 scope(s) could not be read");
    expect(text).toContain("## Could not read");
    expect(text).toContain("| arm | `/subscriptions/33333333-3333-3333-3333-333333333333` | 403 | AuthorizationFailed: the client cannot read role assignments |");
    expect(text).toContain("| graph | `a\\|b` | — | &lt;b&gt; |");
    expect(text).toContain("This is not an all-clear");
    expect(text).not.toContain("all clear.");
    expect(renderMarkdown(aReport())).toContain("No findings: all clear.");
  });
});
