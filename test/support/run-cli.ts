// Runs the CLI as a user does (`node bin/credwatch.mjs ...`) in a child process.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AZURE_|IDENTITY_|MSI_|CREDWATCH_)/.test(k)));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["bin/credwatch.mjs", ...args],
      { cwd: ROOT, env: { ...baseEnv, NO_COLOR: "1", ...env }, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
