// A Teams Workflows webhook ("When a Teams webhook request is received"): POST
// /teams/webhook/{id}?…&sig=… with a JSON body, answered 202 and an empty body (the flow runs later,
// so whether the card renders is not the caller's answer). Bodies over 28 KB (Teams' message size
// limit) are refused with 413, non-JSON ones with 400, a wrong signature with 401, an unknown
// workflow with 404. What a Teams flow would choke on later (not a message, not one Adaptive Card,
// a card version Teams workflows do not render) is recorded in `problems`.
import { randomBytes, randomUUID } from "node:crypto";
import type { FaultSet } from "./faults.js";
import type { SandboxRequest, SandboxResponse } from "./http-types.js";

export const TEAMS_WEBHOOK_PREFIX = "/teams/webhook/";
/** Teams refuses messages over about 28 KB. */
export const TEAMS_MAX_BYTES = 28 * 1024;

export interface TeamsPayloadRecord {
  /** The parsed JSON body. */
  body: any;
  bytes: number;
  /** What would stop the card from showing in Teams; empty for a well-formed Adaptive Card 1.0–1.4 message. */
  problems: string[];
  at: string;
}

export interface TeamsRequestRecord {
  status: number;
  bytes: number;
  at: string;
}

export interface TeamsSandbox {
  workflowId: string;
  signature: string;
  /** Every payload accepted (202), in order. */
  payloads: TeamsPayloadRecord[];
  /** Every request, faults and refusals included. */
  requests: TeamsRequestRecord[];
}

export function createTeamsSandbox(): TeamsSandbox {
  return { workflowId: randomBytes(16).toString("hex"), signature: randomBytes(24).toString("base64url"), payloads: [], requests: [] };
}

/** The webhook path and query, shaped like a Workflows trigger URL. */
export function teamsWebhookPath(teams: TeamsSandbox): string {
  return `${TEAMS_WEBHOOK_PREFIX}${teams.workflowId}?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${teams.signature}`;
}

// Error bodies in the Logic Apps / Power Automate shape {"error":{"code","message"}}. The codes are
// the sandbox's best knowledge, not checked against the live service.
function workflowError(status: number, code: string, message: string, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers, body: { error: { code, message } } };
}

export function teamsHandler(teams: TeamsSandbox, faults: FaultSet): (req: SandboxRequest) => Promise<SandboxResponse> {
  return async (req) => {
    const bytes = Buffer.byteLength(req.body, "utf8");
    const response = await answer(req, bytes);
    teams.requests.push({ status: response.status, bytes, at: new Date().toISOString() });
    return response;
  };

  async function answer(req: SandboxRequest, bytes: number): Promise<SandboxResponse> {
    const fault = faults.take(req.method, req.path);
    if (fault) {
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.status !== undefined || fault.body !== undefined) {
        const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };
        if (fault.body !== undefined) return { status: fault.status ?? 200, rawBody: fault.body, headers };
        return faultError(fault.status ?? 500, headers);
      }
    }
    const id = req.path.slice(TEAMS_WEBHOOK_PREFIX.length);
    if (id !== teams.workflowId) return workflowError(404, "WorkflowNotFound", "The workflow could not be found.");
    if (req.method !== "POST") return workflowError(405, "TriggerRequestMethodNotValid", `The HTTP method for this request is not valid: expected 'POST' and actual '${req.method}'.`);
    if (req.query.get("sig") !== teams.signature) return workflowError(401, "DirectApiAuthorizationRequired", "The request must be authenticated only by Shared Access scheme.");
    if (bytes > TEAMS_MAX_BYTES) return workflowError(413, "MessageSizeLimitExceeded", `The request body of ${bytes} bytes exceeds the ${TEAMS_MAX_BYTES} bytes a Teams message can hold.`);
    const type = (req.headers["content-type"] ?? "").toLowerCase();
    if (!type.startsWith("application/json")) return workflowError(400, "InvalidRequestContent", "The request content type must be 'application/json'.");
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return workflowError(400, "InvalidRequestContent", "The request content is not valid JSON.");
    }
    teams.payloads.push({ body, bytes, problems: payloadProblems(body), at: new Date().toISOString() });
    return { status: 202, headers: { "x-ms-workflow-run-id": randomUUID().replace(/-/g, "").toUpperCase() } };
  }
}

function faultError(status: number, headers: Record<string, string>): SandboxResponse {
  if (status === 429) return workflowError(429, "WorkflowRequestsThrottled", "Number of requests exceeded the limit. Please retry after the time in the Retry-After header.", headers);
  if (status >= 500) return workflowError(status, "ServiceUnavailable", "The service is temporarily unavailable.", headers);
  if (status === 400) return workflowError(400, "InvalidRequestContent", "The request content is not valid.", headers);
  return workflowError(status, "Unknown", `HTTP ${status}`, headers);
}

/** What the "Post card in a chat or channel" step would refuse or fail to render. */
export function payloadProblems(body: unknown): string[] {
  const b = body as { type?: unknown; attachments?: unknown };
  if (typeof b !== "object" || b === null) return ["not a JSON object"];
  const problems: string[] = [];
  if (b.type !== "message") problems.push(`type is ${JSON.stringify(b.type)}, not "message"`);
  if (!Array.isArray(b.attachments) || b.attachments.length !== 1) {
    problems.push("attachments must hold exactly one card");
    return problems;
  }
  const attachment = b.attachments[0] as { contentType?: unknown; content?: any };
  if (attachment?.contentType !== "application/vnd.microsoft.card.adaptive") problems.push(`contentType is ${JSON.stringify(attachment?.contentType)}`);
  const card = attachment?.content;
  if (card?.type !== "AdaptiveCard") problems.push("content is not an AdaptiveCard");
  if (!/^1\.[0-4]$/.test(String(card?.version))) problems.push(`card version ${JSON.stringify(card?.version)}: Teams workflows render 1.0 to 1.4`);
  if (!Array.isArray(card?.body) || card.body.length === 0) problems.push("card body is empty");
  return problems;
}
