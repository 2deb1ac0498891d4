// Reading the Bicep in infra/ as text: no Bicep compiler runs here, so the infrastructure tests parse
// the few shapes they check — one declaration per line, objects with one key per line — and fail
// loudly when a shape is not found rather than passing on nothing.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const INFRA = join(ROOT, "infra");

export function readRepoFile(path: string): string {
  return readFileSync(join(ROOT, path), "utf8");
}

export interface BicepFile {
  /** Path from the repository root, e.g. infra/modules/storage.bicep. */
  path: string;
  text: string;
  /** The text with whole-line comments blanked (line numbers kept): what the file does, not says. */
  code: string;
}

export function bicepFiles(dir = INFRA): BicepFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return bicepFiles(path);
    if (!entry.name.endsWith(".bicep")) return [];
    const text = readFileSync(path, "utf8");
    return [{ path: relative(ROOT, path), text, code: text.replace(/^[ \t]*\/\/.*$/gm, "") }];
  });
}

export function bicepFile(path: string): BicepFile {
  const file = bicepFiles().find((f) => f.path === path);
  if (!file) throw new Error(`${path} not found`);
  return file;
}

/**
 * The lines of the block that starts on the first line matching `start` and ends where its braces
 * (or brackets) close. Braces inside strings are not expected in the blocks read here.
 */
export function block(text: string, start: RegExp): string {
  const lines = text.split("\n");
  const first = lines.findIndex((line) => start.test(line));
  if (first < 0) throw new Error(`no line matches ${start}`);
  let depth = 0;
  for (let i = first; i < lines.length; i++) {
    for (const ch of lines[i]!) {
      if (ch === "{" || ch === "[") depth++;
      if (ch === "}" || ch === "]") depth--;
    }
    if (depth === 0) return lines.slice(first, i + 1).join("\n");
  }
  throw new Error(`the block at ${start} does not close`);
}

/** `key: expression` pairs one level inside an object block (keys indented two more spaces than its first line). */
export function objectEntries(objectBlock: string): Map<string, string> {
  const lines = objectBlock.split("\n");
  const indent = (lines[0]!.match(/^ */)![0].length) + 2;
  const entry = new RegExp(`^ {${indent}}([A-Za-z_][A-Za-z0-9_]*): (.+?)\\s*$`);
  const entries = new Map<string, string>();
  for (const line of lines.slice(1, -1)) {
    const match = entry.exec(line);
    if (match) entries.set(match[1]!, match[2]!);
  }
  return entries;
}

export interface BicepParam {
  name: string;
  type: string;
  secure: boolean;
  /** The default's source text; null when there is none. */
  defaultText: string | null;
  /** The default when it is a plain string literal. */
  literal: string | null;
}

export function params(file: BicepFile): Map<string, BicepParam> {
  const lines = file.code.split("\n");
  const result = new Map<string, BicepParam>();
  lines.forEach((line, i) => {
    // A default may continue on the next lines as a conditional (lines starting with ? or :).
    let declaration = line.trim();
    for (let j = i + 1; j < lines.length && /^\s*[?:] /.test(lines[j]!); j++) declaration += ` ${lines[j]!.trim()}`;
    const match = /^param (\w+) (\w+)(?: = (.+))?$/.exec(declaration);
    if (!match) return;
    let decorators = "";
    for (let j = i - 1; j >= 0 && /^\s*(@|$)/.test(lines[j]!) && lines[j]!.trim() !== ""; j--) decorators += lines[j];
    const defaultText = match[3] ?? null;
    const literal = defaultText !== null && /^'[^'\\]*'$/.test(defaultText) ? defaultText.slice(1, -1) : null;
    result.set(match[1]!, { name: match[1]!, type: match[2]!, secure: decorators.includes("@secure()"), defaultText, literal });
  });
  return result;
}

export interface BicepResource {
  symbol: string;
  /** e.g. Microsoft.Storage/storageAccounts@2024-01-01 */
  typeVersion: string;
  existing: boolean;
  body: string;
  /** The comment lines directly above the declaration. */
  comment: string;
}

export function resources(file: BicepFile): BicepResource[] {
  const lines = file.text.split("\n");
  const found: BicepResource[] = [];
  lines.forEach((line, i) => {
    const match = /^resource (\w+) '([^']+)'( existing)? = /.exec(line);
    if (!match) return;
    const comment: string[] = [];
    for (let j = i - 1; j >= 0 && /^\s*\/\//.test(lines[j]!); j--) comment.unshift(lines[j]!);
    found.push({
      symbol: match[1]!,
      typeVersion: match[2]!,
      existing: match[3] !== undefined,
      body: block(lines.slice(i).join("\n"), /^resource /),
      comment: comment.join("\n"),
    });
  });
  return found;
}

export const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
