// The command line: a third adapter over the same sweep as the Functions app (DESIGN §3.2).
// Exit status: 0 complete, 1 findings at or above --fail-on, 2 bad input, 3 coverage incomplete,
// 4 alerts could not be delivered (--notify).
// stdout carries the report and nothing else; progress and problems go to stderr.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig } from "./config/index.js";
import { sweepTenant } from "./sweep-tenant.js";
import { alertReport, describeNotifySummary, notifyFailed, snoozedReport } from "./alert-tenant.js";
import { FORMATS, renderReport, type ReportFormat } from "./report/index.js";
import { SEVERITIES, type Report, type Severity } from "./model.js";
import { writeFileAtomic } from "./write-file-atomic.js";
import { describeRules } from "./suppress/describe.js";

export const EXIT = { ok: 0, findings: 1, badInput: 2, incomplete: 3, notDelivered: 4 } as const;

/** Where the CLI keeps its alert ledger when CREDWATCH_LEDGER is not set. */
export const DEFAULT_LEDGER_FILE = ".credwatch/ledger.json";

export const DEFAULT_FIXTURE = fileURLToPath(new URL("../test/fixtures/demo.json", import.meta.url));

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

interface CliOptions {
  sandbox?: string | true;
  format?: ReportFormat;
  out?: string;
  now?: Date;
  failOn?: Severity;
  notify?: boolean;
}

/** Settings that would point a sandbox sweep somewhere else; the sandbox supplies its own. An
 *  incremental sweep of the sandbox would also write the sandbox tenant into the real inventory store. */
const SANDBOX_OVERRIDDEN = /^(AZURE_|IDENTITY_|MSI_|CREDWATCH_(CLOUD|AUTHORITY_HOST|GRAPH_ENDPOINT|ARM_ENDPOINT|CA_FILE|SUBSCRIPTIONS|INCREMENTAL)$)/;

export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  if (argv[0] === "suppressions") return listSuppressions(argv.slice(1), io, say);
  let options: CliOptions;
  try {
    options = parseArguments(argv, io);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    throw error;
  }
  if (options.now && !options.sandbox) {
    say("credwatch: --now sets the sandbox clock and only applies with --sandbox");
    return EXIT.badInput;
  }

  const sandbox = options.sandbox ? await startSandboxFor(options.sandbox === true ? DEFAULT_FIXTURE : options.sandbox, say) : null;
  if (sandbox === undefined) return EXIT.badInput;
  try {
    let env = io.env;
    if (sandbox) {
      env = { ...Object.fromEntries(Object.entries(io.env).filter(([k]) => !SANDBOX_OVERRIDDEN.test(k))), ...sandbox.env };
      // @azure/identity reads its settings from process.env, as it does inside Azure.
      for (const key of Object.keys(process.env)) if (SANDBOX_OVERRIDDEN.test(key)) delete process.env[key];
      Object.assign(process.env, sandbox.env);
    }
    let config;
    try {
      config = loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) {
        say(`credwatch: ${error.message}`);
        return EXIT.badInput;
      }
      throw error;
    }

    if (options.notify && !config.notify.slack && !config.notify.teams) {
      say("credwatch: --notify needs a channel: set SLACK_BOT_TOKEN and SLACK_CHANNEL, or TEAMS_WEBHOOK_URL");
      return EXIT.badInput;
    }
    const now = options.now ?? (sandbox ? sandbox.fixtureNow : new Date());
    const log = (message: string) => say(`credwatch: ${message}`);
    const swept = await sweepTenant(config, { now, log });
    // With --notify the ledger is read anyway: show the findings snoozed from Slack as alerts see them.
    const report = options.notify ? await snoozedReport(config, swept, { now, defaultLedgerFile: DEFAULT_LEDGER_FILE }) : swept;
    if (sandbox && sandbox.violations.length > 0) {
      say(`credwatch: SECURITY: the sweep called secret-returning endpoints: ${sandbox.violations.map((v) => v.path).join(", ")}`);
    }

    const format = options.format ?? (io.stdout.isTTY ? "table" : "json");
    const text = renderReport(report, format, { color: Boolean(io.stdout.isTTY) && !options.out && !io.env.NO_COLOR });
    if (options.out) {
      await writeFileAtomic(options.out, text);
      say(`credwatch: wrote ${format} report to ${options.out}`);
    } else {
      io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    }
    const status = exitStatus(report, options.failOn, say);
    if (options.notify) {
      const summary = await alertReport(config, report, { now, defaultLedgerFile: DEFAULT_LEDGER_FILE, log });
      if (summary) say(`credwatch: alerts: ${describeNotifySummary(summary)}`);
      // Undelivered alerts outrank the rest: someone must hear about them.
      if (notifyFailed(summary)) return EXIT.notDelivered;
    }
    return status;
  } finally {
    await sandbox?.close();
  }
}

