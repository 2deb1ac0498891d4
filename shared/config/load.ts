// Reading the environment once, and saying everything that is wrong with it at once.
import type { z } from "zod";
import { environmentSchema, type Config } from "./schema.js";
import { SETTINGS, type SettingInfo } from "./settings.js";

export interface ConfigProblem {
  setting: string;
  message: string;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(readonly problems: ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.setting} ${p.message}`);
    const count = problems.length === 1 ? "1 setting" : `${problems.length} settings`;
    super([`Invalid credwatch configuration (${count}):`, ...lines].join("\n"));
  }
}

/** Long values are cut: a pasted certificate or list must not bury the other problems. */
const MAX_SHOWN = 120;

/** One problem per setting: its reasons, then the offending value — never a secret's. */
export function describeProblem(setting: SettingInfo, raw: string | undefined, reasons: string[]): ConfigProblem {
  let shown: string;
  if (raw === undefined) shown = "it is not set";
  else if (setting.secret) shown = "value hidden: the setting is secret";
  else shown = `got ${JSON.stringify(raw.length > MAX_SHOWN ? `${raw.slice(0, MAX_SHOWN)}…` : raw)}`;
  return { setting: setting.name, message: `${reasons.join("; ")} (${shown})` };
}

/** Environment strings with surrounding whitespace removed; empty counts as unset. */
function present(env: Record<string, string | undefined>, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === "" ? undefined : raw;
}

function problemsOf(issues: z.core.$ZodIssue[], env: Record<string, string | undefined>): ConfigProblem[] {
  return SETTINGS.flatMap((setting) => {
    const reasons = issues.filter((issue) => issue.path[0] === setting.name).map((issue) => issue.message);
    return reasons.length > 0 ? [describeProblem(setting, present(env, setting.name), reasons)] : [];
  });
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw = Object.fromEntries(SETTINGS.map((s) => [s.name, present(env, s.name) ?? s.default ?? undefined]));
  const result = environmentSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(problemsOf(result.error.issues, env));
}
