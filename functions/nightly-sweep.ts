// Timer trigger: the nightly sweep of the tenant on %CREDWATCH_SCHEDULE% (NCRONTAB, UTC).
// A thin adapter: config → sweep → alerts → log a summary. A retried invocation cannot double an
// alert: the ledger's intent/outcome records make the second run find nothing new to send. A sweep
// of more subscriptions than CREDWATCH_FANOUT_SUBSCRIPTIONS is fanned out (shared/fanout/): the
// worker that merges its shards sends the alerts.
import { app, type InvocationContext, type Timer } from "@azure/functions";
import { loadConfig } from "../shared/config/index.js";
import { sweepTenant } from "../shared/sweep-tenant.js";
import { summarizeReport } from "../shared/report/present.js";
import { alertReport, describeNotifySummary, notifyFailed } from "../shared/alert-tenant.js";
import { startFanoutIfWanted } from "../shared/fanout/index.js";

export interface NightlySweepOptions {
  clock?: () => Date;
}

export function createNightlySweepHandler(options: NightlySweepOptions = {}) {
  const clock = options.clock ?? (() => new Date());
  return async function nightlySweep(timer: Timer, context: InvocationContext): Promise<void> {
    if (timer.isPastDue) context.warn("nightly sweep is past due: the last scheduled run was missed");
    // A bad setting throws here, naming every problem: the invocation fails visibly in the logs.
    const config = loadConfig(process.env);
    const now = clock();
    const log = (message: string) => context.log(message);
    const started = await startFanoutIfWanted(config, { now, mode: "auto", notify: true, log });
    if (started) {
      context.log(`nightly sweep fanned out as sweep ${started.id} (${started.shardsTotal} shards); the worker that merges them sends the alerts`);
      return;
    }
    const report = await sweepTenant(config, { now, log });
    const summary = summarizeReport(report);
    if (report.complete) context.log(summary);
    else context.warn(summary);
    const alerts = await alertReport(config, report, { now, log });
    if (alerts) context.log(`alerts: ${describeNotifySummary(alerts)}`);
    // Undelivered alerts fail the invocation, so monitoring sees it; the next run sends them.
    if (notifyFailed(alerts)) throw new Error(`alerts were not delivered: ${describeNotifySummary(alerts!)}`);
  };
}

export const nightlySweep = createNightlySweepHandler();

app.timer("nightly-sweep", {
  schedule: "%CREDWATCH_SCHEDULE%",
  // Never on start-up: a deployment or a scale-out must not send a burst of alerts.
  runOnStartup: false,
  handler: nightlySweep,
});
