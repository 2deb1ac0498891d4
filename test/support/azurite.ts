// Azurite's Table service for tests: started by the test file itself (beforeAll), in memory, on a
// free loopback port, stopped afterwards. Nothing to start by hand, nothing left on disk.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../node_modules/azurite/dist/src/table/main.js", import.meta.url));
/** Azurite's well-known development account and key (public; documented by Microsoft). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface Azurite {
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts azurite-table; retries on another port if the one picked was taken in the meantime. */
export async function startAzurite(attempts = 3): Promise<Azurite> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await startOn(await freePort());
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

async function startOn(port: number): Promise<Azurite> {
  // --inMemoryPersistence instead of --location (they conflict); cwd in tmp in case anything is written.
  const child = spawn(
    process.execPath,
    [MAIN, "--tableHost", "127.0.0.1", "--tablePort", String(port), "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose", "--silent"],
    { cwd: tmpdir(), stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`azurite-table did not start on port ${port}: ${output}`)), 20_000);
      const check = () => {
        if (/successfully (started|listening)/i.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", check);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`azurite-table exited (${code}) before listening on port ${port}: ${output}`));
      });
    });
  } catch (error) {
    child.kill();
    await exited;
    throw error;
  }
  return {
    port,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
      `TableEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
