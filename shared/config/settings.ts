// The settings as documentation: what the README, `describeSettings()` and infrastructure tests read.
import { FIELDS, type SettingName } from "./schema.js";

export interface SettingInfo {
  name: SettingName;
  /** The value an unset or empty variable stands for; null: none. */
  default: string | null;
  description: string;
  secret: boolean;
}

export const SETTINGS: readonly SettingInfo[] = Object.entries(FIELDS).map(([name, field]) => ({
  name: name as SettingName,
  default: field.default,
  description: field.description,
  secret: "secret" in field && field.secret === true,
}));

/** The settings as a Markdown table. */
export function describeSettings(): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const rows = SETTINGS.map(
    (s) => `| \`${s.name}\` | ${s.default === null ? "—" : `\`${cell(s.default)}\``} | ${cell(s.description)} |`,
  );
  return ["| Setting | Default | Description |", "| --- | --- | --- |", ...rows].join("\n") + "\n";
}
