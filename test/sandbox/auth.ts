// Bearer-token checks in front of Graph and ARM, answering 401 with each service's own error body.
// Messages as the services send them (Graph: InvalidAuthenticationToken; ARM: AuthenticationFailed,
// InvalidAuthenticationToken, ExpiredAuthenticationToken, InvalidAuthenticationTokenAudience).
import { armError, graphError } from "./errors.js";
import type { SandboxRequest, SandboxResponse } from "./http-types.js";
import { checkToken, type TokenClaims } from "./tokens.js";

export interface AuthSettings {
  tokenKey: Buffer;
  tenantId: string;
  authorityHost: string;
  /** The resource a token must be issued for: the Graph or the ARM endpoint (with or without "/"). */
  resource: string;
}

export type AuthResult = { ok: true; claims: TokenClaims } | { ok: false; response: SandboxResponse };

export function authenticate(service: "graph" | "arm", req: SandboxRequest, settings: AuthSettings): AuthResult {
  const fail = (armCode: string, message: string, graphMessage: string): AuthResult => ({
    ok: false,
    response:
      service === "graph"
        ? graphError(401, "InvalidAuthenticationToken", graphMessage, req, {
            "www-authenticate": `Bearer realm="", authorization_uri="${settings.authorityHost}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
          })
        : armError(401, armCode, message, {
            "www-authenticate": `Bearer authorization_uri="${settings.authorityHost}/${settings.tenantId}", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`,
          }),
  });

  const header = req.headers.authorization;
  if (!header) return fail("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", "Access token is empty.");
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    return fail("AuthenticationFailedInvalidHeader", "Authentication failed. The 'Authorization' header is provided in an invalid format.", "Access token validation failure.");
  }
  const nowSeconds = Math.floor(Date.now() / 1000);
  const check = checkToken(settings.tokenKey, match[1], nowSeconds);
  if (!check.ok) {
    if (check.reason === "expired" && check.claims) {
      const exp = new Date(check.claims.exp * 1000).toISOString();
      return fail(
        "ExpiredAuthenticationToken",
        `The access token expiry UTC time '${exp}' is earlier than current UTC time '${new Date(nowSeconds * 1000).toISOString()}'.`,
        "Lifetime validation failed, the token is expired.",
      );
    }
    return fail("InvalidAuthenticationToken", "The access token is invalid.", "Access token validation failure.");
  }
  const allowed = [settings.resource, `${settings.resource}/`];
  if (!allowed.includes(check.claims.aud)) {
    return fail(
      "InvalidAuthenticationTokenAudience",
      `The access token has been obtained for wrong audience or resource '${check.claims.aud}'. It should exactly match with one of the allowed audiences ${allowed.map((a) => `'${a}'`).join(",")}.`,
      "Access token validation failure. Invalid audience.",
    );
  }
  if (check.claims.tid !== settings.tenantId) {
    return fail(
      "InvalidAuthenticationTokenTenant",
      `The access token is from the wrong issuer '${check.claims.iss}'. It must match the tenant associated with this subscription.`,
      "Access token validation failure. Invalid tenant.",
    );
  }
  return { ok: true, claims: check.claims };
}
