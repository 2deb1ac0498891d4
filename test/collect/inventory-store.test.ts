// The inventory store's contract, on both adapters: a full write becomes visible only when
// committed, changes apply over it in place, a stale writer is refused, an older generation is
// dropped, and what cannot be read says so.
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subjectKey, type StoredSubject } from "../../shared/collect/directory-records.js";
import {
  FileInventoryStore,
  TableInventoryStore,
  StoreConflictError,
  StoreCorruptError,
  type InventoryStore,
  type StoreState,
} from "../../shared/inventory-store/open.js";
import { startAzurite, type Azurite } from "../support/azurite.js";

const state = (at: string, links = true): StoreState => ({
  version: 1,
  tenantId: "6e1c3a56-3b7e-4c8e-9d0a-2f5b8c1d4e70",
  graphEndpoint: "https://graph.microsoft.com",
  deltaLinks: links ? { applications: `https://graph.microsoft.com/v1.0/applications/delta?$deltatoken=${at}`, servicePrincipals: "https://graph.microsoft.com/v1.0/servicePrincipals/delta?$deltatoken=x" } : null,
  lastFullSweepAt: at,
  lastSweepAt: at,
});

const app = (i: number, name = `app-${i}`): StoredSubject => ({
  k: "a",
  id: `a-${i}`,
  appId: `appid-${i}`,
  dn: name,
  pc: [[`k-${i}`, "secret", "2026-01-01T00:00:00Z", "2026-12-01T00:00:00Z"]],
  kc: [],
});
const sp = (i: number): StoredSubject => ({ k: "s", id: `s-${i}`, appId: `appid-${i}`, dn: null, spt: "Application", ae: true, pc: [], kc: [], o: [["u", "User", "u@example.com", null]] });

async function all(store: InventoryStore): Promise<StoredSubject[]> {
  const read = await store.read();
  const out: StoredSubject[] = [];
  for await (const s of read!.subjects()) out.push(s);
  return out;
}

let azurite: Azurite | undefined;
let table = 0;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(async () => {
  await azurite?.stop();
});

const adapters: { name: string; open(): InventoryStore }[] = [
  { name: "file", open: () => new FileInventoryStore(join(mkdtempSync(join(tmpdir(), "credwatch-store-")), "credwatch-inventory.json")) },
  { name: "Table Storage (Azurite)", open: () => TableInventoryStore.fromConnectionString(azurite!.connectionString, `inventory${++table}`) },
];

