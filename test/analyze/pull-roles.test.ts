import { describe, expect, it } from "vitest";
import {
  ROLE,
  grantsPull,
  isBroadRole,
  pullAccess,
  registryMode,
  roleGuid,
  scopeCovers,
} from "../../shared/analyze/pull-roles.js";
import { SUB, SUB2, assign, registry, rgScope, subScope } from "./builders.js";

const legacy = registry("acrlegacy");
const abac = registry("acrabac", { roleAssignmentMode: "AbacRepositoryPermissions" });
const P = "principal-1";

describe("role identity", () => {
  it("takes the GUID from the role-definition id, lower-cased", () => {
    expect(roleGuid(`/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/7F951DDA-4ED3-4680-A7CA-43FE172D538D`)).toBe(ROLE.AcrPull);
    expect(roleGuid(`/providers/Microsoft.Authorization/roleDefinitions/${ROLE.AcrPull}/`)).toBe(ROLE.AcrPull);
    expect(roleGuid(ROLE.AcrPull)).toBe(ROLE.AcrPull);
    expect(roleGuid(null)).toBe("");
  });

  it("matches by GUID, never by name: a role id ending in 'AcrPull' grants nothing", () => {
    const byName = assign(P, "AcrPull", legacy.id);
    expect(pullAccess([byName], legacy).kind).toBe("none");
    const byGuid = assign(P, ROLE.AcrPull.toUpperCase(), legacy.id);
    expect(pullAccess([byGuid], legacy).kind).toBe("pull");
  });
});

describe("modes", () => {
  it("absent or unknown mode means legacy; the ABAC value is matched case-insensitively", () => {
    expect(registryMode({ roleAssignmentMode: null })).toBe("LegacyRegistryPermissions");
    expect(registryMode({ roleAssignmentMode: "SomethingNew" })).toBe("LegacyRegistryPermissions");
    expect(registryMode({ roleAssignmentMode: "abacrepositorypermissions" })).toBe("AbacRepositoryPermissions");
  });

  it("legacy: AcrPull, AcrPush, Owner, Contributor, Reader grant pull; Repository roles do not", () => {
    for (const r of [ROLE.AcrPull, ROLE.AcrPush, ROLE.Owner, ROLE.Contributor, ROLE.Reader]) {
      expect(grantsPull(r, "LegacyRegistryPermissions")).toBe(true);
    }
    expect(grantsPull(ROLE.RepositoryReader, "LegacyRegistryPermissions")).toBe(false);
  });

  it("ABAC: only the Repository roles (and Data Importer) grant pull; AcrPull and Owner/Contributor/Reader do not", () => {
    for (const r of [ROLE.RepositoryReader, ROLE.RepositoryWriter, ROLE.RepositoryContributor, ROLE.DataImporterAndDataReader]) {
      expect(grantsPull(r, "AbacRepositoryPermissions")).toBe(true);
    }
    for (const r of [ROLE.AcrPull, ROLE.AcrPush, ROLE.Owner, ROLE.Contributor, ROLE.Reader]) {
      expect(grantsPull(r, "AbacRepositoryPermissions")).toBe(false);
    }
  });

  it("the same AcrPull assignment pulls on a legacy registry and not on an ABAC one", () => {
    expect(pullAccess([assign(P, ROLE.AcrPull, legacy.id)], legacy).kind).toBe("pull");
    const onAbac = pullAccess([assign(P, ROLE.AcrPull, abac.id)], abac);
    expect(onAbac.kind).toBe("none");
    expect(onAbac.kind === "none" && onAbac.notHonoured).toHaveLength(1);
  });

  it("broad roles are Owner, Contributor and Reader; pull only through them is broad-only", () => {
    expect([ROLE.Owner, ROLE.Contributor, ROLE.Reader].every(isBroadRole)).toBe(true);
    expect(isBroadRole(ROLE.AcrPull)).toBe(false);
    expect(pullAccess([assign(P, ROLE.Reader, legacy.id)], legacy).kind).toBe("broad-only");
    expect(pullAccess([assign(P, ROLE.Reader, legacy.id), assign(P, ROLE.AcrPull, rgScope(legacy))], legacy).kind).toBe("pull");
  });
});

describe("scope inheritance", () => {
  it("covers at the registry, its resource group and its subscription", () => {
    expect(scopeCovers({ scope: legacy.id, subscriptionId: SUB }, legacy)).toBe(true);
    expect(scopeCovers({ scope: rgScope(legacy), subscriptionId: SUB }, legacy)).toBe(true);
    expect(scopeCovers({ scope: subScope(legacy), subscriptionId: SUB }, legacy)).toBe(true);
  });

  it("compares ARM ids case-insensitively and ignores a trailing slash", () => {
    expect(scopeCovers({ scope: legacy.id.toUpperCase(), subscriptionId: SUB }, legacy)).toBe(true);
    expect(scopeCovers({ scope: `${rgScope(legacy).replace("resourceGroups", "RESOURCEGROUPS")}/`, subscriptionId: SUB }, legacy)).toBe(true);
  });

  it("does not cover from another resource group, a prefix-named group, another registry or another subscription", () => {
    expect(scopeCovers({ scope: `/subscriptions/${SUB}/resourceGroups/rg-other`, subscriptionId: SUB }, legacy)).toBe(false);
    expect(scopeCovers({ scope: `/subscriptions/${SUB}/resourceGroups/rg-reg`, subscriptionId: SUB }, legacy)).toBe(false);
    expect(scopeCovers({ scope: `${rgScope(legacy)}/providers/Microsoft.ContainerRegistry/registries/acrlegacy2`, subscriptionId: SUB }, legacy)).toBe(false);
    expect(scopeCovers({ scope: `/subscriptions/${SUB2}`, subscriptionId: SUB2 }, legacy)).toBe(false);
  });

  it("management-group and root scopes cover registries of the subscription whose listing returned them", () => {
    const mg = "/providers/Microsoft.Management/managementGroups/contoso-root";
    expect(scopeCovers({ scope: mg, subscriptionId: SUB }, legacy)).toBe(true);
    expect(scopeCovers({ scope: mg, subscriptionId: SUB2 }, legacy)).toBe(false);
    expect(scopeCovers({ scope: "/", subscriptionId: SUB.toUpperCase() }, legacy)).toBe(true);
    expect(scopeCovers({ scope: "/", subscriptionId: SUB2 }, legacy)).toBe(false);
  });

  it("an empty scope covers nothing", () => {
    expect(scopeCovers({ scope: "", subscriptionId: SUB }, legacy)).toBe(false);
  });
});
