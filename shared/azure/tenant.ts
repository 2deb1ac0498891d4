// Which tenant a sweep reads: the `tid` claim of the Graph token the credential obtains anyway (a
// configured AZURE_TENANT_ID may be a domain name; the claim is always the GUID), else the configured
// one. Getting the token first also means an identity that cannot sign in fails once, up front. Only
// the claim is read; the token itself is never logged or kept.
import type { TokenCredential } from "@azure/identity";

export async function resolveTenantId(credential: TokenCredential, graphScope: string, configured: string | null): Promise<string> {
  const token = await credential.getToken(graphScope);
  return (token && tenantIdFromJwt(token.token)) ?? configured ?? "unknown";
}

export function tenantIdFromJwt(jwt: string): string | null {
  const payload = jwt.split(".")[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { tid?: unknown };
    return typeof claims.tid === "string" ? claims.tid : null;
  } catch {
    return null;
  }
}
