// Where the inventory store lives: beside the alert ledger (Config.ledger), in its own table or file.
//   ledger in Table Storage (connection string or table service URL) → table `credwatchinventory`
//   ledger in a file DIR/ledger.json                                    → DIR/credwatch-inventory.json (+ its .ndjson base)
//   no ledger configured (the CLI)                                      → .credwatch/credwatch-inventory.json
import type { TokenCredential } from "@azure/identity";
import { dirname, join, resolve } from "node:path";
import type { LedgerLocation } from "../config/schema.js";
import { FileInventoryStore } from "./file-store.js";
import type { InventoryStore } from "./store.js";
import { INVENTORY_TABLE, TableInventoryStore } from "./table-store.js";

export const INVENTORY_FILE = "credwatch-inventory.json";
export const DEFAULT_STORE_DIRECTORY = ".credwatch";

export function openInventoryStore(ledger: LedgerLocation | null, credential: TokenCredential, cwd: string = process.cwd()): InventoryStore {
  if (!ledger) return new FileInventoryStore(resolve(cwd, DEFAULT_STORE_DIRECTORY, INVENTORY_FILE));
  switch (ledger.kind) {
    case "connection-string":
      return TableInventoryStore.fromConnectionString(ledger.connectionString, INVENTORY_TABLE);
    case "table-endpoint":
      return TableInventoryStore.fromUrl(ledger.url, INVENTORY_TABLE, credential);
    case "file":
      return new FileInventoryStore(join(dirname(ledger.path), INVENTORY_FILE));
  }
}

export { FileInventoryStore } from "./file-store.js";
export { TableInventoryStore, INVENTORY_TABLE } from "./table-store.js";
export * from "./store.js";