describe.each(adapters)("the inventory store ($name)", ({ open }) => {
  // Enough records for several chunks, with names outside ASCII.
  const base = [...Array.from({ length: 1_500 }, (_, i) => app(i, i % 100 === 0 ? `Zahlungsdienst ${i} — ünïcødé 🚀` : `app-${i}`)), sp(1), sp(2)];

  it("holds nothing until a full write is committed, then gives back every record in order", async () => {
    const store = open();
    expect(await store.read()).toBeNull();
    const write = await store.beginFull();
    write.add(base.slice(0, 700));
    write.add(base.slice(700));
    expect(await store.read()).toBeNull();
    await write.commit(state("2026-11-25T02:00:00.000Z"));
    const read = await store.read();
    expect(read?.state).toEqual(state("2026-11-25T02:00:00.000Z"));
    expect(await all(store)).toEqual(base);
  });

  it("applies changes over the base: replaced in place, removed, added at the end", async () => {
    const store = open();
    const write = await store.beginFull();
    write.add(base);
    await write.commit(state("2026-11-25T02:00:00.000Z"));

    const before = (await store.read())!;
    const renamed = app(5, "renamed");
    const added = app(9_999);
    await store.commitChanges(before, { put: [renamed, added], remove: [subjectKey(app(7)), subjectKey(sp(1))] }, { ...before.state, lastSweepAt: "2026-11-26T02:00:00.000Z" });
    const expected = base.filter((s) => s.id !== "a-7" && s.id !== "s-1").map((s) => (s.id === "a-5" ? renamed : s));
    expect(await all(store)).toEqual([...expected, added]);
    expect((await store.read())?.state.lastSweepAt).toBe("2026-11-26T02:00:00.000Z");

    // Later changes stack on earlier ones; a stale reader is refused.
    const again = (await store.read())!;
    await store.commitChanges(again, { put: [app(7, "back")], remove: [subjectKey(added)] }, again.state);
    expect((await all(store)).filter((s) => s.id === "a-7" || s.id === "a-9999")).toEqual([app(7, "back")]);
    await expect(store.commitChanges(before, { put: [], remove: [] }, before.state)).rejects.toBeInstanceOf(StoreConflictError);
  });

  it("makes a new full write replace the previous generation and its changes; an aborted one leaves no trace", async () => {
    const store = open();
    const first = await store.beginFull();
    first.add(base);
    await first.commit(state("2026-11-25T02:00:00.000Z"));
    const read = (await store.read())!;
    await store.commitChanges(read, { put: [app(77_777)], remove: [] }, read.state);

    const aborted = await store.beginFull();
    aborted.add([app(1, "never")]);
    await aborted.abort();
    expect((await all(store)).at(-1)).toEqual(app(77_777));

    const second = await store.beginFull();
    second.add([app(1), app(2)]);
    await second.commit(state("2026-12-01T02:00:00.000Z", false));
    expect(await all(store)).toEqual([app(1), app(2)]);
    expect((await store.read())?.state.deltaLinks).toBeNull();
  });
});

describe.each(adapters)("two sweeps writing the inventory at once ($name)", ({ open }) => {
  it("keep the first switch and refuse the second, whose generation is dropped", async () => {
    const store = open();
    const seed = await store.beginFull();
    seed.add([app(0)]);
    await seed.commit(state("2026-11-24T02:00:00.000Z"));

    const slow = await store.beginFull();
    const fast = await store.beginFull();
    slow.add([app(1, "slow")]);
    fast.add([app(1, "fast")]);
    await fast.commit(state("2026-11-25T02:00:00.000Z"));
    await expect(slow.commit(state("2026-11-25T03:00:00.000Z"))).rejects.toBeInstanceOf(StoreConflictError);
    expect(await all(store)).toEqual([app(1, "fast")]);
    expect((await store.read())?.state.lastFullSweepAt).toBe("2026-11-25T02:00:00.000Z");
  });
});

describe("the file store", () => {
  it("keeps one base file, and calls a state file it cannot read corrupt", async () => {
    const directory = mkdtempSync(join(tmpdir(), "credwatch-store-"));
    const store = new FileInventoryStore(join(directory, "credwatch-inventory.json"));
    for (const at of ["2026-11-25T02:00:00.000Z", "2026-11-26T02:00:00.000Z"]) {
      const write = await store.beginFull();
      write.add([app(1)]);
      await write.commit(state(at));
    }
    expect(readdirSync(directory).filter((f) => f.endsWith(".ndjson"))).toHaveLength(1);

    writeFileSync(join(directory, "credwatch-inventory.json"), JSON.stringify({ format: "credwatch-inventory", revision: 1 }));
    await expect(store.read()).rejects.toBeInstanceOf(StoreCorruptError);
  });

  it("calls a base record it cannot read corrupt while streaming", async () => {
    const directory = mkdtempSync(join(tmpdir(), "credwatch-store-"));
    const store = new FileInventoryStore(join(directory, "credwatch-inventory.json"));
    const write = await store.beginFull();
    write.add([app(1)]);
    await write.commit(state("2026-11-25T02:00:00.000Z"));
    const file = readdirSync(directory).find((f) => f.endsWith(".ndjson"))!;
    writeFileSync(join(directory, file), `${JSON.stringify(app(1))}\n{"k":"a","id":3}\n`);
    await expect(all(store)).rejects.toBeInstanceOf(StoreCorruptError);
  });
});
