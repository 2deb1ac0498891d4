// The deployment's own files: azure.yaml, host.json, .funcignore, the Flex Consumption app, and a
// source noted above every resource.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, bicepFile, bicepFiles, block, readRepoFile, resources } from "./bicep.js";
import { MAX_SHARD_ATTEMPTS } from "../../shared/fanout/message.js";

describe("azure.yaml", () => {
  const yaml = readRepoFile("azure.yaml");

  it("deploys this directory as a JavaScript Functions service azd finds by its tag", () => {
    const services = /^services:\n((?: {2}.*\n?|\n)*)/m.exec(yaml)?.[1] ?? "";
    const names = [...services.matchAll(/^ {2}([\w-]+):$/gm)].map((m) => m[1]);
    expect(names).toHaveLength(1);
    const service = services.split(/^ {2}[\w-]+:$/m)[1]!;
    expect(service).toMatch(/^ {4}project: \.$/m);
    expect(service).toMatch(/^ {4}language: js$/m);
    expect(service).toMatch(/^ {4}host: function$/m);
    // infra/ tags the app with the same name (azd-service-name).
    expect(bicepFile("infra/main.bicep").code).toContain(`var serviceName = '${names[0]}'`);
    expect(bicepFile("infra/modules/function-app.bicep").code).toContain("tags: union(tags, { 'azd-service-name': serviceName })");
  });
});

describe("host.json", () => {
  const host = JSON.parse(readRepoFile("host.json")) as {
    version: string;
    functionTimeout: string;
    logging: { logLevel: Record<string, string>; applicationInsights: { samplingSettings: { isEnabled: boolean; excludedTypes: string } } };
    extensionBundle: { id: string; version: string };
    extensions?: { queues?: { maxDequeueCount?: number; messageEncoding?: string; batchSize?: number } };
  };

  it("is version 2.0 with the v4 extension bundle", () => {
    expect(host.version).toBe("2.0");
    expect(host.extensionBundle).toEqual({ id: "Microsoft.Azure.Functions.ExtensionBundle", version: "[4.*, 5.0.0)" });
  });

  it("bounds a function's run (a sweep of a large tenant takes minutes, not hours)", () => {
    const match = /^(\d{2}):(\d{2}):(\d{2})$/.exec(host.functionTimeout);
    expect(match).not.toBeNull();
    const minutes = Number(match![1]) * 60 + Number(match![2]);
    expect(minutes).toBeGreaterThanOrEqual(10);
    expect(minutes).toBeLessThanOrEqual(60);
  });

  it("delivers a fan-out shard once more than credwatch tries it, so that a shard that keeps failing ends as an error of the report", () => {
    const queues = host.extensions?.queues;
    expect(queues?.maxDequeueCount).toBeGreaterThan(MAX_SHARD_ATTEMPTS);
    // The shard messages are sent Base64-encoded (shared/fanout/message.ts).
    expect(queues?.messageEncoding ?? "base64").toBe("base64");
  });

  it("never runs the timer on start-up", () => {
    expect(JSON.stringify(host)).not.toMatch(/runOnStartup/i);
    const functionsDir = join(ROOT, "functions");
    const sources = existsSync(functionsDir) ? readdirSync(functionsDir).filter((f) => f.endsWith(".ts")) : [];
    for (const file of sources) {
      expect(readFileSync(join(functionsDir, file), "utf8"), `functions/${file}`).not.toMatch(/runOnStartup:\s*true/);
    }
  });

  it("logs credwatch at Information, platform and SDK noise at Warning, and never samples away requests", () => {
    const levels = host.logging.logLevel;
    expect(levels.default).toBe("Warning");
    expect(levels.Function).toBe("Information");
    expect(levels["Azure.Core"]).toBe("Warning");
    expect(host.logging.applicationInsights.samplingSettings.excludedTypes.split(";")).toContain("Request");
  });
});

