import { describe, expect, it } from "vitest";
import { clean } from "../../shared/report/text.js";

describe("clean", () => {
  it.each([
    ["clear screen", "\x1b[2Jname", "name"],
    ["colors", "\x1b[31mred\x1b[0m", "red"],
    ["8-bit CSI", "\x9b2Jname", "name"],
    ["OSC 8 hyperlink", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"],
    ["window title", "\x1b]0;pwned\x07name", "name"],
    ["a lone ESC at the end", "name\x1b", "name"],
    ["backspaces and bells", "na\x08\x07me", "name"],
    ["line breaks and tabs", "a\nb\r\nc\td\u2028e", "a b  c d e"],
    ["bidi overrides", "abc\u202edcba\u202c", "abcdcba"],
    ["surrounding whitespace", "  name \n", "name"],
  ])("removes %s", (_, input, expected) => {
    expect(clean(input)).toBe(expected);
  });

  it("keeps ordinary and non-Latin text", () => {
    expect(clean("ci-pull (prod) — 生产 ✓ <b>&")).toBe("ci-pull (prod) — 生产 ✓ <b>&");
  });
});
