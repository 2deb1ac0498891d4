// `npm run sandbox` as a separate process, the way a Functions host or a second terminal uses it:
// the test reads the NAME=value lines it prints and points credwatch at it through them alone.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
/** How many NAME=value lines the sandbox prints (test/sandbox/server.ts `env`). */
export const SANDBOX_ENV_LINES = 8;

export interface SandboxProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the whole tree has let go of stdout/stderr. */
  exited: Promise<number | null>;
  /** The printed settings, once all lines are out. */
  env(): Promise<Record<string, string>>;
  /** Signals the whole process group (npx → tsx → node), as a terminal's Ctrl-C does. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startSandboxProcess(args: string[]): SandboxProcess {
  // Detached: its own process group, so one signal reaches npx, tsx and node alike.
  const child = spawn("npx", ["tsx", "test/sandbox/main.ts", ...args], { cwd: REPO, detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async env() {
      await until(() => stdout.split("\n").length > SANDBOX_ENV_LINES || !running(), () => `stdout=${stdout} stderr=${stderr}`);
      const lines = stdout.trimEnd().split("\n").filter((line) => line.includes("="));
      if (lines.length < SANDBOX_ENV_LINES) throw new Error(`the sandbox printed no settings: ${stderr}`);
      return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
    },
    async stop(signal = "SIGTERM") {
      if (child.pid && running()) process.kill(-child.pid, signal);
      return exited;
    },
  };
}

export async function until(condition: () => boolean, what: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
