// `npm run bench -- [--json] [--apps N] [--latency-ms N] ...`: credwatch against a synthetic tenant.
//
// Generates a tenant (deterministic seed), serves it from the sandbox in this process with latency
// injected on every Graph and ARM request, and runs each sweep in a child process of its own
// (bench/sweep-child.ts), pointed at the sandbox through its settings, so that peak RSS is the
// sweep's alone. Runs, in order:
//   0. a warm-up sweep, not reported (the sandbox's own code gets compiled; --no-warmup skips it)
//   1. credwatch, a full sweep with the default settings            → "credwatch"
//   2. credwatch with CREDWATCH_INCREMENTAL (no inventory yet: full)  → "incremental.full"
//   3. a few changes through the sandbox's mutation API, then an incremental sweep → "incremental"
//   4. a full sweep again, to check the incremental one found the same  → "incremental.sameFindingsAsFullSweep"
//   5. the baseline (bench/baseline.ts), the way existing scripts read a tenant → "baseline"
// A human summary goes to stderr; stdout ends with one JSON object.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseFixture, startSandbox, type RequestLogEntry, type Sandbox } from "../test/sandbox/index.js";
import { startAzurite, type Azurite } from "../test/support/azurite.js";
import { bounds } from "./bounds.js";
import { DEFAULT_SIZE, generateTenant, type TenantSize } from "./generate.js";
import type { ChildRequest, ChildResult } from "./sweep-child.js";

const CHILD = fileURLToPath(new URL("./sweep-child.ts", import.meta.url));
const DAY = 86_400_000;

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function count(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) fail(`--${name} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  return Number(value);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        json: { type: "boolean", default: false },
        apps: { type: "string" },
        sps: { type: "string" },
        subscriptions: { type: "string" },
        registries: { type: "string" },
        tokens: { type: "string" },
        clusters: { type: "string" },
        "latency-ms": { type: "string" },
        seed: { type: "string" },
        store: { type: "string" },
        "graph-page-size": { type: "string" },
        "arm-page-size": { type: "string" },
        "baseline-owner-concurrency": { type: "string" },
        "no-baseline": { type: "boolean", default: false },
        "skip-schema-check": { type: "boolean", default: false },
        "no-warmup": { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}
usage: npm run bench -- [--json] [--apps N] [--sps N] [--subscriptions N] [--registries N] [--tokens N] [--clusters N]
       [--latency-ms N] [--seed N] [--store file|table] [--graph-page-size N] [--arm-page-size N]
       [--baseline-owner-concurrency N] [--no-baseline] [--skip-schema-check] [--no-warmup] [--verbose]`);
  }
})();

const apps = count("apps", values.apps, DEFAULT_SIZE.applications);
const size: TenantSize = {
  applications: apps,
  servicePrincipals: count("sps", values.sps, values.apps === undefined ? DEFAULT_SIZE.servicePrincipals : Math.round(apps * 1.2)),
  subscriptions: count("subscriptions", values.subscriptions, DEFAULT_SIZE.subscriptions),
  registries: count("registries", values.registries, DEFAULT_SIZE.registries),
  tokens: count("tokens", values.tokens, DEFAULT_SIZE.tokens),
  clusters: count("clusters", values.clusters, DEFAULT_SIZE.clusters),
};
const latencyMs = count("latency-ms", values["latency-ms"], 20);
const seed = count("seed", values.seed, 42);
const graphPageSize = count("graph-page-size", values["graph-page-size"], 100, 1);
const armPageSize = count("arm-page-size", values["arm-page-size"], 100, 1);
const ownerConcurrency = count("baseline-owner-concurrency", values["baseline-owner-concurrency"], 8, 1);
const storeKind = values.store ?? "file";
if (storeKind !== "file" && storeKind !== "table") fail(`--store must be file or table, got ${JSON.stringify(values.store)}`);
const say = (line: string) => process.stderr.write(`${line}\n`);

