// Rewrites the settings table in README.md from the config schema, so the documentation cannot
// drift from what credwatch reads (test/readme.test.ts checks it). Run: npx tsx scripts/update-readme-settings.ts
import { readFileSync, writeFileSync } from "node:fs";
import { describeSettings } from "../shared/config/index.js";

const START = "<!-- settings:start -->";
const END = "<!-- settings:end -->";
const readme = new URL("../README.md", import.meta.url);
const text = readFileSync(readme, "utf8");
const from = text.indexOf(START);
const to = text.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md has no ${START} ... ${END} block`);
writeFileSync(readme, `${text.slice(0, from + START.length)}\n${describeSettings()}${text.slice(to)}`);
