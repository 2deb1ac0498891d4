import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { escapeHtml, html, lines, trusted } from "../../shared/report/html-escape.js";
import { renderHtml } from "../../shared/report/html.js";
import { aFinding, aReport, anError, everyKind, HOSTILE_NAME, TERMINAL_AND_FORMULA } from "./builders.js";
import { ATTRIBUTE_NAME, contosoReport, IMG_NAME } from "./html-tenant.js";

interface Tag {
  name: string;
  closing: boolean;
  /** SVG's <use .../>: opens and closes at once. */
  selfClosing: boolean;
  attributes: Map<string, string>;
}

const VOID = new Set(["meta", "link", "br", "input"]);

/** The page's tags, their attributes read the way a browser would: every value is double-quoted
 *  by the renderer, so a value ends at the first `"` and nothing else may appear in a tag. */
function tags(page: string): Tag[] {
  // Script and style bodies are constants of the renderer; their hashes are checked separately.
  const markup = page.replace(/(<(script|style)>)[\s\S]*?(<\/\2>)/g, "$1$3");
  return [...markup.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*)>/g)].map(([whole, slash, name, rest]) => {
    const attributes = new Map<string, string>();
    const body = rest!.replace(/\/$/, "");
    const consumed = body.replace(/\s+([a-zA-Z][\w:-]*)(?:="([^"]*)")?/g, (_, key: string, value: string | undefined) => {
      attributes.set(key.toLowerCase(), value ?? "");
      return "";
    });
    expect(consumed.trim(), `stray text in ${whole}`).toBe("");
    return { name: name!.toLowerCase(), closing: slash === "/", selfClosing: rest!.endsWith("/"), attributes };
  });
}

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!);
}

/** Text of the page without tags, entities decoded: roughly what a reader sees. */
function visibleText(page: string): string {
  return decode(page.replace(/<(script|style)>[\s\S]*?<\/\1>/g, "").replace(/<[^>]*>/g, " "));
}

function inline(page: string, tag: "script" | "style"): string {
  return new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(page)![1]!;
}