function parseArguments(argv: string[], io: CliIo): CliOptions {
  const program = new Command("credwatch")
    .description("Sweep an Azure tenant for the credential problems behind image-pull outages.\n`credwatch suppressions` lists the suppression rules.")
    .option("--sandbox [fixture]", "sweep the built-in sandbox tenant (default: the demo fixture)")
    .addOption(new Option("--format <format>", "report format (default: table on a terminal, else json)").choices([...FORMATS]))
    .option("--out <file>", "write the report to a file instead of stdout")
    .option("--now <iso>", "the sweep's clock with --sandbox (default: the fixture's now)", parseInstant)
    .addOption(new Option("--fail-on <severity>", "exit 1 when a finding is at or above this severity").choices([...SEVERITIES]))
    .option("--notify", "post new, escalated, repeated and resolved alerts to the configured Slack / Teams")
    .helpOption("-h, --help", "show this help")
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stderr.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  program.parse(argv, { from: "user" });
  return program.opts<CliOptions>();
}

function parseInstant(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(`'${value}' is not an ISO 8601 date-time (e.g. 2026-11-25T02:00:00Z)`);
  }
  return date;
}

function exitStatus(report: Report, failOn: Severity | undefined, say: (line: string) => void): number {
  if (!report.complete) {
    say(`credwatch: INCOMPLETE: could not read ${[...new Set(report.errors.map((e) => e.scope))].join(", ")}`);
  }
  if (failOn) {
    const rank = SEVERITIES.indexOf(failOn);
    const failing = report.findings.filter((f) => SEVERITIES.indexOf(f.severity) <= rank);
    if (failing.length > 0) {
      say(`credwatch: ${failing.length} finding(s) at or above ${failOn}`);
      return EXIT.findings;
    }
  }
  return report.complete ? EXIT.ok : EXIT.incomplete;
}

interface RunningSandbox {
  env: Record<string, string>;
  fixtureNow: Date;
  violations: { path: string }[];
  close(): Promise<void>;
}

/** Starts the sandbox tenant in this process. Undefined (after saying why) when the fixture is bad. */
async function startSandboxFor(fixturePath: string, say: (line: string) => void): Promise<RunningSandbox | undefined> {
  // Loaded on demand: a production sweep never loads the simulator.
  const { loadFixture, startSandbox, FixtureError } = await import("../test/sandbox/index.js");
  let fixture;
  try {
    fixture = await loadFixture(fixturePath);
  } catch (error) {
    if (error instanceof FixtureError) {
      say(`credwatch: ${error.message}`);
      return undefined;
    }
    throw error;
  }
  const sandbox = await startSandbox({ fixture });
  say(`credwatch: sandbox tenant ${fixture.name ?? fixturePath} at ${sandbox.url} (clock ${fixture.now})`);
  return { env: sandbox.env, fixtureNow: new Date(fixture.now), violations: sandbox.violations, close: () => sandbox.close() };
}

/** `credwatch suppressions`: lists and explains the configured rules, without sweeping. */
function listSuppressions(argv: string[], io: CliIo, say: (line: string) => void): number {
  if (argv.length > 0) {
    say(`credwatch suppressions: takes no arguments (got ${argv.join(" ")}); rules come from CREDWATCH_SUPPRESSIONS`);
    return EXIT.badInput;
  }
  try {
    const config = loadConfig(io.env);
    io.stdout.write(describeRules(config.suppressions, new Date()));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ConfigError) {
      say(`credwatch: ${error.message}`);
      return EXIT.badInput;
    }
    throw error;
  }
}
