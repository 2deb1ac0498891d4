// Owners are fetched only for subjects with findings, twenty to a Graph $batch, never one request
// per subject.
import { afterAll, describe, expect, it } from "vitest";
import { parseFixture, startSandbox, type Sandbox } from "../sandbox/index.js";
import { sweepSandbox } from "../support/sandbox-sweep.js";
import { NOW, application, tenant } from "../support/tenants.js";

describe("owner look-ups", () => {
  let sandbox: Sandbox;
  afterAll(() => sandbox?.close());

  it("asks for the owners of the 45 subjects with findings in three $batch requests, and of no healthy one", async () => {
    const expiring = Array.from({ length: 45 }, (_, i) => application({ name: `expiring-${i}`, secretEndsInDays: 10, owners: [`owner${i}@example.com`] }));
    const healthy = Array.from({ length: 30 }, (_, i) => application({ name: `healthy-${i}`, secretEndsInDays: 200, owners: [`h${i}@example.com`] }));
    sandbox = await startSandbox({ fixture: parseFixture(tenant({ applications: [...expiring, ...healthy] }), "owners scenario") });
    const report = await sweepSandbox(sandbox, { now: new Date(NOW) });

    expect(report.complete).toBe(true);
    expect(report.findings).toHaveLength(45);
    for (const finding of report.findings) {
      const index = finding.subject.name.replace("expiring-", "");
      expect(finding.owners).toEqual([`owner${index}@example.com`]);
    }
    const batches = sandbox.requests.filter((r) => r.method === "POST" && r.path === "/v1.0/$batch");
    expect(batches).toHaveLength(3);
    const ownerReads = sandbox.requests.filter((r) => /\/owners$/.test(r.path));
    expect(ownerReads).toHaveLength(45);
    expect(ownerReads.every((r) => r.batchItemId !== undefined)).toBe(true);
  });
});