describe("the Functions app (infra/modules/function-app.bicep)", () => {
  const file = bicepFile("infra/modules/function-app.bicep");
  const [plan] = resources(file).filter((r) => r.typeVersion.startsWith("Microsoft.Web/serverfarms@"));
  const [site] = resources(file).filter((r) => r.typeVersion.startsWith("Microsoft.Web/sites@"));

  it("is on a Flex Consumption plan", () => {
    expect(plan?.body).toMatch(/name: 'FC1'/);
    expect(plan?.body).toMatch(/tier: 'FlexConsumption'/);
    expect(plan?.body).toMatch(/reserved: true/);
  });

  it("runs Node.js 22 from a deployment container it reads with its identity", () => {
    const config = block(site!.body, /^\s*functionAppConfig: \{/);
    expect(block(config, /^\s*runtime: \{/)).toMatch(/name: 'node'\n\s*version: '22'/);
    expect(config).toMatch(/type: 'blobContainer'/);
    expect(block(config, /^\s*authentication: \{/)).toMatch(/type: 'UserAssignedIdentity'\n\s*userAssignedIdentityResourceId: identityId/);
    expect(config).toMatch(/instanceMemoryMB: instanceMemoryMB/);
    expect(config).toMatch(/maximumInstanceCount: maximumInstanceCount/);
  });

  it("sets none of the app settings Flex Consumption replaced with functionAppConfig", () => {
    const main = bicepFile("infra/main.bicep").code;
    for (const name of ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_NODE_DEFAULT_VERSION", "WEBSITE_CONTENTSHARE"]) {
      expect(main + file.code).not.toContain(name);
    }
  });
});

describe("every resource in infra/", () => {
  it("notes the source of its type and API version in a comment above it", () => {
    const all = bicepFiles().flatMap((f) => resources(f).map((r) => ({ path: f.path, r })));
    expect(all.length).toBeGreaterThanOrEqual(15);
    for (const { path, r } of all) {
      expect(r.comment, `${path}: ${r.symbol}`).toContain(r.typeVersion);
      expect(r.comment, `${path}: ${r.symbol}`).toMatch(/azure-rest-api-specs|msgraph-bicep-types|same spec|as above/);
    }
  });
});

describe(".funcignore", () => {
  const patterns = readRepoFile(".funcignore")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));

  /** gitignore-style, for the top-level names checked here: `dir/`, `name`, `*.ext`. */
  const ignored = (name: string) =>
    patterns.some((p) => {
      const bare = p.replace(/\/$/, "");
      if (bare.includes("*")) return new RegExp(`^${bare.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`).test(name);
      return bare === name;
    });

  it("leaves out node_modules (built remotely), tests, infra and CI", () => {
    for (const name of ["node_modules", "test", "infra", ".ci", "docs", "local.settings.json", "dist"]) {
      expect(ignored(name), name).toBe(true);
    }
  });

  it("keeps what the remote build and the host need", () => {
    const pkg = JSON.parse(readRepoFile("package.json")) as { main?: string; scripts?: Record<string, string> };
    const tsconfigs = readdirSync(ROOT).filter((f) => /^tsconfig.*\.json$/.test(f));
    for (const name of ["package.json", "package-lock.json", "host.json", "functions", "shared", ...tsconfigs]) {
      expect(ignored(name), name).toBe(false);
    }
    // The package runs compiled code: the build script makes it where package.json's main points.
    if (pkg.main?.startsWith("dist/")) expect(pkg.scripts?.build, "package.json scripts.build").toBeTruthy();
    // npm's install and build steps must not need a file the package leaves out.
    for (const script of ["preinstall", "install", "postinstall", "prepare", "build"]) {
      const command = pkg.scripts?.[script];
      if (!command) continue;
      for (const word of command.split(/[\s=]+/)) {
        const top = word.replace(/^\.\//, "").split("/")[0]!;
        if (top && existsSync(join(ROOT, top))) expect(ignored(top), `scripts.${script} uses ${top}`).toBe(false);
      }
    }
  });
});

describe(".ci/run", () => {
  it("runs the tests under the machine's Node.js and again under Node.js 22", () => {
    const ci = readRepoFile(".ci/run");
    expect(ci).toMatch(/^set -euo pipefail$/m);
    expect(ci.match(/^npm test$/gm)).toHaveLength(2);
    expect(ci).toMatch(/v22\.\*/);
  });
});
