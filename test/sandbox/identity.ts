// The two ways a client gets a token from the sandbox:
// - the App Service / Functions managed-identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER), as
//   @azure/msal-node's AppService source calls it: GET ?api-version=2019-08-01&resource=R with header
//   X-IDENTITY-HEADER (msal-node dist/client/ManagedIdentitySources/AppService.mjs);
// - the Microsoft Entra v2.0 OAuth endpoints a ClientSecretCredential uses with disableInstanceDiscovery:
//   GET /{tenant}/v2.0/.well-known/openid-configuration, then POST /{tenant}/oauth2/v2.0/token.
import { randomUUID } from "node:crypto";
import { jsonResponse, type SandboxRequest, type SandboxResponse } from "./http-types.js";
import { stableGuid } from "./ids.js";
import { mintToken, type TokenClaims } from "./tokens.js";

export interface IdentitySettings {
  tokenKey: Buffer;
  tenantId: string;
  authorityHost: string;
  identityHeader: string;
  /** appId → object id of the fixture's service principals, so a client-credentials token names its principal. */
  servicePrincipalObjectIds: ReadonlyMap<string, string>;
}

const TOKEN_LIFETIME_SECONDS = 3600;
export const IDENTITY_PATH = "/msi/token";

/** The principal a managed-identity token stands for: the identity credwatch runs as. */
function managedIdentityOf(tenantId: string): { clientId: string; objectId: string } {
  return { clientId: stableGuid("managed-identity-client", tenantId), objectId: stableGuid("managed-identity-object", tenantId) };
}

function issue(settings: IdentitySettings, resource: string, principal: { appid: string; oid: string }): { token: string; exp: number } {
  const now = Math.floor(Date.now() / 1000);
  const claims: TokenClaims = {
    aud: resource,
    iss: `${settings.authorityHost}/${settings.tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
    tid: settings.tenantId,
    oid: principal.oid,
    appid: principal.appid,
    sub: principal.oid,
    idtyp: "app",
    ver: "1.0",
  };
  return { token: mintToken(settings.tokenKey, claims), exp: claims.exp };
}

export function handleManagedIdentity(settings: IdentitySettings, req: SandboxRequest): SandboxResponse {
  // App Service's error body is {statusCode, message, correlationId}; msal-node reports `message`.
  const fail = (status: number, message: string) => jsonResponse(status, { statusCode: status, message, correlationId: randomUUID() });
  if (req.method !== "GET" || req.path !== IDENTITY_PATH) return fail(404, `No managed identity endpoint at ${req.method} ${req.path}.`);
  if (req.headers["x-identity-header"] !== settings.identityHeader) return fail(401, "The X-IDENTITY-HEADER header is missing or wrong.");
  if (!req.query.get("api-version")) return fail(400, "The api-version query parameter is required.");
  const resource = req.query.get("resource");
  if (!resource) return fail(400, "The resource query parameter is required.");
  const identity = managedIdentityOf(settings.tenantId);
  const { token, exp } = issue(settings, resource, { appid: identity.clientId, oid: identity.objectId });
  // Response fields as App Service documents them (learn.microsoft.com/azure/app-service/overview-managed-identity,
  // "REST endpoint reference"): expires_on is epoch seconds as a string.
  return jsonResponse(200, { access_token: token, expires_on: String(exp), resource, token_type: "Bearer", client_id: identity.clientId });
}

function oauthError(status: number, error: string, code: number, description: string): SandboxResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace("T", " ").slice(0, 19) + "Z";
  // Entra ID error response (learn.microsoft.com/entra/identity-platform/reference-error-codes).
  return jsonResponse(status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

/** Undefined when the request is not for the OAuth endpoints, so the caller can try other routes. */
export function handleOAuth(settings: IdentitySettings, req: SandboxRequest): SandboxResponse | undefined {
  const match = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token|discovery\/v2\.0\/keys)$/.exec(req.path);
  if (!match) return undefined;
  const [, tenant = "", endpoint] = match;
  if (tenant.toLowerCase() !== settings.tenantId.toLowerCase()) {
    return oauthError(400, "invalid_tenant", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`);
  }
  const base = `${settings.authorityHost}/${settings.tenantId}`;
  if (endpoint === "discovery/v2.0/keys") return jsonResponse(200, { keys: [] });
  if (endpoint === "v2.0/.well-known/openid-configuration") {
    // The fields msal-common requires (authorization_endpoint, token_endpoint, issuer, jwks_uri) and the
    // rest of what login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration returns.
    return jsonResponse(200, {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      tenant_region_scope: null,
      cloud_instance_name: "microsoftonline.com",
    });
  }

  if (req.method !== "POST") return oauthError(405, "invalid_request", 900561, "The endpoint only accepts POST requests.");
  const form = new URLSearchParams(req.body);
  if (form.get("grant_type") !== "client_credentials") {
    return oauthError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type. The sandbox issues client_credentials tokens only.");
  }
  const clientId = form.get("client_id");
  if (!clientId) return oauthError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
  if (!form.get("client_secret") && !form.get("client_assertion")) {
    return oauthError(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
  }
  // Client credentials ask for exactly one resource, as "<resource>/.default".
  const scopes = (form.get("scope") ?? "").split(" ").filter((s) => s && !["openid", "profile", "offline_access"].includes(s));
  const resourceScope = scopes.length === 1 ? scopes[0] : undefined;
  if (!resourceScope?.endsWith("/.default")) {
    return oauthError(400, "invalid_scope", 1002012, `The provided value for scope ${form.get("scope") ?? ""} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const oid = settings.servicePrincipalObjectIds.get(clientId.toLowerCase()) ?? stableGuid("service-principal", clientId);
  const { token } = issue(settings, resourceScope.slice(0, -"/.default".length), { appid: clientId, oid });
  return jsonResponse(200, { token_type: "Bearer", expires_in: TOKEN_LIFETIME_SECONDS, ext_expires_in: TOKEN_LIFETIME_SECONDS, access_token: token });
}
