// One token per scope for the whole sweep. The Graph client asks its auth provider for a token on
// every request, and each of the hundreds of per-subscription ARM clients asks once: without this,
// each of those is a trip through the credential (an MSAL cache look-up at best, a request to the
// identity endpoint when two ask at once before the first answer). Here concurrent requests for a
// scope share one, and a token is reused until five minutes before it expires.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";

const REFRESH_BEFORE_MS = 5 * 60_000;

export function cachingCredential(inner: TokenCredential, clock: () => number = Date.now): TokenCredential {
  const tokens = new Map<string, Promise<AccessToken | null>>();
  async function getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    // Requests with claims or a tenant of their own (CAE challenges, multi-tenant) go straight through.
    if (options?.claims || options?.tenantId) return inner.getToken(scopes, options);
    const key = (Array.isArray(scopes) ? scopes : [scopes]).join(" ");
    const cached = tokens.get(key);
    if (cached) {
      const token = await cached.catch(() => null);
      if (token && token.expiresOnTimestamp - REFRESH_BEFORE_MS > clock()) return token;
      if (tokens.get(key) !== cached) return getToken(scopes, options);
    }
    const pending = inner.getToken(scopes, options);
    tokens.set(key, pending);
    pending.catch(() => {
      if (tokens.get(key) === pending) tokens.delete(key);
    });
    return pending;
  }
  return { getToken };
}
