// Both ledger adapters for describe.each: the JSON file (in a temporary directory) and Table
// Storage (Azurite, started and stopped by the test file that calls useLedgers()).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type { Ledger } from "../../shared/notify/ledger.js";
import { FileLedger } from "../../shared/notify/ledger-file.js";
import { TableLedger } from "../../shared/notify/ledger-table.js";
import { startAzurite, type Azurite } from "../support/azurite.js";

export interface LedgerKind {
  name: "file" | "table";
  /** A fresh, empty ledger; call twice with the same key for two handles on one store. */
  open(key?: string): Ledger;
  /** A fresh key for open(). */
  newKey(): string;
}

/** Registers beforeAll/afterAll hooks; call at the top level of a test file. */
export function useLedgers(): LedgerKind[] {
  let azurite: Azurite | null = null;
  let dir: string | null = null;
  beforeAll(async () => {
    [azurite, dir] = await Promise.all([startAzurite(), mkdtemp(join(tmpdir(), "credwatch-ledger-"))]);
  });
  afterAll(async () => {
    await Promise.all([azurite?.stop(), dir ? rm(dir, { recursive: true, force: true }) : undefined]);
  });
  const newKey = () => `t${randomBytes(6).toString("hex")}`;
  return [
    {
      name: "file",
      newKey,
      open: (key = newKey()) => new FileLedger(join(dir!, `${key}.json`)),
    },
    {
      name: "table",
      newKey,
      open: (key = newKey()) => TableLedger.fromConnectionString(azurite!.connectionString, key),
    },
  ];
}
