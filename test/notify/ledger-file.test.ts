// What only the file adapter has: a corrupt file is an error naming it, a lock file against two
// runs at once, and keys / factory details of the adapters.
import { mkdtemp, readFile, rm, writeFile, stat } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LedgerFormatError, openLedger, type Intent } from "../../shared/notify/ledger.js";
import { FileLedger } from "../../shared/notify/ledger-file.js";
import { TableLedger } from "../../shared/notify/ledger-table.js";
import { expandDevelopmentStorage } from "../../shared/storage/tables.js";
import { decodeKey, encodeKey, MAX_ENCODED } from "../../shared/notify/table-keys.js";
import { day } from "./builders.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "credwatch-ledger-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const intent = (runId: string, channel: "slack" | "teams" = "slack"): Intent => ({ runId, channel, at: day(0).toISOString(), alerts: [] });

describe("file ledger", () => {
  it.each([
    ["not JSON", "{ half a ledger", /is not JSON/],
    ["another JSON document", '{"hello":"world"}', /credwatchLedger/],
    ["an entry missing fields", JSON.stringify({ credwatchLedger: 1, version: 3, channels: { slack: { entries: { a: { findingId: "a" } }, state: null, intent: null } } }), /channels\.slack\.entries\.a/],
  ])("refuses %s, naming the file, and leaves it alone", async (_what, contents, why) => {
    const path = join(dir, `corrupt-${Math.random()}.json`);
    await writeFile(path, contents);
    const ledger = new FileLedger(path);
    const error = await ledger.read("slack").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerFormatError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(why);
    await expect(ledger.putIntent(intent("r"))).rejects.toBeInstanceOf(LedgerFormatError);
    expect(await readFile(path, "utf8")).toBe(contents);
  });

  it("serialises concurrent writers through its lock: nothing is lost", async () => {
    const path = join(dir, "busy.json");
    const handles = Array.from({ length: 8 }, () => new FileLedger(path));
    await Promise.all(
      handles.map(async (ledger, i) => {
        const channel = i % 2 === 0 ? "slack" : "teams";
        const findingId = `finding-${i}`;
        for (;;) {
          try {
            const held = await ledger.putIntent(intent(`run-${i}`, channel));
            const view = await ledger.read(channel);
            await ledger.recordOutcome({
              intent: held,
              put: [{ channel, findingId, scope: { source: "graph", objectId: "x" }, notified: { id: findingId, kind: "role-gap", severity: "low", subjectType: "managedCluster", subjectName: "c", message: "m" }, stage: null, notifiedAt: held.at, runId: held.runId }],
              remove: [],
              state: { channel, lastDigestAt: held.at, lastRunId: held.runId, ...(view.state?.etag ? { etag: view.state.etag } : {}) },
            });
            return;
          } catch {
            await new Promise((r) => setTimeout(r, 5));
          }
        }
      }),
    );
    const ledger = new FileLedger(path);
    const ids = [...(await ledger.read("slack")).entries, ...(await ledger.read("teams")).entries].map((e) => e.findingId).sort();
    expect(ids).toEqual(Array.from({ length: 8 }, (_, i) => `finding-${i}`).sort());
    await expect(stat(`${path}.lock`)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("waits for a live holder's lock, then says who holds it", async () => {
    const path = join(dir, "held.json");
    await writeFile(`${path}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), at: "2026-03-01T06:00:00Z", token: "theirs" }));
    const ledger = new FileLedger(path, { timeoutMs: 200 });
    const error = (await ledger.putIntent(intent("r")).then(() => null, (e: unknown) => e)) as Error;
    expect(error.message).toContain(`is locked by process ${process.pid}`);
    expect(error.message).toContain(`delete ${path}.lock`);
    await rm(`${path}.lock`);
    await ledger.putIntent(intent("r"));
  });

  it("breaks a lock left by a process that is gone", async () => {
    const path = join(dir, "stale.json");
    await writeFile(`${path}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), at: "2026-03-01T06:00:00Z", token: "dead" }));
    await new FileLedger(path, { timeoutMs: 200 }).putIntent(intent("r"));
    expect((await new FileLedger(path).read("slack")).intent?.runId).toBe("r");
  });
});

describe("table keys", () => {
  it.each([
    "credential:acrToken:/subscriptions/s/resourcegroups/rg/providers/microsoft.containerregistry/registries/r/tokens/t:password1",
    "role-gap:x:back\\slash#hash?query%percent'quote~tilde",
    "role-gap:x:ünïcödé 名前 🚀",
    "ctl:\u0000\u001f\u007f\u0085",
    "",
  ])("round-trips %j without forbidden characters", (id) => {
    const key = encodeKey(id);
    expect(key).toMatch(/^[A-Za-z0-9.:_~-]*$/);
    expect(key).not.toMatch(/[/\\#?%']/);
    expect(decodeKey(key)).toBe(id);
  });

  it("keeps ids readable", () => {
    expect(encodeKey("credential:application:a1:k1")).toBe("credential:application:a1:k1");
    expect(encodeKey("/subscriptions/s")).toBe("~2Fsubscriptions~2Fs");
  });

  it("keys over-long ids by their hash, which is stable and not decoded", () => {
    const id = `network-blocked:${"/x".repeat(400)}`;
    const key = encodeKey(id);
    expect(key).toMatch(/^~h[0-9a-f]{64}$/);
    expect(encodeKey(id)).toBe(key);
    expect(encodeKey(`${id}y`)).not.toBe(key);
    expect(decodeKey(key)).toBeNull();
    expect(encodeKey("a".repeat(MAX_ENCODED))).toBe("a".repeat(MAX_ENCODED));
  });

  it("rejects malformed keys", () => {
    expect(decodeKey("~zz")).toBeNull();
    expect(decodeKey("a/b")).toBeNull();
  });
});

describe("openLedger", () => {
  it("opens the default file when nothing is configured, or the configured file", async () => {
    const fallback = await openLedger(null, { defaultFile: join(dir, "default.json") });
    expect(fallback).toBeInstanceOf(FileLedger);
    expect(fallback.location).toBe(join(dir, "default.json"));
    const file = await openLedger({ kind: "file", path: join(dir, "set.json"), table: "credwatchledger" }, { defaultFile: "unused" });
    expect(file.location).toBe(join(dir, "set.json"));
  });

  it("opens Table Storage from a connection string without echoing its key", async () => {
    const key = "c2VjcmV0LWtleS1ub3QtdG8tYmUtcHJpbnRlZA==";
    const ledger = await openLedger(
      { kind: "connection-string", connectionString: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${key};EndpointSuffix=core.windows.net`, table: "ledger" },
      { defaultFile: "unused" },
    );
    expect(ledger).toBeInstanceOf(TableLedger);
    expect(ledger.location).toBe("table ledger at https://acct.table.core.windows.net");
    expect(ledger.location).not.toContain(key);
  });

  it("reads UseDevelopmentStorage=true as Azurite's account", () => {
    expect(expandDevelopmentStorage("UseDevelopmentStorage=true")).toContain("TableEndpoint=http://127.0.0.1:10002/devstoreaccount1");
    expect(expandDevelopmentStorage("AccountName=a;AccountKey=b")).toBe("AccountName=a;AccountKey=b");
  });

  it("needs a credential for a table service URL", async () => {
    await expect(openLedger({ kind: "table-endpoint", url: "https://acct.table.core.windows.net", table: "ledger" }, { defaultFile: "x" })).rejects.toThrow(/needs a credential/);
  });
});
