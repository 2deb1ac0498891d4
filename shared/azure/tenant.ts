// Which tenant a sweep reads. AZURE_TENANT_ID when set; otherwise the `tid` claim of the Graph token
// the credential obtains anyway, so a signed-in `az login` user needs no extra setting. Only the
// claim is read; the token itself is never logged or kept.
import type { TokenCredential } from "@azure/identity";

export async function resolveTenantId(credential: TokenCredential, graphScope: string, configured: string | null): Promise<string> {
  if (configured) return configured;
  const token = await credential.getToken(graphScope);
  return (token && tenantIdFromJwt(token.token)) ?? "unknown";
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
