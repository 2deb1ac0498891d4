// Acceptance on the shared worked example, through the CLI as DESIGN §3.2 runs it. The fixture sits
// beside the project (../shared), not in it; a clone without it skips this file.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";
import { compareWithExpectation, type Expectation } from "../support/expectations.js";

const fixture = fileURLToPath(new URL("../../../shared/fixtures/contoso.json", import.meta.url));
const expectation = fixture.replace(/\.json$/, ".expect.json");

describe.skipIf(!existsSync(fixture) || !existsSync(expectation))("contoso acceptance (../shared/fixtures)", () => {
  it("matches every finding of contoso.expect.json and none of its absent list", async () => {
    const run = await runCli(["--sandbox", fixture, "--format", "json"]);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout);
    const expected = JSON.parse(await readFile(expectation, "utf8")) as Expectation;
    expect(compareWithExpectation(report, expected)).toEqual([]);
  });
});
