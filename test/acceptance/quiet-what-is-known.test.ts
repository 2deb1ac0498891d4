// Issue #8, done when — on the project's demo tenant, through the Functions app's own handlers
// (@azure/functions test mode), the sandbox tenant with its Slack and Teams receivers, and the alert
// ledger in Table Storage on Azurite, over simulated days:
// - a rule for legacy-ftp-bridge keeps it out of alerts but in the report, marked suppressed;
// - a signed "Snooze 7 days" on orders-api silences it for exactly 7 days: no alert on day 6, an
//   alert as new on day 7 (and no daily repeat after: it is not critical);
// - a forged click is refused with 401 and changes nothing.
import { InvocationContext, HttpRequest, type Timer } from "@azure/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNightlySweepHandler } from "../../functions/nightly-sweep.js";
import { createSlackInteractionsHandler } from "../../functions/slack-interactions.js";
import { createSweepHttpHandler } from "../../functions/sweep-http.js";
import type { Finding, Report } from "../../shared/model.js";
import { TableLedger } from "../../shared/notify/ledger-table.js";
import { loadFixture, startSandbox, type Sandbox, type SlackMessageRecord } from "../sandbox/index.js";
import { startAzurite, type Azurite } from "../support/azurite.js";
import { ROOT } from "../support/run-cli.js";
import { actionsFor, clickBody, currentMessage, interactionRequest } from "../support/slack-click.js";
import { validateReport } from "../support/json-schema.js";

const SECRET = "5e1f0c2a9b8d4e3f7a6b5c4d3e2f1a0b";
const DAY0 = new Date("2026-11-25T06:00:00Z");
const day = (n: number, minutes = 0) => new Date(DAY0.getTime() + n * 86_400_000 + minutes * 60_000);
const RULES = JSON.stringify([{ subject: "legacy-ftp-bridge", kind: "credential-long-lived", reason: "decommissioned with the FTP gateway in Q1", by: "carol@fabrikam.example" }]);

let tenant: Sandbox;
let azurite: Azurite;
let ledger: TableLedger;

beforeAll(async () => {
  [tenant, azurite] = await Promise.all([loadFixture(`${ROOT}/test/fixtures/demo.json`).then((fixture) => startSandbox({ fixture })), startAzurite()]);
  // What the Functions host would hold as app settings: the tenant, the channels, its storage, the rules.
  for (const key of Object.keys(process.env)) if (/^(AZURE_|IDENTITY_|MSI_|CREDWATCH_|SLACK_|TEAMS_|AzureWebJobs)/.test(key)) delete process.env[key];
  Object.assign(process.env, tenant.env, tenant.notifyEnv, {
    SLACK_SIGNING_SECRET: SECRET,
    AzureWebJobsStorage: azurite.connectionString,
    CREDWATCH_SUPPRESSIONS: RULES,
  });
  ledger = TableLedger.fromConnectionString(azurite.connectionString, "credwatchledger");
}, 60_000);

afterAll(async () => {
  await Promise.all([tenant?.close(), azurite?.stop()]);
});

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: "", next: "", lastUpdated: "" } };
const context = (name: string) => new InvocationContext({ functionName: name, invocationId: "test", logHandler: () => {} });

/** The nightly timer on day n: what it posted to Slack and Teams. */
async function nightly(n: number): Promise<{ slack: SlackMessageRecord[]; teams: unknown[] }> {
  const marks = { slack: tenant.slack.messages.length, teams: tenant.teams.payloads.length };
  await createNightlySweepHandler({ clock: () => day(n) })(timer, context("nightly-sweep"));
  return { slack: tenant.slack.messages.slice(marks.slack), teams: tenant.teams.payloads.slice(marks.teams) };
}

/** The report of an ad-hoc sweep on day n (GET /api/sweep), as the HTTP function answers it. */
async function report(n: number, format = "json"): Promise<string> {
  const response = await createSweepHttpHandler({ clock: () => day(n) })(
    new HttpRequest({ method: "GET", url: `https://func-credwatch.azurewebsites.net/api/sweep?format=${format}` }),
    context("sweep"),
  );
  expect(response.status).toBe(200);
  return String(response.body);
}

const bySubject = (r: Report, name: string): Finding => r.findings.find((f) => f.subject.name === name)!;
const text = (values: unknown) => JSON.stringify(values);

/** The thread section detailing an alert (by its id) in what a run posted, if any. */
function detail(posted: SlackMessageRecord[], id: string): string | undefined {
  return posted
    .flatMap((m) => m.blocks ?? [])
    .map((b: { type: string; text?: { text: string } }) => (b.type === "section" ? b.text!.text : ""))
    .find((t) => t.includes(`_id_ \`${id}\``));
}