interface Run {
  child: ChildResult;
  requests: number;
  graphRequests: number;
  armRequests: number;
  tokenRequests: number;
  /** Graph requests answered by a $batch (not counted in `requests`). */
  batchItems: number;
}

function tally(requests: readonly RequestLogEntry[]) {
  const top = requests.filter((r) => r.batchItemId === undefined);
  const graph = top.filter((r) => r.service === "graph").length;
  const arm = top.filter((r) => r.service === "arm").length;
  return {
    requests: graph + arm,
    graphRequests: graph,
    armRequests: arm,
    tokenRequests: top.filter((r) => r.service === "identity" || r.service === "oauth").length,
    batchItems: requests.length - top.length,
  };
}

async function runChild(sandbox: Sandbox, request: ChildRequest, env: Record<string, string>): Promise<Run> {
  sandbox.clearLog();
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AZURE_|IDENTITY_|MSI_|CREDWATCH_)/.test(k)));
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_OPTIONS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", CHILD, JSON.stringify(request)], {
    env: { ...base, ...sandbox.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    if (values.verbose) process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  const line = stdout.trim().split("\n").at(-1) ?? "";
  let result: ChildResult;
  try {
    result = JSON.parse(line) as ChildResult;
  } catch {
    fail(`the ${request.mode} sweep failed (exit ${code}):\n${stderr}${stdout}`);
  }
  if (process.env.BENCH_TIMELINE) timeline(sandbox.requests);
  if (!result.complete) say(`  warning: the ${request.mode} sweep was incomplete: ${result.errors.slice(0, 5).join("; ")}`);
  return { child: result, ...tally(sandbox.requests) };
}

