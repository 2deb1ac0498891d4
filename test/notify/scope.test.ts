// Whether a sweep read the scope of a finding: the condition for a resolved note.
import { describe, expect, it } from "vitest";
import { findingScope, wasRead } from "../../shared/notify/scope.js";
import { APP, appSecret, armError, CLUSTER_ID, graphError, OTHER_APP, OTHER_SUB, REGISTRY_ID, roleGap, SUB, TOKEN_ID, tokenPassword } from "./builders.js";

const app = findingScope(appSecret(7));
const token = findingScope(tokenPassword(7));
const cluster = findingScope(roleGap("no-pull-role"));

describe("findingScope", () => {
  it("puts applications and service principals in Graph, ARM subjects in their subscription", () => {
    expect(app).toEqual({ source: "graph", objectId: APP });
    expect(token).toEqual({ source: "arm", subscriptionId: SUB, resourceId: TOKEN_ID.toLowerCase() });
    expect(cluster).toEqual({ source: "arm", subscriptionId: SUB, resourceId: CLUSTER_ID.toLowerCase() });
  });
});

describe("wasRead", () => {
  it("reads everything when there are no errors", () => {
    expect(wasRead(app, [])).toBe(true);
    expect(wasRead(token, [])).toBe(true);
  });

  it.each([
    ["applications", false],
    ["servicePrincipals", false],
    ["authentication", false],
    [`applications/${APP}`, false],
    [`servicePrincipals/${APP.toUpperCase()}`, false],
    ["applications/page 3 item 7", false],
    [APP, false],
    ["something new", false],
    [`applications/${APP}/owners`, true],
    [`servicePrincipals/${OTHER_APP}/owners`, true],
    [`applications/${OTHER_APP}`, true],
    [OTHER_APP, true],
  ])("a Graph subject with a graph error on %j: read %s", (scope, read) => {
    expect(wasRead(app, [graphError(scope)])).toBe(read);
  });

  it("ignores ARM errors for Graph subjects, except authentication", () => {
    expect(wasRead(app, [armError(SUB), armError("subscriptions")])).toBe(true);
    expect(wasRead(app, [armError("authentication")])).toBe(false);
  });

  it.each([
    [SUB, false],
    [SUB.toUpperCase(), false],
    ["subscriptions", false],
    [`/subscriptions/${SUB}`, false],
    [REGISTRY_ID, false],
    [`${REGISTRY_ID.toUpperCase()}/`, false],
    [TOKEN_ID, false],
    ["not a scope we know", false],
    [OTHER_SUB, true],
    [`${REGISTRY_ID}-other`, true],
    [CLUSTER_ID, true],
    [`/subscriptions/${OTHER_SUB}`, true],
  ])("a token with an ARM error on %j: read %s", (scope, read) => {
    expect(wasRead(token, [armError(scope)])).toBe(read);
  });

  it("a cluster is unread when the error names the cluster (e.g. a registry it pulls from was unreadable)", () => {
    expect(wasRead(cluster, [armError(CLUSTER_ID)])).toBe(false);
    expect(wasRead(cluster, [armError(REGISTRY_ID)])).toBe(true);
  });

  it("ignores Graph errors for ARM subjects, except authentication", () => {
    expect(wasRead(token, [graphError("applications")])).toBe(true);
    expect(wasRead(token, [graphError("authentication")])).toBe(false);
  });

  it("cannot place an ARM subject without a subscription: any ARM error hides it", () => {
    const odd = { source: "arm" as const, subscriptionId: null, resourceId: "/providers/x/y" };
    expect(wasRead(odd, [])).toBe(true);
    expect(wasRead(odd, [armError(OTHER_SUB)])).toBe(false);
  });
});