describe("escapeHtml", () => {
  it.each([
    [HOSTILE_NAME, "&lt;!channel&gt; *urgent* &amp; &lt;https://evil.example|click here&gt;"],
    [IMG_NAME, "&lt;img src=x onerror=alert(1)&gt;"],
    [ATTRIBUTE_NAME, "x&quot; onmouseover=&quot;alert(1)&#39; onfocus=&#39;alert(2)"],
    [TERMINAL_AND_FORMULA, "=HYPERLINK(&quot;https://evil.example&quot;,&quot;x&quot;)"],
    ["a\u202eb\nc", "ab c"],
  ])("escapes %j", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe("html``", () => {
  it("escapes interpolated strings and passes markup it built", () => {
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${["<", 1, null, undefined, false]}</p>`.value).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;1</p>',
    );
  });

  it("keeps lines apart and trusts only what is wrapped on purpose", () => {
    expect(lines(["a <b>", "c & d"]).value).toBe("a &lt;b&gt;\nc &amp; d");
    expect(html`${trusted("<hr>")}`.value).toBe("<hr>");
  });
});

describe("renderHtml", () => {
  const report = contosoReport();
  const page = renderHtml(report);
  const all = tags(page);

  it("is one well-formed document", () => {
    expect(page.startsWith("<!doctype html>\n<html lang=\"en\">")).toBe(true);
    const open: string[] = [];
    for (const tag of all) {
      if (VOID.has(tag.name) || tag.selfClosing) continue;
      if (!tag.closing) open.push(tag.name);
      else expect(open.pop(), `</${tag.name}>`).toBe(tag.name);
    }
    expect(open).toEqual([]);
    const ids = all.flatMap((t) => (t.attributes.has("id") ? [t.attributes.get("id")!] : []));
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of all) {
      const href = t.attributes.get("href");
      if (href?.startsWith("#")) expect(ids, href).toContain(href.slice(1));
    }
  });

  it("never lets untrusted text become markup", () => {
    for (const name of [HOSTILE_NAME, IMG_NAME, ATTRIBUTE_NAME]) expect(page).not.toContain(name);
    expect(all.map((t) => t.name)).not.toContain("img");
    for (const t of all) {
      for (const key of t.attributes.keys()) expect(key, `<${t.name} ${key}>`).not.toMatch(/^on/);
    }
    const text = visibleText(page);
    expect(text).toContain(HOSTILE_NAME);
    expect(text).toContain(IMG_NAME);
    expect(text).toContain(ATTRIBUTE_NAME);
  });

  it("escapes every kind of finding and error, controls included", () => {
    const other = renderHtml(aReport({ complete: false, findings: everyKind(), errors: [anError({ scope: IMG_NAME, message: HOSTILE_NAME })] }));
    tags(other);
    expect(other).not.toContain("<!channel>");
    expect(other).not.toContain("<img");
    expect(other).not.toContain("\x1b");
  });

  it("loads nothing: links stay in the page and the CSP allows only its own style and script", () => {
    for (const t of all) {
      for (const key of ["src", "href", "action", "xlink:href"]) {
        const value = t.attributes.get(key);
        if (value !== undefined) expect(value, `<${t.name} ${key}>`).toMatch(/^(#|data:)/);
      }
    }
    expect(page).not.toMatch(/@import|url\(/);
    const csp = decode(all.find((t) => t.attributes.get("http-equiv") === "Content-Security-Policy")!.attributes.get("content")!);
    const sha = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src ${sha(inline(page, "script"))}`);
    expect(csp).toContain(`style-src ${sha(inline(page, "style"))}`);
    expect(page.match(/<script>/g)).toHaveLength(1);
  });

  it("opens with coverage and what could not be read when incomplete", () => {
    const text = visibleText(page);
    expect(text).toContain("Incomplete");
    expect(text).toContain("1 scope could not be read");
    expect(text).toContain("/subscriptions/5d0b7b4e-7c2d-4a8a-9d1f-3e2c1b0a9f8e");
    expect(text).toContain("42 applications, 57 service principals");
    expect(page.indexOf('id="status"')).toBeLessThan(page.indexOf('id="critical"'));
    expect(text).not.toMatch(/all clear/i);
  });

  it("says all clear only when complete without findings", () => {
    expect(visibleText(renderHtml(aReport()))).toContain("All clear");
    expect(visibleText(renderHtml(aReport({ findings: [aFinding()] })))).toContain("Complete: every scope was read.");
    const blind = visibleText(renderHtml(aReport({ complete: false, errors: [anError()] })));
    expect(blind).toContain("This is not an all-clear");
    expect(blind).not.toContain("All clear");
    expect(visibleText(renderHtml(aReport({ complete: false })))).toContain("The sweep did not read everything");
  });

  it("counts findings by severity, each with its word and shape", () => {
    expect(visibleText(page)).toMatch(/5\s+critical\s+3\s+high\s+2\s+medium\s+3\s+low/);
    for (const t of all.filter((tag) => tag.attributes.get("class")?.startsWith("sev sev-"))) {
      expect(t.name).toBe("span");
    }
    for (const [, severity, inner] of page.matchAll(/<span class="sev sev-(\w+)">(.*?)<\/span>/g)) {
      expect(inner).toContain(`<use href="#sev-${severity}"/>`);
      expect(inner!.endsWith(`</svg>${severity}`)).toBe(true);
    }
  });

  it("shows the blast radius of every critical finding", () => {
    const rows = [...page.matchAll(/<tr data-critical="(\d+)">([\s\S]*?)<\/tr>/g)];
    expect(rows).toHaveLength(5);
    const payments = rows.find(([, , row]) => row!.includes("aks-payments-sp"))![2]!;
    expect(payments).toContain('<li class="chip registry">acrcontosoprod</li>');
    expect(payments).toContain('<li class="chip cluster">aks-payments</li>');
    expect(payments).toContain("in 3 d (2026-11-28)");
  });

  it("puts one marker per credential finding due within 90 days on the timeline", () => {
    const markers = [...page.matchAll(/<a href="#f-(\d+)" class="marker" data-marker="\1" data-severity="(\w+)" data-days="(-?\d+)">/g)];
    expect(markers.map(([, , , days]) => Number(days)).sort((a, b) => a - b)).toEqual([-6, 3, 6, 8, 12, 24, 75]);
    const overdue = /<rect class="overdue" x="(\d+)" y="\d+" width="(\d+)"/.exec(page)!;
    const expired = /data-days="-6"><title>[^<]*<\/title><use href="#sev-critical" class="sev-critical" x="([\d.]+)"/.exec(page)!;
    expect(Number(expired[1])).toBeGreaterThanOrEqual(Number(overdue[1]));
    expect(Number(expired[1])).toBeLessThan(Number(overdue[1]) + Number(overdue[2]));
    expect(visibleText(page)).toContain("2 more credential findings expire later than 90 days or never");
  });

  it("gives every finding a row with its fix commands ready to copy", () => {
    const bodies = all.filter((t) => t.name === "tbody" && t.attributes.get("class") === "finding");
    expect(bodies).toHaveLength(report.findings.length);
    const payments = report.findings.find((f) => f.subject.name === "aks-payments-sp")!;
    const n = bodies.find((b) => b.attributes.get("data-subject") === "aks-payments-sp")!.attributes.get("data-n");
    const code = new RegExp(`<code id="fix-${n}">([\\s\\S]*?)</code>`).exec(page)![1]!;
    expect(decode(code)).toBe(payments.fix.join("\n"));
    expect(page).toContain(`<button type="button" class="copy" data-copy="fix-${n}" hidden data-js-only`);
  });

  it("lists owners, and the findings nobody owns", () => {
    const owners = page.slice(page.indexOf('id="owners"'));
    expect(owners).toContain("priya@contoso.example");
    expect(owners).toContain("No owner on record");
    expect(visibleText(owners)).toContain("legacy-ftp-bridge");
  });

  it("marks suppressed findings, counts them and names stale rules", () => {
    const suppressed = aFinding({ suppressed: { reason: "accepted <risk>", until: "2027-06-30T00:00:00Z", by: "alice", source: "rule 2" } });
    const rules = [
      { index: 1, reason: "old", until: null, matched: 0, expired: false },
      { index: 2, reason: "accepted <risk>", until: "2027-06-30T00:00:00Z", matched: 1, expired: false },
    ];
    const text = visibleText(renderHtml(aReport({ findings: [suppressed], suppressions: rules })));
    expect(text).toContain("1 finding is suppressed: reported, but not alerted.");
    expect(text).toContain("suppressed by rule 2: accepted <risk> (until 2027-06-30, by alice)");
    expect(text).toContain("Suppression rule 1 (old) matched nothing");
    expect(text).toMatch(/Credential expiring\s+\(suppressed\)/);
  });

  it("ships its controls hidden, for the script to reveal", () => {
    expect(page).toContain('<form id="filters" class="controls" hidden data-js-only');
    for (const name of ["kind", "severity", "registry", "cluster", "q"]) {
      expect(page).toMatch(new RegExp(`<label for="filter-${name}">\\w+</label><(select|input type="search") id="filter-${name}" name="${name}"`));
    }
  });
});
