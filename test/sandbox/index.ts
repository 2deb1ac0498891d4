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
  type FixtureApplicationInput,
  type FixtureServicePrincipalInput,
  type FixturePasswordCredentialInput,
} from "./fixture-schema.js";
export { rebaseFixture } from "./clock.js";
export type { SandboxDirectory, DirectoryCollectionName, ExpiredTokenAnswer, RemovedReason } from "./directory-changes.js";
export type { RequestLogEntry, Violation, Service } from "./http-types.js";
export type { SlackSandbox, SlackSandboxOptions, SlackMessageRecord, SlackCallRecord } from "./slack.js";
export type { TeamsSandbox, TeamsPayloadRecord, TeamsRequestRecord } from "./teams.js";
