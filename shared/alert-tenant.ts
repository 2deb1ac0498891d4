// The one path from a Config and a Report to alerts, shared by the CLI (--notify), the timer and the
// HTTP trigger (notify=true): build the configured channels and the ledger, mark the findings
// snoozed from Slack (the ledger's snoozes, applied like suppression rules), then notify.
import type { Config } from "./config/index.js";
import type { Report } from "./model.js";
import { createCredential } from "./azure/clients.js";
import { openLedger, type Ledger, type SnoozeStore } from "./notify/ledger.js";
import { withSnoozes } from "./suppress/snooze.js";
import { notify, type NotifySummary } from "./notify/notify.js";
import { createSlackChannel } from "./notify/slack.js";
import { createTeamsChannel } from "./notify/teams.js";
import type { Channel } from "./notify/types.js";

export interface AlertOptions {
  now: Date;
  /** The ledger when none is configured: the CLI keeps it in .credwatch/ledger.json. The Functions
   *  app has none: its ledger is AzureWebJobsStorage's table service. */
  defaultLedgerFile?: string;
  log?: (message: string) => void;
}

/** Null when no channel is configured: there is nobody to tell. */
export async function alertReport(config: Config, report: Report, options: AlertOptions): Promise<NotifySummary | null> {
  const log = options.log ?? (() => {});
  const channels = configuredChannels(config, log);
  if (channels.length === 0) {
    log("no alert channel is configured (set SLACK_BOT_TOKEN and SLACK_CHANNEL, or TEAMS_WEBHOOK_URL)");
    return null;
  }
  const ledger = await openAlertLedger(config, options);
  const snoozed = await withLedgerSnoozes(report, ledger, options.now);
  return notify(snoozed, { ledger, channels, now: options.now, heartbeat: config.notify.heartbeat, log });
}

/** The configured alert ledger (snoozes included); throws when there is none. */
export async function openAlertLedger(config: Config, options: Pick<AlertOptions, "defaultLedgerFile">): Promise<Ledger & SnoozeStore> {
  if (config.ledger === null && options.defaultLedgerFile === undefined) {
    throw new Error("no alert ledger is configured: set CREDWATCH_LEDGER (or AzureWebJobsStorage in the Functions app)");
  }
  return openLedger(config.ledger, {
    defaultFile: options.defaultLedgerFile ?? "",
    ...(config.ledger?.kind === "table-endpoint" ? { credential: createCredential(config) } : {}),
  });
}

/** The report with the findings snoozed from Slack marked suppressed (one read of the ledger). */
export async function withLedgerSnoozes(report: Report, ledger: SnoozeStore, now: Date): Promise<Report> {
  return withSnoozes(report, await ledger.readSnoozes(), now);
}

/**
 * For adapters that show the report before alerting (CLI, HTTP): the report as alerts will see it,
 * Slack snoozes marked. Without a ledger (none configured) the report is returned as it is.
 */
export async function snoozedReport(config: Config, report: Report, options: Pick<AlertOptions, "defaultLedgerFile" | "now">): Promise<Report> {
  if (config.ledger === null && options.defaultLedgerFile === undefined) return report;
  return withLedgerSnoozes(report, await openAlertLedger(config, options), options.now);
}

function configuredChannels(config: Config, log: (message: string) => void): Channel[] {
  const { slack, teams, owners } = config.notify;
  return [
    // Buttons only where clicks are received: without a signing secret the endpoint refuses them.
    ...(slack ? [createSlackChannel({ token: slack.token, channel: slack.channel, apiUrl: slack.apiUrl, owners, log, buttons: config.notify.slackSigningSecret !== null })] : []),
    ...(teams ? [createTeamsChannel({ webhookUrl: teams.webhookUrl, log })] : []),
  ];
}

/** "slack: delivered 3 alerts; teams: failed (400 ...)" — for logs and the CLI's stderr. */
export function describeNotifySummary(summary: NotifySummary): string {
  return summary.perChannel
    .map((c) => {
      const o = c.outcome;
      if (o.status === "delivered") return `${c.name}: delivered ${c.sent} alert${c.sent === 1 ? "" : "s"}`;
      if (o.status === "quiet") return `${c.name}: nothing new to say`;
      if (o.status === "busy") return `${c.name}: another run is sending (until ${o.until})`;
      return `${c.name}: ${o.status} (${o.error})`;
    })
    .join("; ");
}

/** True when a configured channel could not be told: the caller should fail loudly. */
export function notifyFailed(summary: NotifySummary | null): boolean {
  return summary !== null && summary.perChannel.some((c) => c.outcome.status === "failed" || c.outcome.status === "error");
}
