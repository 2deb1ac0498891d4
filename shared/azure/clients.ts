// The composition root: the only place that builds the credential and the SDK clients.
// Everything downstream receives these as plain parameters, so tests can point the very same
// clients at the sandbox by changing nothing but endpoints and the CA to trust.
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { Client as GraphClient } from "@microsoft/microsoft-graph-client";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { MonitorClient } from "@azure/arm-monitor";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { NetworkManagementClient } from "@azure/arm-network";
import { Agent } from "undici";
import type { Config } from "../config/index.js";
import { malformedListPolicy } from "./malformed-list-policy.js";
import { cachingCredential } from "./token-cache.js";

/** The ARM clients of one subscription. */
export interface SubscriptionClients {
  subscriptionId: string;
  registries: ContainerRegistryManagementClient;
  authorization: AuthorizationManagementClient;
  monitor: MonitorClient;
  containerService: ContainerServiceClient;
  network: NetworkManagementClient;
}

export interface AzureClients {
  credential: TokenCredential;
  graph: GraphClient;
  /** The Graph token scope, e.g. https://graph.microsoft.com/.default */
  graphScope: string;
  subscriptions: SubscriptionClient;
  /** ARM clients are bound to a subscription; built on demand, one set per subscription. */
  forSubscription(subscriptionId: string): SubscriptionClients;
  /** Releases sockets held by a custom TLS agent, so a CLI process can exit promptly. */
  close(): Promise<void>;
}

export interface ClientOptions {
  /** Overrides the credential (tests that need a ClientSecretCredential, say). */
  credential?: TokenCredential;
  /** ARM retry count; the pipeline honours Retry-After on 429/503 between tries. */
  maxRetries?: number;
}

/**
 * DefaultAzureCredential: managed identity in Azure, `az login` (and the rest of its chain) on a
 * workstation. AZURE_TOKEN_CREDENTIALS narrows the chain where the caller needs that.
 */
export function createCredential(config: Config): TokenCredential {
  return new DefaultAzureCredential({ authorityHost: config.cloud.authorityHost });
}

export function createAzureClients(config: Config, options: ClientOptions = {}): AzureClients {
  const { graphEndpoint, armEndpoint } = config.cloud;
  // One token per scope for the whole sweep, shared by the Graph client and every ARM client.
  const credential = cachingCredential(options.credential ?? createCredential(config));
  const ca = config.caPem ?? undefined;
  const armScope = `${armEndpoint}/.default`;
  const graphScope = `${graphEndpoint}/.default`;

  // Graph client 3 calls the global fetch; a private undici Agent is how that fetch trusts an extra
  // CA without NODE_EXTRA_CA_CERTS (which only takes effect at process start).
  const dispatcher = ca ? new Agent({ connect: { ca } }) : undefined;
  const graph = GraphClient.initWithMiddleware({
    authProvider: {
      getAccessToken: async () => {
        const token = await credential.getToken(graphScope);
        if (!token) throw new Error(`no token for ${graphScope}`);
        return token.token;
      },
    },
    baseUrl: graphEndpoint,
    defaultVersion: "v1.0",
    // Bare host names: the client sends the token only to hosts it knows as Graph hosts.
    customHosts: new Set([new URL(graphEndpoint).host.replace(/:\d+$/, "")]),
    ...(dispatcher ? { fetchOptions: { dispatcher } as RequestInit } : {}),
  });

  const retryOptions = { maxRetries: options.maxRetries ?? 4 };
  const additionalPolicies = [{ policy: malformedListPolicy(), position: "perCall" as const }];
  // Old-style (core-client) and new-style (core-client-rest) clients spell the scope differently.
  const legacyOptions = {
    endpoint: armEndpoint,
    credentialScopes: [armScope],
    retryOptions,
    additionalPolicies,
    ...(ca ? { tlsOptions: { ca } } : {}),
  };
  const modernOptions = {
    endpoint: armEndpoint,
    credentials: { scopes: [armScope] },
    retryOptions,
    additionalPolicies,
    ...(ca ? { tlsOptions: { ca } } : {}),
  };

  const perSubscription = new Map<string, SubscriptionClients>();
  return {
    credential,
    graph,
    graphScope,
    subscriptions: new SubscriptionClient(credential, legacyOptions),
    forSubscription(subscriptionId) {
      let clients = perSubscription.get(subscriptionId);
      if (!clients) {
        // Each client is built when first used: most subscriptions never need a network client.
        const lazy = <T>(build: () => T) => {
          let client: T | undefined;
          return () => (client ??= build());
        };
        const registries = lazy(() => new ContainerRegistryManagementClient(credential, subscriptionId, modernOptions));
        const authorization = lazy(() => new AuthorizationManagementClient(credential, subscriptionId, legacyOptions));
        const monitor = lazy(() => new MonitorClient(credential, subscriptionId, legacyOptions));
        const containerService = lazy(() => new ContainerServiceClient(credential, subscriptionId, modernOptions));
        const network = lazy(() => new NetworkManagementClient(credential, subscriptionId, legacyOptions));
        clients = {
          subscriptionId,
          get registries() {
            return registries();
          },
          get authorization() {
            return authorization();
          },
          get monitor() {
            return monitor();
          },
          get containerService() {
            return containerService();
          },
          get network() {
            return network();
          },
        };
        perSubscription.set(subscriptionId, clients);
      }
      return clients;
    },
    async close() {
      await dispatcher?.close();
    },
  };
}