/** Debugging aid (BENCH_TIMELINE=1): when each kind of request was served, relative to the first. */
function timeline(requests: readonly RequestLogEntry[]): void {
  const start = Math.min(...requests.map((r) => Date.parse(r.at)));
  const groups = new Map<string, number[]>();
  for (const r of requests) {
    if (r.batchItemId !== undefined) continue;
    const kind = r.service === "arm" ? `arm ${r.path.replace(/\/subscriptions\/[^/]+/, "/S").replace(/\/resourceGroups\/[^/]+/, "/RG").replace(/registries\/[^/]+/, "registries/R")}` : `${r.service} ${r.method} ${r.path.replace(/\/[0-9a-f-]{36}/, "/ID")}`;
    groups.set(kind, [...(groups.get(kind) ?? []), Date.parse(r.at) - start]);
  }
  for (const [kind, times] of groups) say(`    ${kind}: ${times.length} from ${Math.min(...times)} to ${Math.max(...times)} ms`);
  const sps = groups.get("graph GET /v1.0/servicePrincipals") ?? [];
  if (sps.length > 1) say(`    servicePrincipals page intervals: ${sps.slice(1).map((t, i) => t - sps[i]!).join(" ")}`);
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  say(`bench: generating a tenant of ${size.applications} applications, ${size.servicePrincipals} service principals, ${size.subscriptions} subscriptions, ${size.registries} registries, ${size.tokens} tokens, ${size.clusters} clusters (seed ${seed})`);
  let t = performance.now();
  const generated = generateTenant(size, { seed });
  const fixture = generated.fixture;
  const generateSeconds = (performance.now() - t) / 1000;
  let schemaCheckSeconds: number | null = null;
  if (!values["skip-schema-check"]) {
    // The generator builds records valid by construction and the sandbox serves them as they are;
    // this measures what checking them with the fixture schema (zod) would cost, and checks them.
    t = performance.now();
    parseFixture(fixture, "generated tenant");
    schemaCheckSeconds = (performance.now() - t) / 1000;
  }
  const now = new Date(fixture.now);

  let azurite: Azurite | null = null;
  const scratch = mkdtempSync(join(tmpdir(), "credwatch-bench-"));
  const sandbox = await startSandbox({ fixture, latencyMs, graphPageSize, armPageSize });
  try {
    if (storeKind === "table") azurite = await startAzurite();
    const ledger = azurite ? azurite.connectionString : join(scratch, "ledger.json");
    const child = (mode: ChildRequest["mode"]): ChildRequest => ({ mode, now: fixture.now, ownerConcurrency, verbose: values.verbose });

    say(`bench: sandbox at ${sandbox.url}, ${latencyMs} ms per Graph/ARM request; sweeping (each sweep in its own process)`);
    if (!values["no-warmup"]) {
      // One sweep nobody times: the sandbox (a simulator, in this process) compiles its hot paths.
      const warm = await runChild(sandbox, child("credwatch"), {});
      say(`  warm-up sweep: ${warm.child.seconds} s`);
    }
    const full = await runChild(sandbox, child("credwatch"), {});
    say(`  credwatch full sweep: ${full.child.seconds} s (CPU ${full.child.cpuSeconds} s), ${full.requests} requests, peak RSS ${full.child.peakRssMb} MB, ${full.child.findings} findings`);
    // Bounds of the tenant as the full sweep saw it (the changes below alter it a little).
    const fullBounds = bounds(fixture, { armPageSize, latencyMs, ownerSubjects: full.child.ownerSubjects, now, lookbackDays: 7 });

    if (process.env.BENCH_ONLY_FULL) return; // Debugging aid: the full sweep alone (profiling).
    const seeded = await runChild(sandbox, child("credwatch"), { CREDWATCH_INCREMENTAL: "true", CREDWATCH_LEDGER: ledger });
    say(`  first sweep with CREDWATCH_INCREMENTAL (no inventory yet, so full): ${seeded.child.seconds} s, ${seeded.requests} requests, peak RSS ${seeded.child.peakRssMb} MB`);

    const changes = applyChanges(sandbox, generated.samples, now);
    const incremental = await runChild(sandbox, child("credwatch"), { CREDWATCH_INCREMENTAL: "true", CREDWATCH_LEDGER: ledger });
    say(`  incremental sweep after ${changes} changes: ${incremental.child.seconds} s, ${incremental.requests} requests (${incremental.graphRequests} Graph, ${incremental.armRequests} ARM), peak RSS ${incremental.child.peakRssMb} MB`);
    const check = await runChild(sandbox, child("credwatch"), {});
    const same = check.child.digest === incremental.child.digest && check.child.findings === incremental.child.findings;
    say(`  full sweep after the changes: ${check.child.findings} findings; the incremental sweep's are ${same ? "the same" : "DIFFERENT"}`);

    let baseline: Run | null = null;
    if (!values["no-baseline"]) {
      say(`  baseline (default page size, no $select, owners per application ${ownerConcurrency} at a time, subscriptions in sequence)...`);
      baseline = await runChild(sandbox, child("baseline"), {});
      say(`  baseline: ${baseline.child.seconds} s, ${baseline.requests} requests, peak RSS ${baseline.child.peakRssMb} MB, ${baseline.child.findings} findings`);
    }

    const b = bounds(fixture, { armPageSize, latencyMs, ownerSubjects: check.child.ownerSubjects, now, lookbackDays: 7 });
    const output = {
      tenant: size,
      latencyMs,
      credwatch: {
        seconds: full.child.seconds,
        cpuSeconds: full.child.cpuSeconds,
        requests: full.requests,
        peakRssMb: full.child.peakRssMb,
        graphRequests: full.graphRequests,
        armRequests: full.armRequests,
        tokenRequests: full.tokenRequests,
        findings: full.child.findings,
        rssBeforeSweepMb: full.child.rssBeforeMb,
      },
      lowerBoundSeconds: round(fullBounds.lowerBoundSeconds),
      minRequests: fullBounds.minRequests,
      neededRequests: fullBounds.neededRequests,
      ratios: {
        secondsToLowerBound: round(full.child.seconds / fullBounds.lowerBoundSeconds, 2),
        requestsToMinimum: round(full.requests / fullBounds.minRequests, 3),
        requestsToNeeded: round(full.requests / fullBounds.neededRequests, 3),
      },
      baseline: baseline
        ? {
            seconds: baseline.child.seconds,
            requests: baseline.requests,
            peakRssMb: baseline.child.peakRssMb,
            ownerConcurrency,
            sameFindings: baseline.child.digest === check.child.digest,
          }
        : null,
      incremental: {
        requests: incremental.requests,
        seconds: incremental.child.seconds,
        graphRequests: incremental.graphRequests,
        armRequests: incremental.armRequests,
        peakRssMb: incremental.child.peakRssMb,
        changes,
        sameFindingsAsFullSweep: same,
        neededRequestsAfterChanges: b.neededRequests,
        full: { requests: seeded.requests, seconds: seeded.child.seconds, peakRssMb: seeded.child.peakRssMb },
        store: storeKind,
      },
      bounds: { chain: fullBounds.chain, ...fullBounds.breakdown },
      fixture: { generateSeconds: round(generateSeconds), schemaCheckSeconds: schemaCheckSeconds === null ? null : round(schemaCheckSeconds) },
    };
    say(
      `bench: credwatch ${output.credwatch.seconds} s vs lower bound ${output.lowerBoundSeconds} s (×${output.ratios.secondsToLowerBound}); ` +
        `${output.credwatch.requests} requests vs minimum ${output.minRequests} (×${output.ratios.requestsToMinimum}; ${output.neededRequests} needed when only lists that can matter are read); peak RSS ${output.credwatch.peakRssMb} MB` +
        (baseline ? `; baseline ${baseline.child.seconds} s, ${baseline.requests} requests` : "") +
        `; incremental ${incremental.requests} requests (${incremental.graphRequests} Graph) in ${incremental.child.seconds} s`,
    );
    process.stdout.write(values.json ? `${JSON.stringify(output)}\n` : `${JSON.stringify(output, null, 2)}\n`);
  } finally {
    await sandbox.close();
    await azurite?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A few changes, as a night brings: a new expiring secret, a deleted app with a finding, a rotation, an SP's own secret, a new app. */
function applyChanges(sandbox: Sandbox, samples: ReturnType<typeof generateTenant>["samples"], now: Date): number {
  const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
  const key = (n: number) => `b0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  let changes = 0;
  const healthy = samples.healthyApplications[0];
  if (healthy) {
    sandbox.directory.addPasswordCredential("applications", healthy, { keyId: key(1), displayName: "new", startDateTime: at(-360), endDateTime: at(4) });
    changes++;
  }
  const doomed = samples.applicationsWithFindings.find((id) => !samples.expiringApplications.includes(id));
  if (doomed) {
    sandbox.directory.removeApplication(doomed, "changed");
    changes++;
  }
  const expiring = samples.expiringApplications.at(-1);
  if (expiring) {
    sandbox.directory.addPasswordCredential("applications", expiring, { keyId: key(2), displayName: "rotated", startDateTime: at(-1), endDateTime: at(365) });
    changes++;
  }
  const other = samples.healthyApplications[1];
  if (other) {
    sandbox.directory.updateApplication(other, (app) => {
      app.displayName = `${app.displayName}-renamed`;
    });
    changes++;
  }
  sandbox.directory.addApplication({
    id: key(3),
    appId: key(4),
    displayName: "bench-newcomer",
    passwordCredentials: [{ keyId: key(5), startDateTime: at(-400), endDateTime: at(-2) }],
    owners: [{ id: key(6), displayName: "Newcomer Owner", mail: "newcomer@contoso.example", userPrincipalName: "newcomer@contoso.example" }],
  });
  changes++;
  return changes;
}

await main();
