import { describe, expect, it } from "vitest";
import { renderJson } from "../../shared/report/json.js";
import type { Report } from "../../shared/model.js";
import { aFinding, anError, aReport, everyKind } from "./builders.js";

import { validateReport as validate } from "../support/json-schema.js";
import schema from "../report.schema.json" with { type: "json" };

function valid(text: string): unknown {
  const document = JSON.parse(text);
  expect(validate(document), JSON.stringify(validate.errors, null, 2)).toBe(true);
  return document;
}

describe("renderJson", () => {
  it.each<[string, Report]>([
    ["every kind of finding", aReport({ findings: everyKind() })],
    ["no findings", aReport()],
    ["an incomplete sweep", aReport({ complete: false, errors: [anError(), anError({ source: "graph", scope: "servicePrincipals", status: null })] })],
  ])("matches report.schema.json for %s", (_, report) => {
    valid(renderJson(report));
  });

  it("is checked by a validator that bites", () => {
    const broken = aFinding({ kind: "role-gap", subject: { type: "managedCluster", id: "c", name: "c" }, credential: undefined });
    expect(validate(JSON.parse(renderJson(aReport({ findings: [broken] }))))).toBe(false);
  });

  it("round-trips the report it was given", () => {
    const report = aReport({ findings: everyKind(), complete: false, errors: [anError()] });
    expect(JSON.parse(renderJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it("writes keys in the schema's order, whatever order they came in", () => {
    const shuffled = JSON.parse(JSON.stringify(aReport({ findings: [aFinding()], errors: [anError()] })), (_, value) =>
      value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
    ) as Report;
    const document = valid(renderJson(shuffled)) as Record<string, any>;
    expect(Object.keys(document)).toEqual(["schemaVersion", "sweptAt", "tenantId", "complete", "coverage", "findings", "errors"]);
    expect(Object.keys(document.coverage)).toEqual(Object.keys(schema.properties.coverage.properties));
    expect(Object.keys(document.findings[0])).toEqual([
      "id", "kind", "severity", "subject", "credential", "impact", "owners", "message", "fix",
    ]);
    expect(Object.keys(document.findings[0].subject)).toEqual(["type", "id", "name", "appId"]);
    expect(Object.keys(document.findings[0].credential)).toEqual(Object.keys(schema.$defs.finding.properties.credential.properties));
    expect(Object.keys(document.errors[0])).toEqual(["source", "scope", "status", "message"]);
    expect(renderJson(shuffled)).toBe(renderJson(aReport({ findings: [aFinding()], errors: [anError()] })));
  });

  it("writes owners only when present, and drops fields outside the contract", () => {
    const withExtra = { ...aFinding({ owners: undefined }), internal: "not for the report" } as ReturnType<typeof aFinding>;
    const document = valid(renderJson(aReport({ findings: [withExtra] }))) as Record<string, any>;
    expect(document.findings[0]).not.toHaveProperty("owners");
    expect(document.findings[0]).not.toHaveProperty("internal");
    expect(document.findings[0]).not.toHaveProperty("registry");
  });

  it("is pretty-printed and ends with a newline", () => {
    const text = renderJson(aReport());
    expect(text).toMatch(/^\{\n {2}"schemaVersion": 1,\n/);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("keeps hostile strings intact but escaped by JSON", () => {
    const text = renderJson(aReport({ findings: everyKind() }));
    expect(text).not.toContain("\x1b");
    expect(text).toContain("\\u001b[2J");
  });
});
