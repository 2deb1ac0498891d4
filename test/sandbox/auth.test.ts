import { ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import { Agent, fetch } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { everyResourceType, managedIdentityToken, wireClient, type WireClient } from "./helpers.js";
import { startSandbox, type Sandbox } from "./index.js";
import { mintToken } from "./tokens.js";
import { randomBytes } from "node:crypto";

let sandbox: Sandbox;
let client: WireClient;

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: await everyResourceType() });
  client = await wireClient(sandbox);
});

afterAll(async () => {
  await client.close();
  await sandbox.close();
});

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
}

describe("bearer tokens on Graph and ARM", () => {
  it("answers 401 without a token, in each service's error format", async () => {
    const graph = await client.get("/v1.0/applications", { token: null });
    expect(graph.status).toBe(401);
    expect(graph.body.error).toMatchObject({ code: "InvalidAuthenticationToken", message: "Access token is empty." });
    const arm = await client.get("/subscriptions?api-version=2022-12-01", { token: null });
    expect(arm.status).toBe(401);
    expect(arm.body).toEqual({ error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." } });
    expect(arm.headers.get("www-authenticate")).toMatch(/^Bearer authorization_uri=".*", error="invalid_token"/);
  });

  it("answers 401 for a token issued for another audience", async () => {
    const armToken = await managedIdentityToken(sandbox, "https://management.azure.com/");
    const graph = await client.get("/v1.0/applications", { token: armToken });
    expect(graph.status).toBe(401);
    expect(graph.body.error.message).toBe("Access token validation failure. Invalid audience.");
    const graphToken = await managedIdentityToken(sandbox, "https://graph.microsoft.com");
    const arm = await client.get("/subscriptions?api-version=2022-12-01", { token: graphToken });
    expect(arm.status).toBe(401);
    expect(arm.body.error).toEqual({
      code: "InvalidAuthenticationTokenAudience",
      message: `The access token has been obtained for wrong audience or resource 'https://graph.microsoft.com'. It should exactly match with one of the allowed audiences '${sandbox.url}','${sandbox.url}/'.`,
    });
  });

  it("answers 401 for garbage and for a token signed by someone else", async () => {
    expect((await client.get("/subscriptions?api-version=2022-12-01", { token: "a.b.c" })).body.error.code).toBe("InvalidAuthenticationToken");
    const now = Math.floor(Date.now() / 1000);
    const foreign = mintToken(randomBytes(32), { aud: sandbox.url, iss: "x", iat: now, nbf: now, exp: now + 600, tid: sandbox.fixture.tenantId, oid: "o", appid: "a", sub: "o", idtyp: "app", ver: "1.0" });
    const response = await client.get("/v1.0/applications", { token: foreign });
    expect([response.status, response.body.error.message]).toEqual([401, "Access token validation failure."]);
  });

  it("issues JWT-shaped tokens with tid, aud and exp", async () => {
    const claims = claimsOf(client.token);
    expect(claims).toMatchObject({ tid: sandbox.fixture.tenantId, aud: sandbox.url, idtyp: "app" });
    expect(claims.exp as number).toBeGreaterThan(Date.now() / 1000 + 3000);
  });
});

describe("the managed-identity endpoint (App Service form)", () => {
  it("wants X-IDENTITY-HEADER and a resource", async () => {
    const noHeader = await fetch(`${sandbox.identityEndpoint}?api-version=2019-08-01&resource=${sandbox.url}`);
    expect(noHeader.status).toBe(401);
    const noResource = await fetch(`${sandbox.identityEndpoint}?api-version=2019-08-01`, { headers: { "X-IDENTITY-HEADER": sandbox.identityHeader } });
    expect(noResource.status).toBe(400);
    const ok = await fetch(`${sandbox.identityEndpoint}?api-version=2019-08-01&resource=${sandbox.url}`, { headers: { "X-IDENTITY-HEADER": sandbox.identityHeader } });
    expect(Object.keys((await ok.json()) as object)).toEqual(["access_token", "expires_on", "resource", "token_type", "client_id"]);
  });

  describe("through @azure/identity, configured by the sandbox's env", () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    });

    it("ManagedIdentityCredential gets a token for the sandbox's resource", async () => {
      Object.assign(process.env, sandbox.env);
      const token = await new ManagedIdentityCredential().getToken(`${sandbox.url}/.default`);
      expect(claimsOf(token.token).aud).toBe(sandbox.url);
      expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
      const identityCalls = sandbox.requests.filter((r) => r.service === "identity" && r.query["api-version"] === "2019-08-01");
      expect(identityCalls.at(-1)?.query).toEqual({ "api-version": "2019-08-01", resource: sandbox.url });
    });

    it("DefaultAzureCredential uses only the managed identity (AZURE_TOKEN_CREDENTIALS)", async () => {
      Object.assign(process.env, sandbox.env);
      const token = await new DefaultAzureCredential().getToken(`${sandbox.url}/.default`);
      const response = await client.get("/subscriptions?api-version=2022-12-01", { token: token.token });
      expect(response.status).toBe(200);
    });
  });
});

