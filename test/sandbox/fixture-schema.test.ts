import { readFile, writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { fixtureSchema } from "./fixture-schema.js";
import { FixtureError, loadFixture, parseFixture } from "./index.js";
import { fixturePath } from "./helpers.js";

const TENANT = "6e1c3a56-3b7e-4c8e-9d0a-2f5b8c1d4e70";
const SUB = "d1000000-0000-4000-8000-000000000001";
const GUID = "a1000000-0000-4000-8000-000000000001";
const minimal = { now: "2026-03-01T12:00:00Z", tenantId: TENANT };
const withRegistry = (registry: Record<string, unknown>) => ({ ...minimal, subscriptions: [{ subscriptionId: SUB, displayName: "s", registries: [registry] }] });
const withApp = (app: Record<string, unknown>) => ({ ...minimal, applications: [{ id: GUID, appId: GUID, displayName: "a", ...app }] });

async function ajvValidator() {
  const schema = JSON.parse(await readFile(new URL("./sandbox-fixture.schema.json", import.meta.url), "utf8"));
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

describe("fixture schema", () => {
  const cases: [string, unknown, boolean][] = [
    ["minimal fixture", minimal, true],
    ["date-time with offset, lower-case t and z", { ...minimal, now: "2026-03-01t12:00:00+01:00" }, true],
    ["date-time with space separator and fraction", { ...minimal, now: "2026-03-01 12:00:00.123z" }, true],
    ["leap second at 23:59:60Z", { ...minimal, now: "2016-12-31T23:59:60Z" }, true],
    ["leap second at noon", { ...minimal, now: "2016-12-31T12:00:60Z" }, false],
    ["date-time without zone", { ...minimal, now: "2026-03-01T12:00:00" }, false],
    ["impossible date", { ...minimal, now: "2026-02-30T12:00:00Z" }, false],
    ["date only", { ...minimal, now: "2026-03-01" }, false],
    ["missing now", { tenantId: TENANT }, false],
    ["tenant is not a GUID", { ...minimal, tenantId: "contoso" }, false],
    ["unknown top-level property", { ...minimal, tenant: TENANT }, false],
    ["$schema is allowed", { ...minimal, $schema: "x" }, true],
    ["sku not in enum", withRegistry({ name: "r", resourceGroup: "g", sku: "Gold" }), false],
    ["ip rule action must be Allow", withRegistry({ name: "r", resourceGroup: "g", networkRuleSet: { ipRules: [{ action: "Deny", value: "1.1.1.1" }] } }), false],
    ["ip rule without action", withRegistry({ name: "r", resourceGroup: "g", networkRuleSet: { ipRules: [{ value: "1.1.1.1" }] } }), true],
    ["unknown registry property", withRegistry({ name: "r", resourceGroup: "g", admin: true }), false],
    ["tag values are strings", withRegistry({ name: "r", resourceGroup: "g", tags: { team: 1 } }), false],
    ["token password expiry null", withRegistry({ name: "r", resourceGroup: "g", tokens: [{ name: "t", passwords: [{ name: "password1", expiry: null }] }] }), true],
    ["token password name", withRegistry({ name: "r", resourceGroup: "g", tokens: [{ name: "t", passwords: [{ name: "password3" }] }] }), false],
    ["owner mail null", withApp({ owners: [{ id: GUID, displayName: "o", mail: null }] }), true],
    ["owner without displayName", withApp({ owners: [{ id: GUID }] }), false],
    ["credential displayName null", withApp({ passwordCredentials: [{ keyId: GUID, displayName: null, endDateTime: "2027-01-01T00:00:00Z" }] }), true],
    ["credential without end", withApp({ passwordCredentials: [{ keyId: GUID }] }), false],
    ["fault status must be an integer", { ...minimal, faults: [{ path: "x", status: 429.5 }] }, false],
    ["fault retryAfter may be fractional", { ...minimal, faults: [{ path: "x", status: 429, retryAfter: 0.5 }] }, true],
    ["fault without path", { ...minimal, faults: [{ status: 500 }] }, false],
    ["fixture is an array", [minimal], false],
  ];

  it("accepts and rejects exactly what the JSON Schema does (ajv 2020 + formats)", async () => {
    const validate = await ajvValidator();
    const example = JSON.parse(await readFile(fixturePath("every-resource-type.json"), "utf8"));
    for (const [name, json, expected] of [...cases, ["every-resource-type.json", example, true] as [string, unknown, boolean]]) {
      const ajvVerdict = validate(structuredClone(json));
      const zodVerdict = fixtureSchema.safeParse(json).success;
      expect({ name, ajv: ajvVerdict, zod: zodVerdict }).toEqual({ name, ajv: expected, zod: expected });
    }
  });

  it("applies the JSON Schema's defaults", () => {
    const fixture = parseFixture(
      {
        ...withRegistry({ name: "r", resourceGroup: "g", networkRuleSet: {}, privateEndpointConnections: [{ name: "pe" }], tokens: [{ name: "t" }] }),
        servicePrincipals: [{ id: GUID, appId: GUID, displayName: "sp", keyCredentials: [{ keyId: GUID, endDateTime: "2027-01-01T00:00:00Z" }] }],
        faults: [{ path: "^/x$" }],
      },
      "defaults.json",
    );
    const registry = fixture.subscriptions?.[0]?.registries?.[0];
    expect(registry).toMatchObject({
      location: "westeurope",
      sku: "Standard",
      adminUserEnabled: false,
      publicNetworkAccess: "Enabled",
      roleAssignmentMode: "LegacyRegistryPermissions",
      networkRuleSet: { defaultAction: "Allow" },
      privateEndpointConnections: [{ name: "pe", status: "Approved" }],
      tokens: [{ name: "t", status: "enabled", scopeMapName: "_repositories_pull" }],
    });
    expect(fixture.subscriptions?.[0]).toMatchObject({ state: "Enabled", access: "read" });
    expect(fixture.servicePrincipals?.[0]).toMatchObject({ servicePrincipalType: "Application", accountEnabled: true });
    expect(fixture.servicePrincipals?.[0]?.keyCredentials?.[0]).toMatchObject({ type: "AsymmetricX509Cert", usage: "Verify" });
    expect(fixture.faults?.[0]?.method).toBe("GET");
  });

  it("names the file and the JSON path of every problem", () => {
    const bad = { ...minimal, subscriptions: [{ subscriptionId: SUB, displayName: "s", registries: [{ name: "a", resourceGroup: "g" }, { name: "b", resourceGroup: "g", sku: "Gold", extra: 1 }] }], applications: [{ id: GUID, displayName: 5 }] };
    const error = (() => {
      try {
        parseFixture(bad, "demo.json");
      } catch (e) {
        return e;
      }
    })() as FixtureError;
    expect(error).toBeInstanceOf(FixtureError);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        "demo.json: $.subscriptions[0].registries[1].sku: expected one of Basic|Standard|Premium",
        "demo.json: $.subscriptions[0].registries[1].extra: unknown property (the format is closed)",
        "demo.json: $.applications[0].appId: required",
        "demo.json: $.applications[0].displayName: expected string, got number",
      ]),
    );
    expect(error.message.split("\n")).toEqual(error.problems);
  });

  it("checks what the JSON Schema cannot: unique ids, role names, references, fault patterns", () => {
    const sub = (id: string, extra: Record<string, unknown>) => ({ subscriptionId: id, displayName: id, ...extra });
    const other = "d1000000-0000-4000-8000-000000000002";
    const fixture = {
      ...minimal,
      applications: [
        {
          id: GUID,
          appId: GUID,
          displayName: "a",
          passwordCredentials: [{ keyId: GUID, endDateTime: "2027-01-01T00:00:00Z" }],
          keyCredentials: [{ keyId: GUID, endDateTime: "2027-01-01T00:00:00Z" }],
        },
        { id: GUID, appId: "a2000000-0000-4000-8000-000000000009", displayName: "b" },
      ],
      subscriptions: [
        sub(SUB, {
          registries: [{ name: "acr1", resourceGroup: "g", tokens: [{ name: "t", scopeMapName: "missing-map" }, { name: "T" }] }],
          roleAssignments: [
            { scope: `/subscriptions/${SUB}`, principalId: GUID, role: "AcrPuller" },
            { scope: `/subscriptions/${other}/resourceGroups/g`, principalId: GUID, role: "Container Registry Repository Reader" },
            { scope: "/", principalId: GUID, role: "acdd72a7-3385-48ef-bd42-f606fba81ae7" },
          ],
        }),
        sub(other, { registries: [{ name: "ACR1", resourceGroup: "g" }] }),
      ],
      faults: [{ path: "([unclosed" }],
    };
    expect(() => parseFixture(fixture, "refs.json")).toThrow(FixtureError);
    const problems = (() => {
      try {
        parseFixture(fixture, "refs.json");
        return [];
      } catch (e) {
        return (e as FixtureError).problems;
      }
    })();
    expect(problems).toHaveLength(8);
    expect(problems.join("\n")).toContain("refs.json: $.applications[0].keyCredentials[0].keyId: duplicate of $.applications[0].passwordCredentials[0].keyId");
    expect(problems.join("\n")).toContain("refs.json: $.applications[1].id: duplicate of $.applications[0].id");
    expect(problems.join("\n")).toContain("refs.json: $.subscriptions[1].registries[0].name: duplicate of $.subscriptions[0].registries[0].name (ACR1); registry names are global");
    expect(problems.join("\n")).toContain("refs.json: $.subscriptions[0].registries[0].tokens[1].name: duplicate of $.subscriptions[0].registries[0].tokens[0].name (T)");
    expect(problems.join("\n")).toContain("refs.json: $.subscriptions[0].registries[0].tokens[0].scopeMapName: no scope map named missing-map in this registry");
    expect(problems.join("\n")).toContain('refs.json: $.subscriptions[0].roleAssignments[0].role: "AcrPuller" is neither a role-definition GUID nor a known built-in role');
    expect(problems.join("\n")).toContain(`refs.json: $.subscriptions[0].roleAssignments[1].scope: /subscriptions/${other}/resourceGroups/g is not "/", a management group, or inside /subscriptions/${SUB}`);
    expect(problems.join("\n")).toContain("refs.json: $.faults[0].path: not a regular expression");
  });

  it("loadFixture reports unreadable files and invalid JSON with the file name", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fixture-test-"));
    try {
      const missing = join(dir, "missing.json");
      await expect(loadFixture(missing)).rejects.toThrow(new RegExp(`^${missing}: cannot read the file: ENOENT`));
      const broken = join(dir, "broken.json");
      await writeFile(broken, '{"now": ');
      await expect(loadFixture(broken)).rejects.toThrow(new RegExp(`^${broken}: invalid JSON: `));
      const wrong = join(dir, "wrong.json");
      await writeFile(wrong, JSON.stringify({ ...minimal, now: "yesterday" }));
      await expect(loadFixture(wrong)).rejects.toThrow(`${wrong}: $.now: expected an RFC 3339 date-time`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
