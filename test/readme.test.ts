// The README is the user's first contact: its settings table and set-up commands must be true.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeSettings } from "../shared/config/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const ci = readFileSync(new URL("../.ci/run", import.meta.url), "utf8");

describe("README", () => {
  it("documents every setting exactly as the config schema reads it (npx tsx scripts/update-readme-settings.ts)", () => {
    expect(readme).toContain(describeSettings());
  });

  it("gives the two set-up commands, and CI runs the same test command", () => {
    expect(readme).toContain("npm run sweep -- --sandbox");
    expect(readme).toMatch(/```sh\nnpm test\n```/);
    expect(ci).toMatch(/^npm test$/m);
  });
});
