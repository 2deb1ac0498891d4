export { CLOUD_NAMES, KNOWN_CLOUDS, type Cloud, type CloudEndpoints, type CloudName } from "./clouds.js";
export { ConfigError, loadConfig, type ConfigProblem } from "./load.js";
export type { Config, FanoutStorage, SettingName } from "./schema.js";
export { SETTINGS, describeSettings, type SettingInfo } from "./settings.js";
