// The Teams channel through HTTP against the sandbox's Workflows webhook: real fetch, no stubs.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { escapeCardText } from "../../shared/notify/adaptive-card.js";
import { createTeamsChannel, type TeamsChannelOptions } from "../../shared/notify/teams.js";
import { everyResourceType } from "../sandbox/helpers.js";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { aReport } from "../report/builders.js";
import { aDigest, collectingLog, incompleteReport, manyFindings } from "./slack-teams-builders.js";

const WEBHOOK = "^/teams/webhook/";

let sandbox: Sandbox;
let logged: ReturnType<typeof collectingLog>;

beforeEach(async () => {
  sandbox = await startSandbox({ fixture: await everyResourceType() });
  logged = collectingLog();
});

afterEach(async () => {
  await sandbox.close();
});

function channel(overrides: Partial<TeamsChannelOptions> = {}) {
  return createTeamsChannel({ webhookUrl: sandbox.teamsWebhookUrl, log: logged.log, retry: { baseDelayMs: 10 }, ...overrides });
}

function cards(): any[] {
  return sandbox.teams.payloads.map((p) => p.body.attachments[0].content);
}

/** Every string a card shows (TextBlocks and facts), in order. */
function cardTexts(card: any): string[] {
  const out: string[] = [];
  const walk = (element: any) => {
    if (element.type === "TextBlock") out.push(element.text);
    if (element.type === "FactSet") for (const f of element.facts) out.push(`${f.title}: ${f.value}`);
    if (element.type === "Container") element.items.forEach(walk);
  };
  card.body.forEach(walk);
  return out;
}

function allText(): string {
  return cards().flatMap(cardTexts).join("\n");
}

/** What must never show up in an error or a log: the URL, its path (workflow id) or its signature. */
function expectNoWebhookSecrets(text: string): void {
  expect(text).not.toContain(sandbox.teamsWebhookUrl);
  expect(text).not.toContain(sandbox.teams.signature);
  expect(text).not.toContain(sandbox.teams.workflowId);
  expect(text).not.toContain("sig=");
}

describe("Teams payloads", () => {
  it("posts a Workflows message with one Adaptive Card 1.4 attachment", async () => {
    const outcome = await channel().send(aDigest());
    expect(outcome).toEqual({ delivered: true, detail: "posted 1 card" });
    expect(sandbox.teams.requests.map((r) => r.status)).toEqual([202]);
    const [payload] = sandbox.teams.payloads;
    expect(payload!.problems).toEqual([]);
    expect(payload!.body).toMatchObject({
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          contentUrl: null,
          content: { $schema: "http://adaptivecards.io/schemas/adaptive-card.json", type: "AdaptiveCard", version: "1.4" },
        },
      ],
    });
    expect(payload!.body.attachments).toHaveLength(1);

    const text = allText();
    expect(text).toContain("credwatch: 4 new, 1 escalated, 1 repeat, 1 resolved");
    expect(text).toContain("In this sweep: 2 critical, 1 high, 2 medium, 1 low");
    expect(text).toContain("40 credentials examined");
    expect(text).toContain("**Critical now (2):**");
    expect(text).toContain("✅ #7 **Resolved**");
    // Fix commands: one monospace, wrapping TextBlock each.
    const commands = cards()
      .flatMap((c) => c.body)
      .flatMap((e: any) => (e.type === "Container" ? e.items : [e]))
      .filter((e: any) => e.fontType === "Monospace");
    expect(commands.length).toBe(aDigest().report.findings.flatMap((f) => f.fix).length);
    expect(commands.every((c: any) => c.wrap === true)).toBe(true);
    expect(commands.map((c: any) => c.text)).toContain("az acr network-rule add -n acrprod --ip-address 20.1.2.3");
  });

  it("neutralises markup in untrusted names", async () => {
    await channel().send(aDigest());
    const text = allText();
    expect(text).toContain("\\<!channel\\> \\*urgent\\* \\& \\<https://evil.example|click here\\>");
    expect(text).not.toContain("<!channel>");
    expect(text).not.toMatch(/(^|[^\\])\*urgent/);
    expect(escapeCardText("[click](https://evil.example)")).toBe("\\[click\\](https://evil.example)");
    expect(escapeCardText("_x_ ~y~ `z` \\")).toBe("\\_x\\_ \\~y\\~ \\`z\\` \\\\");
    expect(escapeCardText("- not a list")).toBe("\\- not a list");
    expect(escapeCardText("1. not a list")).toBe("1\\. not a list");
    expect(escapeCardText("{{DATE(2026-01-01T00:00:00Z)}}")).toBe("{\u200b{DATE(2026-01-01T00:00:00Z)}}");
  });

  it("splits 500 findings into cards titled (i of N), each under 20 KB, naming every critical subject and every alert", async () => {
    const findings = manyFindings(500);
    const digest = aDigest({ report: aReport({ findings }) });
    const outcome = await channel().send(digest);
    expect(outcome).toMatchObject({ delivered: true });

    const payloads = sandbox.teams.payloads;
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) {
      expect(p.bytes).toBeLessThan(20_000);
      expect(p.problems).toEqual([]);
    }
    const titles = cards().map((c) => c.body[0].text);
    expect(titles).toEqual(titles.map((_, i) => `credwatch: 499 new, 1 escalated, 1 resolved (${i + 1} of ${payloads.length})`));

    const text = allText();
    for (const f of findings.filter((f) => f.severity === "critical")) {
      const name = escapeCardText(f.subject.name);
      // Named in the "Critical now" list and in its alert.
      expect(text.split(`**${name}**`).length - 1).toBeGreaterThanOrEqual(1);
      expect(text).toContain(`**app** ${name}`);
    }
    const ids = text.match(/id: credential-expiring:app-\d+:[0-9a-f-]+/g) ?? [];
    expect(new Set(ids).size).toBe(500);
  });
});

