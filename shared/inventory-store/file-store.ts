// The inventory store in files, for the CLI (and anyone without Table Storage):
//   NAME.json              the state: delta links, current generation, overlay, revision
//   NAME.<generation>.ndjson  the base of that generation: one record a line
// The state file is replaced atomically (write-file-atomic.ts); a generation's base file is written
// in full before the state names it, and older ones are deleted after.
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { parseStoredSubject, subjectKey, type StoredSubject } from "../collect/directory-records.js";
import { writeFileAtomic } from "../write-file-atomic.js";
import {
  StoreConflictError,
  StoreCorruptError,
  applyOverlay,
  isStoreState,
  newGeneration,
  type FullInventoryWrite,
  type InventoryChanges,
  type InventoryStore,
  type StoreState,
  type StoredInventory,
} from "./store.js";

const FORMAT = "credwatch-inventory";

interface StateFile {
  format: typeof FORMAT;
  revision: number;
  generation: string;
  state: StoreState;
  /** [key, record | null (removed)] */
  overlay: [string, StoredSubject | null][];
}

interface FileInventory extends StoredInventory {
  revision: number;
  generation: string;
  overlay: Map<string, StoredSubject | null>;
}

export class FileInventoryStore implements InventoryStore {
  readonly location: string;
  private readonly directory: string;
  private readonly stem: string;

  /** `path`: the state file, e.g. .credwatch/credwatch-inventory.json. */
  constructor(private readonly path: string) {
    this.location = `file ${path}`;
    this.directory = dirname(path);
    this.stem = basename(path).replace(/\.json$/i, "");
  }

  async read(): Promise<FileInventory | null> {
    const file = await this.readStateFile();
    if (!file) return null;
    const overlay = new Map(file.overlay);
    const basePath = this.basePath(file.generation);
    return {
      state: file.state,
      revision: file.revision,
      generation: file.generation,
      overlay,
      subjects: () => applyOverlay(readBase(basePath), overlay, subjectKey),
    };
  }

  async beginFull(): Promise<FullInventoryWrite> {
    await mkdir(this.directory, { recursive: true });
    // The revision this generation replaces: another sweep that commits first wins.
    const startedFrom = await this.revision();
    const generation = newGeneration();
    const path = this.basePath(generation);
    const stream = createWriteStream(path, { flags: "wx", encoding: "utf8" });
    let failure: Error | null = null;
    stream.on("error", (error) => (failure ??= error));
    let done = false;
    return {
      add: (subjects) => {
        if (done || failure || subjects.length === 0) return;
        if (!stream.write(subjects.map((s) => `${JSON.stringify(s)}\n`).join(""))) {
          return new Promise<void>((resolve) => {
            stream.once("drain", resolve);
            stream.once("error", () => resolve());
          });
        }
      },
      commit: async (state) => {
        done = true;
        await finish(stream);
        if (failure) throw failure;
        if ((await this.revision()) !== startedFrom) {
          await rm(path, { force: true });
          throw new StoreConflictError(`${this.path} was replaced by another sweep`);
        }
        await this.writeStateFile({ format: FORMAT, revision: Math.max(startedFrom, 0) + 1, generation, state, overlay: [] });
        await this.dropGenerationsExcept(generation);
      },
      abort: async () => {
        done = true;
        stream.destroy();
        await rm(path, { force: true });
      },
    };
  }

  async commitChanges(base: StoredInventory, changes: InventoryChanges, state: StoreState): Promise<void> {
    const read = base as FileInventory;
    const current = await this.readStateFile();
    if (!current || current.revision !== read.revision || current.generation !== read.generation) {
      throw new StoreConflictError(`${this.path} changed since it was read`);
    }
    const overlay = new Map(read.overlay);
    for (const key of changes.remove) overlay.set(key, null);
    for (const subject of changes.put) overlay.set(subjectKey(subject), subject);
    await this.writeStateFile({ format: FORMAT, revision: read.revision + 1, generation: read.generation, state, overlay: [...overlay] });
  }

  /** The state file's revision: 0 when there is none, -1 when it cannot be read. */
  private async revision(): Promise<number> {
    try {
      return (await this.readStateFile())?.revision ?? 0;
    } catch {
      return -1;
    }
  }

  private basePath(generation: string): string {
    return join(this.directory, `${this.stem}.${generation}.ndjson`);
  }

  private async readStateFile(): Promise<StateFile | null> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    let file: Partial<StateFile>;
    try {
      file = JSON.parse(text) as Partial<StateFile>;
    } catch {
      throw new StoreCorruptError(`${this.path} is not JSON`);
    }
    const valid =
      file?.format === FORMAT &&
      typeof file.revision === "number" &&
      typeof file.generation === "string" &&
      /^[a-z0-9]+$/.test(file.generation) &&
      isStoreState(file.state) &&
      Array.isArray(file.overlay) &&
      file.overlay.every((entry) => Array.isArray(entry) && typeof entry[0] === "string" && (entry[1] === null || parseStoredSubject(entry[1]) !== null));
    if (!valid) throw new StoreCorruptError(`${this.path} is not a credwatch inventory (version ${String(file?.state?.version ?? "?")})`);
    return file as StateFile;
  }

  private writeStateFile(file: StateFile): Promise<void> {
    return writeFileAtomic(this.path, JSON.stringify(file));
  }

  private async dropGenerationsExcept(generation: string): Promise<void> {
    const keep = `${this.stem}.${generation}.ndjson`;
    const pattern = new RegExp(`^${this.stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.[a-z0-9]+\\.ndjson$`);
    for (const name of await readdir(this.directory)) {
      if (name !== keep && pattern.test(name)) await rm(join(this.directory, name), { force: true });
    }
  }
}

async function* readBase(path: string): AsyncIterable<StoredSubject> {
  // Chunks are pulled as records are consumed (async iteration applies backpressure), so memory
  // holds one chunk and the records being screened, however large the inventory.
  const input = createReadStream(path, { encoding: "utf8", highWaterMark: 256 * 1024 });
  let rest = "";
  let number = 0;
  const parse = (line: string): StoredSubject | null => {
    number++;
    if (line === "") return null;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new StoreCorruptError(`${path}:${number} is not JSON`);
    }
    const subject = parseStoredSubject(value);
    if (!subject) throw new StoreCorruptError(`${path}:${number} is not an inventory record`);
    return subject;
  };
  try {
    for await (const chunk of input) {
      const lines = (rest + (chunk as string)).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        const subject = parse(line);
        if (subject) yield subject;
      }
    }
    const last = parse(rest);
    if (last) yield last;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new StoreCorruptError(`${path} is missing`);
    throw error;
  } finally {
    input.destroy();
  }
}

function finish(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.destroyed) return reject(new Error("the inventory file was closed"));
    stream.once("error", reject);
    stream.end(() => resolve());
  });
}
