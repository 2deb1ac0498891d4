// JWT-shaped access tokens (header.payload.signature, base64url) with the claims Microsoft Entra
// access tokens carry (learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
// They are HMAC-signed with a key that lives only in this sandbox, so the sandbox can tell its own
// tokens from anything else a client might send.
import { createHmac, timingSafeEqual } from "node:crypto";

export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  /** Tenant id. */
  tid: string;
  /** Object id of the calling principal. */
  oid: string;
  /** Client (application) id of the caller. */
  appid: string;
  sub: string;
  idtyp: "app";
  ver: "1.0";
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: "malformed" | "signature" | "expired"; claims?: TokenClaims };

const HEADER = Buffer.from(JSON.stringify({ typ: "JWT", alg: "HS256" })).toString("base64url");

export function mintToken(key: Buffer, claims: TokenClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${HEADER}.${payload}.${sign(key, `${HEADER}.${payload}`)}`;
}

export function checkToken(key: Buffer, token: string, nowSeconds: number): TokenCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed" };
  const [header, payload, signature] = parts as [string, string, string];
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TokenClaims;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const expected = Buffer.from(sign(key, `${header}.${payload}`));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { ok: false, reason: "signature", claims };
  if (typeof claims.exp !== "number" || claims.exp <= nowSeconds) return { ok: false, reason: "expired", claims };
  return { ok: true, claims };
}

function sign(key: Buffer, data: string): string {
  return createHmac("sha256", key).update(data).digest("base64url");
}
