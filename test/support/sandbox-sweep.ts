// Runs the production sweep against a sandbox tenant, the way a deployed app would: the sandbox's
// environment lines become the settings, and the real SDK clients talk to it over HTTPS.
import { loadConfig, type Config } from "../../shared/config/index.js";
import { sweepTenant } from "../../shared/sweep-tenant.js";
import type { Report } from "../../shared/model.js";
import { startSandbox, type Sandbox, type SandboxOptions } from "../sandbox/index.js";

export interface SandboxSweep {
  report: Report;
  sandbox: Sandbox;
  config: Config;
}

/** Points process.env at the sandbox (what @azure/identity reads) and returns the parsed config. */
export function configureFor(sandbox: Sandbox, extra: Record<string, string> = {}): Config {
  for (const key of Object.keys(process.env)) {
    if (/^(AZURE_|IDENTITY_|MSI_|CREDWATCH_)/.test(key)) delete process.env[key];
  }
  Object.assign(process.env, sandbox.env, extra);
  return loadConfig(process.env);
}

export async function sweepSandbox(sandbox: Sandbox, options: { now: Date; env?: Record<string, string> }): Promise<Report> {
  const config = configureFor(sandbox, options.env);
  return sweepTenant(config, { now: options.now, clientOptions: { maxRetries: 3 } });
}

/** Starts a sandbox for the fixture, sweeps it at the fixture's clock, and leaves the sandbox running for inspection. */
export async function sweepFixture(
  options: SandboxOptions,
  sweepOptions: { now?: Date; env?: Record<string, string> } = {},
): Promise<SandboxSweep> {
  const sandbox = await startSandbox(options);
  const report = await sweepSandbox(sandbox, { now: sweepOptions.now ?? new Date(options.fixture.now), env: sweepOptions.env });
  return { report, sandbox, config: loadConfig(process.env) };
}