describe("quiet what is known (issue #8) on the demo tenant", () => {
  let ordersId: string;
  let clickedIn: SlackMessageRecord;

  it("day 0: the rule keeps legacy-ftp-bridge out of the alerts, counted, and in the report marked suppressed", async () => {
    const swept = JSON.parse(await report(0)) as Report;
    const legacy = bySubject(swept, "legacy-ftp-bridge");
    expect(legacy.suppressed).toEqual({ reason: "decommissioned with the FTP gateway in Q1", until: null, by: "carol@fabrikam.example", source: "rule 1" });
    expect(swept.suppressions).toEqual([{ index: 1, reason: "decommissioned with the FTP gateway in Q1", until: null, matched: 1, expired: false }]);
    ordersId = bySubject(swept, "orders-api").id;

    const posted = await nightly(0);
    expect(posted.slack.length).toBeGreaterThan(1);
    expect(text(posted.slack)).not.toContain("legacy-ftp-bridge");
    expect(text(posted.teams)).not.toContain("legacy-ftp-bridge");
    expect(detail(posted.slack, legacy.id)).toBeUndefined();
    const top = posted.slack.find((m) => !m.thread_ts)!;
    expect(text(top.blocks)).toContain(" · 1 suppressed");
    expect(text(posted.teams[0])).toContain('{"title":"Suppressed","value":"1"}');
    // orders-api was told, as new, with its buttons.
    expect(detail(posted.slack, ordersId)).toContain(" · new · ");
    clickedIn = posted.slack.find((m) => actionsFor(m, ordersId))!;
    expect(clickedIn).toBeDefined();
  });

  it("a forged click is refused with 401, and nothing changes", async () => {
    const before = { snoozes: await ledger.readSnoozes(), messages: tenant.slack.messages.length };
    const body = clickBody({ message: currentMessage(tenant.slack.messages, clickedIn.ts), findingId: ordersId, action: "credwatch_snooze", user: { id: "U0MALLORY", username: "mallory" } });
    const handler = createSlackInteractionsHandler({ clock: () => day(0, 5) });
    const forged = await handler(interactionRequest({ body, secret: "ffffffffffffffffffffffffffffffff", at: day(0, 5) }), context("slack-interactions"));
    expect(forged.status).toBe(401);
    const unsigned = await handler(interactionRequest({ body, secret: null, at: day(0, 5) }), context("slack-interactions"));
    expect(unsigned.status).toBe(401);
    expect(await ledger.readSnoozes()).toEqual(before.snoozes);
    expect(before.snoozes).toEqual([]);
    expect(tenant.slack.messages.length).toBe(before.messages);
  });

  it("a signed Snooze 7 days on orders-api is recorded, and the message says so", async () => {
    const body = clickBody({ message: currentMessage(tenant.slack.messages, clickedIn.ts), findingId: ordersId, action: "credwatch_snooze" });
    const response = await createSlackInteractionsHandler({ clock: () => day(0, 5) })(interactionRequest({ body, secret: SECRET, at: day(0, 5) }), context("slack-interactions"));
    expect(response.status).toBe(200);
    expect(await ledger.readSnoozes()).toEqual([
      { findingId: ordersId, action: "snooze", until: "2026-12-02T00:00:00.000Z", by: "@alice (U0ALICE)", reason: "snoozed in Slack by @alice", at: day(0, 5).toISOString() },
    ]);
    const updated = currentMessage(tenant.slack.messages, clickedIn.ts);
    expect(updated.method).toBe("chat.update");
    expect(actionsFor(updated, ordersId)).toBeUndefined();
    expect(text(updated.blocks)).toContain(":zzz: Snoozed until 2026-12-02 by @alice");
  });

  it("days 1 to 6: orders-api sends nothing, on Slack or Teams, and the report shows it snoozed", async () => {
    for (let n = 1; n <= 6; n++) {
      const posted = await nightly(n);
      // The criticals are told every day; orders-api never.
      expect(posted.slack.length, `day ${n}`).toBeGreaterThan(0);
      expect(detail(posted.slack, ordersId), `day ${n}`).toBeUndefined();
      expect(text(posted.slack), `day ${n}`).not.toContain("orders-api");
      expect(text(posted.teams), `day ${n}`).not.toContain("orders-api");
      expect(text(posted.slack.find((m) => !m.thread_ts)?.blocks), `day ${n}`).toContain(" · 2 suppressed");
    }
    const swept = JSON.parse(await report(6)) as Report;
    expect(validateReport(swept)).toBe(true);
    expect(bySubject(swept, "orders-api").suppressed).toEqual({ reason: "snoozed in Slack by @alice", until: "2026-12-02T00:00:00.000Z", by: "@alice (U0ALICE)", source: "slack" });
    expect(bySubject(swept, "legacy-ftp-bridge").suppressed?.source).toBe("rule 1");
    // The HTML report page shows both, the snooze from Slack included.
    const html = await report(6, "html");
    expect(html).toContain("suppressed by slack: snoozed in Slack by @alice (until 2026-12-02, by @alice (U0ALICE))");
    expect(html).toContain("suppressed by rule 1: decommissioned with the FTP gateway in Q1");
  }, 120_000);

  it("day 7: the snooze has ended, orders-api alerts as new; day 8: no repeat (it is not critical)", async () => {
    const seventh = await nightly(7);
    expect(detail(seventh.slack, ordersId)).toMatch(/ · new · /);
    expect(text(seventh.teams)).toContain("orders-api");
    const swept = JSON.parse(await report(7)) as Report;
    expect(bySubject(swept, "orders-api").suppressed).toBeUndefined();

    const eighth = await nightly(8);
    expect(detail(eighth.slack, ordersId)).toBeUndefined();
  }, 60_000);
});
