// Test helpers: the scenario fixtures, and an HTTPS client that trusts the sandbox CA and carries a
// managed-identity token, for tests that look at the wire rather than through an SDK.
import { fileURLToPath } from "node:url";
import { Agent, fetch } from "undici";
import { loadFixture, type Fixture, type FixtureInput, type Sandbox, parseFixture } from "./index.js";

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** One of everything the sandbox serves (fixtures/every-resource-type.json). */
export function everyResourceType(): Promise<Fixture> {
  return loadFixture(fixturePath("every-resource-type.json"));
}

export const PROD = "d1000000-0000-4000-8000-000000000001";
export const DENIED = "d1000000-0000-4000-8000-000000000002";
export const PROD_ACR = `/subscriptions/${PROD}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/acrprem`;

/** A tenant with `count` applications, each with one secret (paging tests). */
export function tenantWithApplications(count: number): Fixture {
  const hex = (n: number) => n.toString(16).padStart(12, "0");
  const input: FixtureInput = {
    now: "2026-03-01T12:00:00Z",
    tenantId: "6e1c3a56-3b7e-4c8e-9d0a-2f5b8c1d4e70",
    applications: Array.from({ length: count }, (_, i) => ({
      id: `a1000000-0000-4000-8000-${hex(i)}`,
      appId: `a2000000-0000-4000-8000-${hex(i)}`,
      displayName: `app-${i}`,
      passwordCredentials: [{ keyId: `c1000000-0000-4000-8000-${hex(i)}`, endDateTime: "2027-01-01T00:00:00Z" }],
    })),
  };
  return parseFixture(input, `tenant-with-${count}-applications`);
}

export interface WireResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  body: any;
}

export interface WireClient {
  /** A managed-identity token for the sandbox's own resource (valid for Graph and ARM). */
  token: string;
  get(path: string, options?: { token?: string | null }): Promise<WireResponse>;
  send(method: string, path: string, body?: unknown, options?: { token?: string | null }): Promise<WireResponse>;
  close(): Promise<void>;
}

export async function managedIdentityToken(sandbox: Sandbox, resource = sandbox.url): Promise<string> {
  const response = await fetch(`${sandbox.identityEndpoint}?api-version=2019-08-01&resource=${encodeURIComponent(resource)}`, {
    headers: { "X-IDENTITY-HEADER": sandbox.identityHeader },
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

export async function wireClient(sandbox: Sandbox): Promise<WireClient> {
  const dispatcher = new Agent({ connect: { ca: sandbox.caPem } });
  const token = await managedIdentityToken(sandbox);
  const send = async (method: string, path: string, body?: unknown, options: { token?: string | null } = {}): Promise<WireResponse> => {
    const bearer = options.token === undefined ? token : options.token;
    const response = await fetch(path.startsWith("https://") ? path : `${sandbox.url}${path}`, {
      method,
      dispatcher,
      headers: { ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  };
  return { token, get: (path, options) => send("GET", path, undefined, options), send, close: () => dispatcher.close() };
}
