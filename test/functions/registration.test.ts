// What the deployed app registers: the built entry points (package.json `main`), loaded by a stand-in
// for the Functions worker, must register the nightly timer on %CREDWATCH_SCHEDULE%, the
// function-key HTTP sweep and its fan-out status route, the fan-out shard queue trigger on the host's
// storage, and the anonymous Slack interactions endpoint — and nothing runs on start-up.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WORKER = fileURLToPath(new URL("./fake-worker.cjs", import.meta.url));

interface Binding {
  type: string;
  direction: string;
  [key: string]: unknown;
}
interface Registration {
  name: string;
  bindings: Record<string, Binding>;
}

describe("the Functions app's entry points", () => {
  let registrations: Registration[];

  beforeAll(() => {
    execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "pipe" });
    const main = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")).main as string;
    // `main` is one folder and a file-name pattern, as the Functions host reads it (fs.globSync is Node 22+).
    const pattern = new RegExp(`^${basename(main).replace(/\./g, "\\.").replace(/\*/g, "[^/]*")}$`);
    const entryPoints = readdirSync(`${ROOT}/${dirname(main)}`).filter((f) => pattern.test(f)).map((f) => `${dirname(main)}/${f}`);
    expect(entryPoints.sort()).toEqual([
      "dist/functions/nightly-sweep.js",
      "dist/functions/slack-interactions.js",
      "dist/functions/sweep-http.js",
      "dist/functions/sweep-shard.js",
      "dist/functions/sweep-status.js",
    ]);
    const script = entryPoints.map((file) => `await import(${JSON.stringify(`${ROOT}/${file}`)});`).join("\n");
    const out = execFileSync(process.execPath, ["--require", WORKER, "--input-type=module", "-e", script], { cwd: ROOT, env: {}, encoding: "utf8" });
    registrations = JSON.parse(out.trim().split("\n").pop()!);
  }, 120_000);

  it("registers the nightly timer on %CREDWATCH_SCHEDULE%, never on start-up", () => {
    const timer = registrations.find((r) => r.name === "nightly-sweep");
    const trigger = Object.values(timer!.bindings).find((b) => b.direction === "in");
    expect(trigger).toMatchObject({ type: "timerTrigger", schedule: "%CREDWATCH_SCHEDULE%" });
    expect(trigger!.runOnStartup ?? false).toBe(false);
  });

  it("registers the HTTP sweep with a function key, for GET and POST, on /api/sweep", () => {
    const http = registrations.find((r) => r.name === "sweep");
    const trigger = Object.values(http!.bindings).find((b) => b.direction === "in");
    expect(trigger).toMatchObject({ type: "httpTrigger", authLevel: "function", route: "sweep" });
    expect((trigger!.methods as string[]).sort()).toEqual(["GET", "POST"]);
  });

  it("registers Slack's interactions anonymously (the request signature authenticates), POST only, on /api/slack/interactions", () => {
    const http = registrations.find((r) => r.name === "slack-interactions");
    const trigger = Object.values(http!.bindings).find((b) => b.direction === "in");
    expect(trigger).toMatchObject({ type: "httpTrigger", authLevel: "anonymous", route: "slack/interactions" });
    expect(trigger!.methods).toEqual(["POST"]);
  });

  it("registers the fan-out status route with a function key, GET only, on /api/sweep/status/{id}", () => {
    const http = registrations.find((r) => r.name === "sweep-status");
    const trigger = Object.values(http!.bindings).find((b) => b.direction === "in");
    expect(trigger).toMatchObject({ type: "httpTrigger", authLevel: "function", route: "sweep/status/{id}" });
    expect(trigger!.methods).toEqual(["GET"]);
  });

  it("registers the fan-out shard worker as a trigger on the shard queue of the host's storage (AzureWebJobsStorage)", () => {
    const worker = registrations.find((r) => r.name === "sweep-shard");
    const trigger = Object.values(worker!.bindings).find((b) => b.direction === "in");
    expect(trigger).toMatchObject({ type: "queueTrigger", queueName: "credwatch-shards", connection: "AzureWebJobsStorage" });
  });

  it("registers nothing else", () => {
    expect(registrations.map((r) => r.name).sort()).toEqual(["nightly-sweep", "slack-interactions", "sweep", "sweep-shard", "sweep-status"]);
  });
});
