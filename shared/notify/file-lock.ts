// A lock file beside a file, so that two processes (two CLI runs) do not interleave their
// read-modify-write cycles. Held for milliseconds (one read and one atomic write), so a lock older
// than `staleMs`, or one whose process is gone from this host, was left by a crash and is broken.
// Real time on purpose: staleness is about wall-clock processes, not the sweep's injected clock.
import { readFile, rm, stat, writeFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";

export interface FileLockOptions {
  /** Give up waiting after this long. */
  timeoutMs?: number;
  /** A lock older than this is presumed abandoned. */
  staleMs?: number;
}

interface LockInfo {
  pid: number;
  host: string;
  at: string;
  token: string;
}

export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lock = `${path}.lock`;
  const token = await acquire(lock, options.timeoutMs ?? 10_000, options.staleMs ?? 30_000);
  try {
    return await fn();
  } finally {
    await release(lock, token);
  }
}

async function acquire(lock: string, timeoutMs: number, staleMs: number): Promise<string> {
  const info: LockInfo = { pid: process.pid, host: hostname(), at: new Date().toISOString(), token: randomBytes(8).toString("hex") };
  const deadline = Date.now() + timeoutMs;
  await mkdir(dirname(lock), { recursive: true });
  for (;;) {
    try {
      await writeFile(lock, JSON.stringify(info), { flag: "wx" });
      return info.token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readHolder(lock);
    if (holder === "gone") continue;
    if (await isStale(lock, holder, staleMs)) {
      await rm(lock, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? `process ${holder.pid} on ${holder.host} since ${holder.at}` : "another process";
      throw new Error(`${lock.slice(0, -".lock".length)} is locked by ${who}; if no credwatch run is active, delete ${lock}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 15 + Math.random() * 35));
  }
}

/** The lock's holder; null if the file is unreadable (being written); "gone" if it vanished. */
async function readHolder(lock: string): Promise<LockInfo | null | "gone"> {
  try {
    return JSON.parse(await readFile(lock, "utf8")) as LockInfo;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "gone" : null;
  }
}

async function isStale(lock: string, holder: LockInfo | null, staleMs: number): Promise<boolean> {
  if (holder && holder.host === hostname() && holder.pid !== process.pid && !isAlive(holder.pid)) return true;
  try {
    return Date.now() - (await stat(lock)).mtimeMs > staleMs;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function release(lock: string, token: string): Promise<void> {
  const holder = await readHolder(lock);
  // Only our own: a lock broken as stale may since belong to someone else.
  if (holder && holder !== "gone" && holder.token === token) await rm(lock, { force: true });
}
