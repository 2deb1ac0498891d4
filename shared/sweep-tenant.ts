// The one path from a validated Config to a Report, shared by the CLI, the timer and the HTTP
// trigger: build the clients (composition root), sweep, release the clients.
import type { Config } from "./config/index.js";
import { createAzureClients, type ClientOptions } from "./azure/clients.js";
import { runSweep } from "./sweep.js";
import type { Report } from "./model.js";

export interface SweepTenantOptions {
  now: Date;
  /** Narrows CREDWATCH_SUBSCRIPTIONS for one ad-hoc sweep (HTTP `subscriptions=`). */
  subscriptions?: string[] | null;
  log?: (message: string) => void;
  clientOptions?: ClientOptions;
}

export async function sweepTenant(config: Config, options: SweepTenantOptions): Promise<Report> {
  const clients = createAzureClients(config, options.clientOptions);
  try {
    return await runSweep(clients, {
      now: options.now,
      policy: config.policy,
      subscriptionFilter: options.subscriptions ?? config.subscriptions,
      tenantId: config.tenantId,
      graphEndpoint: config.cloud.graphEndpoint,
      armEndpoint: config.cloud.armEndpoint,
      suppressions: config.suppressions,
      ...(options.log ? { log: options.log } : {}),
    });
  } finally {
    await clients.close();
  }
}
