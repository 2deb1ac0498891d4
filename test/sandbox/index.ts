// The sandbox tenant's public surface: start a server for a fixture, load and validate fixtures.
export { startSandbox, type Sandbox, type SandboxOptions } from "./server.js";
export {
  loadFixture,
  parseFixture,
  FixtureError,
  type Fixture,
  type FixtureInput,
  type Fault,
  type FaultInput,
} from "./fixture-schema.js";
export { rebaseFixture } from "./clock.js";
export type { RequestLogEntry, Violation, Service } from "./http-types.js";
export type { SlackSandbox, SlackSandboxOptions, SlackMessageRecord, SlackCallRecord } from "./slack.js";
export type { TeamsSandbox, TeamsPayloadRecord, TeamsRequestRecord } from "./teams.js";
