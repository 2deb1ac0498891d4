// Azure Table Storage clients, made one way for every table credwatch keeps (alert ledger, inventory
// store, fan-out sweep records): from a connection string or a table service URL with a credential,
// plain http only to loopback (Azurite), and the table created once, on first use.
import { TableClient } from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
const DEV_ACCOUNT = "devstoreaccount1";
const DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/**
 * A table's client from a connection string (UseDevelopmentStorage=true included) or a table service
 * URL and a credential (managed identity in Azure); plain http only to loopback (Azurite). With where
 * it is, for logs (never a secret).
 */
export function openTableClient(
  target: { connectionString: string } | { url: string; credential: TokenCredential },
  table: string,
): { client: TableClient; location: string } {
  if ("connectionString" in target) {
    const normalized = expandDevelopmentStorage(target.connectionString);
    const endpoint = tableEndpoint(normalized);
    const client = TableClient.fromConnectionString(normalized, table, { allowInsecureConnection: isLoopbackHttp(endpoint) });
    return { client, location: `table ${table} at ${endpoint ?? "the connection string's account"}` };
  }
  const client = new TableClient(target.url, table, target.credential, { allowInsecureConnection: isLoopbackHttp(target.url) });
  return { client, location: `table ${table} at ${target.url}` };
}

/** UseDevelopmentStorage=true, which the Tables SDK does not read, as the Azurite account it means. */
export function expandDevelopmentStorage(connectionString: string): string {
  if (!/^\s*UseDevelopmentStorage=true\s*;?\s*$/i.test(connectionString)) return connectionString;
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=http://127.0.0.1:10002/${DEV_ACCOUNT};`;
}

function tableEndpoint(connectionString: string): string | null {
  const parts = new Map(
    connectionString
      .split(";")
      .map((part) => part.trim())
      .filter((part) => part.includes("="))
      .map((part) => [part.slice(0, part.indexOf("=")).toLowerCase(), part.slice(part.indexOf("=") + 1)] as const),
  );
  const explicit = parts.get("tableendpoint");
  if (explicit) return explicit;
  const account = parts.get("accountname");
  if (!account) return null;
  return `${parts.get("defaultendpointsprotocol") ?? "https"}://${account}.table.${parts.get("endpointsuffix") ?? "core.windows.net"}`;
}

export function isLoopbackHttp(endpoint: string | null): boolean {
  if (!endpoint) return false;
  try {
    const url = new URL(endpoint);
    return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]", "::1"].includes(url.hostname);
  } catch {
    return false;
  }
}

/** Creates the table the first time it is needed; a failed attempt is tried again next time. */
export function tableCreator(client: TableClient): () => Promise<void> {
  let ready: Promise<void> | null = null;
  return () => {
    ready ??= client.createTable().catch((error: unknown) => {
      ready = null;
      throw error;
    });
    return ready;
  };
}
