// The sandbox's Teams Workflows webhook on the wire: 202 for JSON, 400/401/404/413 refusals, faults,
// and what it notes about cards Teams would not render.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { everyResourceType } from "./helpers.js";
import { startSandbox, type Sandbox } from "./index.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox({ fixture: await everyResourceType() });
});

afterEach(async () => {
  await sandbox.close();
});

function card(version = "1.4", extra = "") {
  return JSON.stringify({
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: { type: "AdaptiveCard", version, body: [{ type: "TextBlock", text: `hello${extra}` }] },
      },
    ],
  });
}

async function post(body: string, options: { url?: string; type?: string } = {}) {
  const response = await fetch(options.url ?? sandbox.teamsWebhookUrl, { method: "POST", headers: { "content-type": options.type ?? "application/json" }, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

describe("sandbox Teams Workflows webhook", () => {
  it("is a loopback http URL shaped like a Workflows trigger, with a signature", () => {
    expect(sandbox.teamsWebhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/teams\/webhook\/[0-9a-f]{32}\?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1\.0&sig=[\w-]+$/);
  });

  it("answers 202 with no body and records the payload", async () => {
    const answer = await post(card());
    expect([answer.status, answer.body]).toEqual([202, undefined]);
    expect(answer.headers.get("x-ms-workflow-run-id")).toMatch(/^[0-9A-F]{32}$/);
    expect(sandbox.teams.payloads).toEqual([expect.objectContaining({ bytes: card().length, problems: [] })]);
    expect(sandbox.teams.payloads[0]!.body.attachments[0].content.version).toBe("1.4");
  });

  it("notes what Teams would not render, while still accepting it as Workflows does", async () => {
    expect((await post(card("1.5"))).status).toBe(202);
    expect((await post(JSON.stringify({ text: "plain" }))).status).toBe(202);
    expect(sandbox.teams.payloads.map((p) => p.problems)).toEqual([
      ['card version "1.5": Teams workflows render 1.0 to 1.4'],
      ['type is undefined, not "message"', "attachments must hold exactly one card"],
    ]);
  });

  it("refuses non-JSON (400), oversized (413), a wrong signature (401) and an unknown workflow (404)", async () => {
    expect((await post("not json")).status).toBe(400);
    expect((await post(card(), { type: "text/plain" })).status).toBe(400);
    const big = await post(card("1.4", "x".repeat(28 * 1024)));
    expect([big.status, big.body.error.code]).toEqual([413, "MessageSizeLimitExceeded"]);
    const url = new URL(sandbox.teamsWebhookUrl);
    url.searchParams.set("sig", "wrong");
    expect((await post(card(), { url: url.toString() })).status).toBe(401);
    expect((await post(card(), { url: sandbox.teamsWebhookUrl.replace(/webhook\/[0-9a-f]+/, "webhook/0000") })).status).toBe(404);
    expect(sandbox.teams.payloads).toHaveLength(0);
    expect(sandbox.teams.requests.map((r) => r.status)).toEqual([400, 400, 413, 401, 404]);
  });

  it("applies the sandbox's faults: 429 with Retry-After, 5xx, 400", async () => {
    sandbox.addFault({ method: "POST", path: "^/teams/webhook/", status: 429, retryAfter: 3, times: 1 });
    sandbox.addFault({ method: "POST", path: "^/teams/webhook/", status: 503, times: 1 });
    sandbox.addFault({ method: "POST", path: "^/teams/webhook/", status: 400, times: 1 });
    const limited = await post(card());
    expect([limited.status, limited.headers.get("retry-after"), limited.body.error.code]).toEqual([429, "3", "WorkflowRequestsThrottled"]);
    expect((await post(card())).status).toBe(503);
    expect((await post(card())).status).toBe(400);
    expect((await post(card())).status).toBe(202);
  });
});