describe("Teams failures", () => {
  it("reports a 400 as a configuration error, without retrying, naming only the host", async () => {
    sandbox.addFault({ method: "POST", path: WEBHOOK, status: 400 });
    const outcome = await channel().send(aDigest());
    expect(outcome).toMatchObject({ delivered: false, retryable: false, kind: "configuration" });
    expect(sandbox.teams.requests).toHaveLength(1);
    if (!outcome.delivered) {
      expect(outcome.error).toContain(`Teams webhook at ${new URL(sandbox.teamsWebhookUrl).host}: HTTP 400 InvalidRequestContent`);
      expectNoWebhookSecrets(outcome.error);
    }
    expectNoWebhookSecrets(logged.lines.join("\n"));
  });

  it("reports a wrong signature (401) as a configuration error without echoing the URL", async () => {
    const url = new URL(sandbox.teamsWebhookUrl);
    url.searchParams.set("sig", "not-the-signature");
    const outcome = await channel({ webhookUrl: url.toString() }).send(aDigest());
    expect(outcome).toMatchObject({ delivered: false, retryable: false, kind: "configuration" });
    if (!outcome.delivered) {
      expect(outcome.error).toContain("HTTP 401");
      expect(outcome.error).not.toContain("not-the-signature");
      expectNoWebhookSecrets(outcome.error);
    }
  });

  it("retries a 429 honouring Retry-After, then delivers", async () => {
    sandbox.addFault({ method: "POST", path: WEBHOOK, status: 429, retryAfter: 1, times: 1 });
    const started = performance.now();
    const outcome = await channel().send(aDigest());
    expect(outcome).toMatchObject({ delivered: true });
    expect(sandbox.teams.requests.map((r) => r.status)).toEqual([429, 202]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expectNoWebhookSecrets(logged.lines.join("\n"));
  });

  it("retries 5xx, then delivers", async () => {
    sandbox.addFault({ method: "POST", path: WEBHOOK, status: 502, times: 2 });
    const outcome = await channel().send(aDigest());
    expect(outcome).toMatchObject({ delivered: true });
    expect(sandbox.teams.requests.map((r) => r.status)).toEqual([502, 502, 202]);
  });

  it("gives up on a persistent 503 after a bounded number of tries, as a retryable failure", async () => {
    sandbox.addFault({ method: "POST", path: WEBHOOK, status: 503 });
    const outcome = await channel({ retry: { attempts: 3, baseDelayMs: 10 } }).send(aDigest());
    expect(outcome).toMatchObject({ delivered: false, retryable: true, kind: "transient" });
    expect(sandbox.teams.requests).toHaveLength(3);
    if (!outcome.delivered) {
      expect(outcome.error).toMatch(/HTTP 503 ServiceUnavailable after 3 tries/);
      expectNoWebhookSecrets(outcome.error);
    }
  });

  it("reports an unreachable webhook as transient, naming only the host", async () => {
    const url = new URL(sandbox.teamsWebhookUrl);
    await sandbox.close();
    const outcome = await channel({ retry: { attempts: 2, baseDelayMs: 10 } }).send(aDigest());
    expect(outcome).toMatchObject({ delivered: false, retryable: true });
    if (!outcome.delivered) {
      expect(outcome.error).toContain(`Teams webhook at ${url.host}: network error`);
      expectNoWebhookSecrets(outcome.error);
    }
    sandbox = await startSandbox({ fixture: await everyResourceType() });
  });

  it("cannot read back: wasDelivered is null", async () => {
    expect(await channel().wasDelivered("run", new Date(0))).toBeNull();
  });
});

describe("Teams silence is never ambiguous", () => {
  it("posts the unread scopes of an incomplete sweep even with no alerts", async () => {
    const outcome = await channel().send(aDigest({ report: incompleteReport([], 2), alerts: [] }));
    expect(outcome).toMatchObject({ delivered: true });
    const text = allText();
    expect(text).toContain("**Incomplete sweep: 2 scopes could not be read.**");
    expect(text).toContain("/subscriptions/33333330-3333-3333-3333-333333333333");
    expect(text).toContain("/subscriptions/33333331-3333-3333-3333-333333333333");
    expect(text).toContain("\\<!here\\>");
    expect(text).toContain("This is not an all-clear");
  });

  it("posts the heartbeat only after a complete sweep", async () => {
    expect(await channel().send(aDigest({ alerts: [], heartbeat: false }))).toEqual({ delivered: true, detail: "nothing to send" });
    expect(sandbox.teams.requests).toHaveLength(0);

    await channel().send(aDigest({ alerts: [], heartbeat: true }));
    expect(allText()).toContain("credwatch: all clear, 40 credentials checked");

    sandbox.teams.payloads.length = 0;
    await channel().send(aDigest({ report: incompleteReport(), alerts: [], heartbeat: true }));
    expect(allText()).not.toContain("all clear,");
    expect(allText()).toContain("Incomplete sweep");
  });
});