describe("the OAuth token endpoint", () => {
  it("serves ClientSecretCredential (https authority, instance discovery off)", async () => {
    const credential = new ClientSecretCredential(sandbox.fixture.tenantId, "a2000000-0000-4000-8000-000000000001", "not-checked", {
      authorityHost: sandbox.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: sandbox.caPem },
    } as ConstructorParameters<typeof ClientSecretCredential>[3]);
    const token = await credential.getToken(`${sandbox.url}/.default`);
    // The token names the fixture's service principal of that appId.
    expect(claimsOf(token.token)).toMatchObject({ appid: "a2000000-0000-4000-8000-000000000001", oid: "b1000000-0000-4000-8000-000000000001" });
    expect((await client.get("/v1.0/applications", { token: token.token })).status).toBe(200);
    expect(sandbox.requests.filter((r) => r.service === "oauth").map((r) => [r.method, r.path.replace(sandbox.fixture.tenantId, "{tenant}"), r.status])).toEqual([
      ["GET", "/{tenant}/v2.0/.well-known/openid-configuration", 200],
      ["POST", "/{tenant}/oauth2/v2.0/token", 200],
    ]);
  });

  it("refuses other tenants, grants, clients without a secret and non-.default scopes with Entra's error body", async () => {
    const tenant = sandbox.fixture.tenantId;
    const scope = `${sandbox.url}/.default`;
    const cases: [string, Record<string, string>, number, string][] = [
      ["00000000-0000-0000-0000-000000000000", { grant_type: "client_credentials", client_id: "x", client_secret: "y", scope }, 400, "invalid_tenant"],
      [tenant, { grant_type: "password", client_id: "x", client_secret: "y", scope }, 400, "unsupported_grant_type"],
      [tenant, { grant_type: "client_credentials", client_id: "x", scope }, 401, "invalid_client"],
      [tenant, { grant_type: "client_credentials", client_id: "x", client_secret: "y", scope: "User.Read" }, 400, "invalid_scope"],
    ];
    for (const [tenantId, form, status, error] of cases) {
      const response = await postForm(`${sandbox.url}/${tenantId}/oauth2/v2.0/token`, form);
      expect([response.status, response.body.error]).toEqual([status, error]);
      expect(response.body.error_description).toMatch(/^AADSTS\d+: /);
    }
  });
});

async function postForm(url: string, form: Record<string, string>): Promise<{ status: number; body: any }> {
  const dispatcher = new Agent({ connect: { ca: sandbox.caPem } });
  try {
    const response = await fetch(url, { method: "POST", body: new URLSearchParams(form), dispatcher });
    return { status: response.status, body: await response.json() };
  } finally {
    await dispatcher.close();
  }
}
