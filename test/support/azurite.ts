// Azurite's Table service — and, when asked, its Queue service — for tests: started by the test file
// itself (beforeAll), in memory, on free loopback ports, stopped afterwards. Nothing to start by
// hand, nothing left on disk.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

const MAIN = {
  table: fileURLToPath(new URL("../../node_modules/azurite/dist/src/table/main.js", import.meta.url)),
  queue: fileURLToPath(new URL("../../node_modules/azurite/dist/src/queue/main.js", import.meta.url)),
};
type Service = keyof typeof MAIN;
/** Azurite's well-known development account and key (public; documented by Microsoft). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface Azurite {
  /** TableEndpoint (and QueueEndpoint when the queue service runs) of the development account. */
  connectionString: string;
  /** The table service's port. */
  port: number;
  /** The queue service's port, when it runs. */
  queuePort?: number;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Also start the Queue service (fan-out sweeps). */
  queue?: boolean;
}

/** Starts azurite-table (and azurite-queue); retries on another port if the one picked was taken in the meantime. */
export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const settled = await Promise.allSettled((["table", ...(options.queue ? ["queue" as const] : [])] as Service[]).map((service) => startService(service)));
  const services = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await Promise.all(services.map((s) => s.stop()));
    throw failed.reason;
  }
  const [table, queue] = services as [Started, Started | undefined];
  return {
    port: table.port,
    ...(queue ? { queuePort: queue.port } : {}),
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
      `TableEndpoint=http://127.0.0.1:${table.port}/${AZURITE_ACCOUNT};` +
      (queue ? `QueueEndpoint=http://127.0.0.1:${queue.port}/${AZURITE_ACCOUNT};` : ""),
    async stop() {
      await Promise.all(services.map((s) => s.stop()));
    },
  };
}

interface Started {
  port: number;
  stop(): Promise<void>;
}

async function startService(service: Service, attempts = 3): Promise<Started> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await startOn(service, await freePort());
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

async function startOn(service: Service, port: number): Promise<Started> {
  // --inMemoryPersistence instead of --location (they conflict); cwd in tmp in case anything is written.
  // --skipApiVersionCheck: the SDKs are newer than some Azurite releases (the queue service refuses them otherwise).
  const child = spawn(
    process.execPath,
    [MAIN[service], `--${service}Host`, "127.0.0.1", `--${service}Port`, String(port), "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose", "--silent"],
    { cwd: tmpdir(), stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`azurite-${service} did not start on port ${port}: ${output}`)), 20_000);
      const check = () => {
        if (/successfully (started|listening|listens)/i.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", check);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`azurite-${service} exited (${code}) before listening on port ${port}: ${output}`));
      });
    });
  } catch (error) {
    child.kill();
    await exited;
    throw error;
  }
  return {
    port,
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
