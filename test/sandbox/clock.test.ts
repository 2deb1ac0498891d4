import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { TIMESTAMP_PROPERTIES } from "./clock.js";
import { everyResourceType, PROD_ACR, wireClient } from "./helpers.js";
import { rebaseFixture, startSandbox, type Fixture, type Sandbox } from "./index.js";

/** Every property name the JSON Schema types as format: date-time. */
function dateTimeProperties(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((item) => dateTimeProperties(item, found));
  else if (schema && typeof schema === "object") {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "properties" && value && typeof value === "object") {
        for (const [name, property] of Object.entries(value)) if ((property as { format?: string }).format === "date-time") found.add(name);
      }
      dateTimeProperties(value, found);
    }
  }
  return found;
}

/** [json path, value] of every timestamp in a fixture. */
function timestamps(fixture: Fixture): [string, string][] {
  const out: [string, string][] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (TIMESTAMP_PROPERTIES.has(key) && typeof item === "string") out.push([`${path}.${key}`, item]);
        else if (key !== "tags") walk(item, `${path}.${key}`);
      }
    }
  };
  walk(fixture, "$");
  return out;
}

describe("rebaseFixture", () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it("knows every date-time property of the fixture format", async () => {
    const schema = JSON.parse(await readFile(new URL("./sandbox-fixture.schema.json", import.meta.url), "utf8"));
    expect([...TIMESTAMP_PROPERTIES].sort()).toEqual([...dateTimeProperties(schema)].sort());
  });

  it("shifts every timestamp by newNow - now and leaves everything else alone", async () => {
    const fixture = await everyResourceType();
    fixture.subscriptions![0]!.registries![1]!.tags = { expiry: "never" };
    const newNow = new Date("2030-06-15T08:30:00.000Z");
    const shifted = rebaseFixture(fixture, newNow);
    const offset = newNow.getTime() - Date.parse(fixture.now);

    const before = timestamps(fixture);
    const after = timestamps(shifted);
    // The scenario has at least one timestamp of every kind.
    expect(new Set(before.map(([path]) => path.split(".").pop()))).toEqual(TIMESTAMP_PROPERTIES);
    expect(after.map(([path]) => path)).toEqual(before.map(([path]) => path));
    after.forEach(([path, value], i) => expect([path, Date.parse(value)]).toEqual([path, Date.parse(before[i]![1]) + offset]));
    expect(shifted.now).toBe("2030-06-15T08:30:00.000Z");
    // Null expiries stay null, tags stay text, and the input is not modified.
    expect(shifted.subscriptions?.[0]?.registries?.[0]?.tokens?.[1]?.passwords?.[0]?.expiry).toBeNull();
    expect(shifted.subscriptions?.[0]?.registries?.[1]?.tags).toEqual({ expiry: "never" });
    expect(fixture.now).toBe("2026-03-01T12:00:00Z");
    const strip = (f: Fixture) => JSON.stringify(f, (key, value) => (TIMESTAMP_PROPERTIES.has(key) ? undefined : value));
    expect(strip(shifted)).toEqual(strip(fixture));
  });

  it("startSandbox({ rebaseClock }) serves the fixture moved to the start time, derived dates included", async () => {
    const fixture = await everyResourceType();
    const started = Date.now();
    sandbox = await startSandbox({ fixture, rebaseClock: true });
    const offset = Date.parse(sandbox.fixture.now) - Date.parse(fixture.now);
    expect(Math.abs(Date.parse(sandbox.fixture.now) - started)).toBeLessThan(5_000);

    const client = await wireClient(sandbox);
    try {
      const tokens = await client.get(`${PROD_ACR}/tokens?api-version=2025-11-01`);
      expect(Date.parse(tokens.body.value[0].properties.credentials.passwords[0].expiry)).toBe(Date.parse("2026-03-04T12:00:00Z") + offset);
      const registry = await client.get(`${PROD_ACR}?api-version=2025-11-01`);
      expect(Date.parse(registry.body.properties.creationDate)).toBe(Date.parse(sandbox.fixture.now) - 365 * 86_400_000);
    } finally {
      await client.close();
    }
  });
});
