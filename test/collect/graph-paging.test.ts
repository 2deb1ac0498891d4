// A tenant larger than one Graph page: every application is read, 999 at a time, by following the
// absolute @odata.nextLink, asking only for the fields credwatch needs.
import { afterAll, describe, expect, it } from "vitest";
import { parseFixture, startSandbox, type Sandbox } from "../sandbox/index.js";
import { sweepSandbox } from "../support/sandbox-sweep.js";
import { NOW, application, tenant } from "../support/tenants.js";

const APPS = 2_100;

describe("a tenant of 2,100 applications", () => {
  let sandbox: Sandbox;
  afterAll(() => sandbox?.close());

  it("is read in three pages of at most 999 with $select, and every credential is examined", async () => {
    const applications = Array.from({ length: APPS }, (_, i) => application({ name: `app-${i}`, secretEndsInDays: i === 2_050 ? 5 : 400 }));
    sandbox = await startSandbox({ fixture: parseFixture(tenant({ applications }), "paging scenario") });
    const report = await sweepSandbox(sandbox, { now: new Date(NOW) });

    expect(report.complete).toBe(true);
    expect(report.coverage.applications).toBe(APPS);
    expect(report.coverage.credentials).toBe(APPS);
    // The one expiring secret sits on the third page: found only if paging went all the way.
    expect(report.findings.map((f) => f.subject.name)).toEqual(["app-2050"]);

    const pages = sandbox.requests.filter((r) => r.service === "graph" && r.path === "/v1.0/applications");
    expect(pages).toHaveLength(3);
    const first = pages[0]!.query;
    expect(first["$top"]).toBe("999");
    expect(first["$select"]?.split(",").sort()).toEqual(["appId", "displayName", "id", "keyCredentials", "passwordCredentials"]);
  });
});
