// The one path from a validated Config to a Report, shared by the CLI, the timer and the HTTP
// trigger: build the clients (composition root) and, for incremental sweeps, the inventory store
// beside the ledger; sweep; release the clients.
import type { Config } from "./config/index.js";
import { createAzureClients, type ClientOptions } from "./azure/clients.js";
import { openInventoryStore } from "./inventory-store/open.js";
import type { InventoryStore } from "./inventory-store/store.js";
import { runSweep } from "./sweep.js";
import type { Report } from "./model.js";

export interface SweepTenantOptions {
  now: Date;
  /** Narrows CREDWATCH_SUBSCRIPTIONS for one ad-hoc sweep (HTTP `subscriptions=`). */
  subscriptions?: string[] | null;
  log?: (message: string) => void;
  clientOptions?: ClientOptions;
  /** Overrides where the inventory store lives (tests, the benchmark); null: no store. Default: from the config. */
  store?: InventoryStore | null;
  /** Subscriptions read at once, ARM list operations in flight (defaults: collect/inventory.ts). */
  subscriptionConcurrency?: number;
  armConcurrency?: number;
}

export async function sweepTenant(config: Config, options: SweepTenantOptions): Promise<Report> {
  const clients = createAzureClients(config, options.clientOptions);
  const store =
    options.store !== undefined ? options.store : config.incremental.enabled ? openInventoryStore(config.ledger, clients.credential) : null;
  try {
    return await runSweep(clients, {
      now: options.now,
      policy: config.policy,
      subscriptionFilter: options.subscriptions ?? config.subscriptions,
      tenantId: config.tenantId,
      graphEndpoint: config.cloud.graphEndpoint,
      armEndpoint: config.cloud.armEndpoint,
      suppressions: config.suppressions,
      store,
      fullSweepDays: config.incremental.fullSweepDays,
      ...(options.subscriptionConcurrency !== undefined ? { subscriptionConcurrency: options.subscriptionConcurrency } : {}),
      ...(options.armConcurrency !== undefined ? { armConcurrency: options.armConcurrency } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  } finally {
    await clients.close();
  }
}
