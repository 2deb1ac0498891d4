// `npm run sandbox -- [FIXTURE] [--port N] [--latency MS]`: serves a fixture for other processes (the
// Functions host, a CLI in another terminal). The fixture's clock is moved to the moment the sandbox
// starts, so a process pointed at it can use the real clock. stdout carries only the NAME=value lines
// that point a process at the sandbox; everything else goes to stderr.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FixtureError, loadFixture, startSandbox } from "./index.js";

const DEFAULT_FIXTURE = fileURLToPath(new URL("../fixtures/demo.json", import.meta.url));
const EXIT_BAD_INPUT = 2;

function fail(message: string): never {
  process.stderr.write(`sandbox: ${message}\n`);
  process.exit(EXIT_BAD_INPUT);
}

function nonNegativeInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) fail(`--${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { port: { type: "string" }, latency: { type: "string" } } });
  } catch (error) {
    fail(`${(error as Error).message}\nusage: npm run sandbox -- [FIXTURE] [--port N] [--latency MS]`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) fail(`one fixture at most, got ${positionals.length}`);
  const port = nonNegativeInteger("port", values.port);
  const latencyMs = nonNegativeInteger("latency", values.latency);
  const fixturePath = positionals[0] ?? DEFAULT_FIXTURE;
  if (positionals[0] === undefined && !existsSync(fixturePath)) fail(`no fixture given, and the default fixture ${fixturePath} does not exist`);

  let fixture;
  try {
    fixture = await loadFixture(fixturePath);
  } catch (error) {
    if (error instanceof FixtureError) fail(error.message);
    throw error;
  }
  const sandbox = await startSandbox({ fixture, rebaseClock: true, port, latencyMs });
  for (const [name, value] of Object.entries(sandbox.env)) process.stdout.write(`${name}=${value}\n`);
  process.stderr.write(`sandbox: serving ${fixture.name ?? fixturePath} at ${sandbox.url} (clock moved to ${sandbox.fixture.now}); Ctrl-C stops it\n`);

  const stop = async (signal: string) => {
    process.stderr.write(`sandbox: ${signal}, stopping (${sandbox.requests.length} requests served, ${sandbox.violations.length} violations)\n`);
    await sandbox.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

await main();
