// One sweep in a process of its own, so that its peak memory is its own (the sandbox runs in the
// benchmark's process). Pointed at the sandbox by the environment (the sandbox's NAME=value
// settings), as a deployed app would be. Prints one JSON line on stdout: time, peak RSS, findings.
//   node --import tsx bench/sweep-child.ts '{"mode":"credwatch","now":"..."}'
import { createHash } from "node:crypto";
import { loadConfig } from "../shared/config/index.js";
import { createAzureClients } from "../shared/azure/clients.js";
import { resolveTenantId } from "../shared/azure/tenant.js";
import { sweepTenant } from "../shared/sweep-tenant.js";
import type { Finding } from "../shared/model.js";
import { baselineSweep } from "./baseline.js";

export interface ChildRequest {
  mode: "credwatch" | "baseline";
  /** The sweep clock (ISO). */
  now: string;
  ownerConcurrency?: number;
  verbose?: boolean;
}

export interface ChildResult {
  mode: ChildRequest["mode"];
  seconds: number;
  /** CPU time the sweep used (user + system). */
  cpuSeconds: number;
  peakRssMb: number;
  rssBeforeMb: number;
  findings: number;
  /** Digest of the findings without owners: equal digests, equal findings. */
  digest: string;
  ownerSubjects: number;
  complete: boolean;
  errors: string[];
  coverage?: Record<string, number>;
  log: string[];
}

/** Findings compared across runs: everything but owners (the baseline looks them up differently). */
export function findingsDigest(findings: Finding[]): string {
  const plain = [...findings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(({ owners: _owners, suppressed: _suppressed, ...rest }) => rest);
  return createHash("sha256").update(JSON.stringify(plain)).digest("hex").slice(0, 16);
}

/** Debugging aid (BENCH_PROFILE=DIR): a CPU profile of the sweep alone, module loading left out. */
async function startProfile(): Promise<(path: string) => Promise<void>> {
  const { Session } = await import("node:inspector/promises");
  const { writeFile } = await import("node:fs/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async (path) => {
    const { profile } = await session.post("Profiler.stop");
    await writeFile(path, JSON.stringify(profile));
    session.disconnect();
  };
}

function megabytes(kilobytes: number): number {
  return Math.round((kilobytes / 1024) * 10) / 10;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? "{}") as ChildRequest;
  const config = loadConfig(process.env);
  const now = new Date(request.now);
  const log: string[] = [];
  const say = (message: string) => {
    log.push(message);
    if (request.verbose) process.stderr.write(`  [${request.mode}] ${message}\n`);
  };
  const rssBeforeMb = megabytes(process.resourceUsage().maxRSS);
  let result: Omit<ChildResult, "peakRssMb" | "rssBeforeMb" | "seconds" | "cpuSeconds" | "mode" | "log">;
  const profile = process.env.BENCH_PROFILE ? await startProfile() : null;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let ended = 0;
  let cpu = { user: 0, system: 0 };
  const stop = () => {
    ended = performance.now();
    cpu = process.cpuUsage(cpuBefore);
  };
  if (request.mode === "credwatch") {
    // Tuning aid: BENCH_ARM_CONCURRENCY overrides the ARM requests in flight.
    const arm = process.env.BENCH_ARM_CONCURRENCY ? Number(process.env.BENCH_ARM_CONCURRENCY) : undefined;
    const report = await sweepTenant(config, { now, log: say, ...(arm ? { armConcurrency: arm } : {}) });
    stop();
    const subjects = new Set(report.findings.filter((f) => f.subject.type === "application" || f.subject.type === "servicePrincipal").map((f) => f.subject.id));
    result = {
      findings: report.findings.length,
      digest: findingsDigest(report.findings),
      ownerSubjects: subjects.size,
      complete: report.complete,
      errors: report.errors.map((e) => `${e.scope}: ${e.message}`),
      coverage: { ...report.coverage },
    };
  } else {
    const clients = createAzureClients(config);
    try {
      const tenantId = await resolveTenantId(clients.credential, clients.graphScope, config.tenantId);
      const baseline = await baselineSweep(clients, { tenantId, now, policy: config.policy, ownerConcurrency: request.ownerConcurrency ?? 8 });
      stop();
      result = {
        findings: baseline.analysis.findings.length,
        digest: findingsDigest(baseline.analysis.findings),
        ownerSubjects: baseline.ownerLookups,
        complete: baseline.analysis.errors.length === 0,
        errors: baseline.analysis.errors.map((e) => `${e.scope}: ${e.message}`),
      };
    } finally {
      await clients.close();
    }
  }
  const seconds = (ended - started) / 1000;
  if (profile) await profile(`${process.env.BENCH_PROFILE}/${request.mode}-${process.pid}.cpuprofile`);
  const output: ChildResult = {
    mode: request.mode,
    seconds: Math.round(seconds * 1000) / 1000,
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
    peakRssMb: megabytes(process.resourceUsage().maxRSS),
    rssBeforeMb,
    ...result,
    log,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

await main();
