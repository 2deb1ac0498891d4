import { describe, expect, it } from "vitest";
import { analyze } from "../../shared/analyze/index.js";
import { parseIpv4, parseIpv4Range, rangeContains } from "../../shared/analyze/cidr.js";
import { NOW, POLICY, SUB, firewalledRegistry } from "./builders.js";

const network = (inventory: Parameters<typeof analyze>[0]) => analyze(inventory, POLICY, NOW).findings.filter((f) => f.kind === "network-blocked");

function inRange(range: string, ip: string): boolean {
  const r = parseIpv4Range(range);
  const i = parseIpv4(ip);
  return r !== null && i !== null && rangeContains(r, i);
}

describe("CIDR", () => {
  it("/24 edges: .0 and .255 inside, the neighbours outside", () => {
    expect(inRange("20.50.0.0/24", "20.50.0.0")).toBe(true);
    expect(inRange("20.50.0.0/24", "20.50.0.255")).toBe(true);
    expect(inRange("20.50.0.0/24", "20.50.1.0")).toBe(false);
    expect(inRange("20.50.0.0/24", "20.49.255.255")).toBe(false);
  });

  it("host bits in the rule are ignored (20.50.0.77/24 is 20.50.0.0/24)", () => {
    expect(inRange("20.50.0.77/24", "20.50.0.1")).toBe(true);
  });

  it("/32 and a bare IP match exactly one address", () => {
    expect(inRange("52.1.1.1/32", "52.1.1.1")).toBe(true);
    expect(inRange("52.1.1.1/32", "52.1.1.2")).toBe(false);
    expect(inRange("52.1.1.1", "52.1.1.1")).toBe(true);
    expect(inRange("52.1.1.1", "52.1.1.0")).toBe(false);
  });

  it("/0 matches everything, including the top address", () => {
    expect(inRange("0.0.0.0/0", "255.255.255.255")).toBe(true);
    expect(inRange("10.0.0.0/0", "1.2.3.4")).toBe(true);
  });

  it("/1 splits the space at 128.0.0.0", () => {
    expect(inRange("128.0.0.0/1", "127.255.255.255")).toBe(false);
    expect(inRange("128.0.0.0/1", "128.0.0.0")).toBe(true);
  });

  it("malformed values parse to null", () => {
    for (const bad of ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/", "01.2.3.4", "a.b.c.d", "1.2.3.4/24/1", "::1", " / "]) {
      expect(parseIpv4Range(bad), bad).toBeNull();
    }
    expect(parseIpv4Range(null)).toBeNull();
    expect(parseIpv4Range(42)).toBeNull();
  });
});

describe("network-blocked by firewall", () => {
  it("an egress IP in no rule range is blocked: critical, one add-rule per IP", () => {
    const { inventory, cluster, registry: r } = firewalledRegistry(["20.50.0.0/24"], ["52.1.1.1", "20.50.0.10", "9.9.9.9"]);
    const [f, ...rest] = network(inventory);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: "critical",
      subject: { type: "managedCluster", id: cluster.id, name: "aks-blue" },
      cluster: "aks-blue",
      registry: "acrshared",
      impact: { registries: ["acrshared"], clusters: ["aks-blue"] },
    });
    expect(f?.id).toBe(`network-blocked:${cluster.id.toLowerCase()}:${r.id.toLowerCase()}`);
    expect(f?.message).toBe("AKS cluster aks-blue cannot pull from acrshared: egress IPs 9.9.9.9 and 52.1.1.1 are not allowed by the registry firewall (default action Deny)");
    expect(f?.fix).toEqual([
      `az acr network-rule add -n acrshared --ip-address 9.9.9.9 --subscription ${SUB}`,
      `az acr network-rule add -n acrshared --ip-address 52.1.1.1 --subscription ${SUB}`,
    ]);
  });

  it("egress IPs all covered: no finding (range edges, /32 and bare rule)", () => {
    const { inventory } = firewalledRegistry(["20.50.0.0/24", "52.1.1.1/32", "9.9.9.9"], ["20.50.0.0", "20.50.0.255", "52.1.1.1", "9.9.9.9"]);
    expect(network(inventory)).toEqual([]);
  });

  it("an IP just outside a /24 is blocked", () => {
    const { inventory } = firewalledRegistry(["20.50.0.0/24"], ["20.50.1.0"]);
    expect(network(inventory)).toHaveLength(1);
  });

  it("a /0 rule allows everything", () => {
    expect(network(firewalledRegistry(["0.0.0.0/0"], ["1.2.3.4"]).inventory)).toEqual([]);
  });

  it("malformed rules are ignored (they allow nothing) and never crash", () => {
    const { inventory } = firewalledRegistry(["not-an-ip", "300.1.1.1/8", "52.1.1.1/40"], ["52.1.1.1"]);
    expect(network(inventory)).toHaveLength(1);
  });

  it("unknown egress IPs give no finding; non-IPv4 egress entries are skipped", () => {
    expect(network(firewalledRegistry([], null).inventory)).toEqual([]);
    expect(network(firewalledRegistry([], ["2001:db8::1", "garbage"]).inventory)).toEqual([]);
  });

  it("a non-Premium registry with default action Deny is not judged (no firewall below Premium)", () => {
    expect(network(firewalledRegistry([], ["52.1.1.1"], { sku: "Standard" }).inventory)).toEqual([]);
  });

  it("default action Allow is not judged; a registry without a rule set is not judged", () => {
    const allow = firewalledRegistry([], ["52.1.1.1"], { networkRuleSet: { defaultAction: "Allow", ipRules: [] } });
    expect(network(allow.inventory)).toEqual([]);
    expect(network(firewalledRegistry([], ["52.1.1.1"], { networkRuleSet: null }).inventory)).toEqual([]);
  });

  it("an approved private endpoint means the registry is not judged by IP", () => {
    const { inventory } = firewalledRegistry([], ["52.1.1.1"], { privateEndpointConnections: [{ name: "pe-aks", status: "Approved" }] });
    expect(network(inventory)).toEqual([]);
  });

  it("a pending private endpoint does not count: IPs are judged", () => {
    const { inventory } = firewalledRegistry([], ["52.1.1.1"], { privateEndpointConnections: [{ name: "pe-aks", status: "Pending" }] });
    expect(network(inventory)).toHaveLength(1);
  });
});

describe("network-blocked by disabled public access", () => {
  it("public access disabled without an approved endpoint blocks, whatever the egress IPs", () => {
    const { inventory } = firewalledRegistry(["0.0.0.0/0"], null, { publicNetworkAccess: "disabled" });
    const [f] = network(inventory);
    expect(f?.message).toContain("public network access is disabled and the registry has no approved private endpoint");
    expect(f?.fix).toEqual([`az acr update -n acrshared --public-network-enabled true --subscription ${SUB}`]);
  });

  it("with a pending endpoint, the fix approves it", () => {
    const { inventory } = firewalledRegistry([], ["52.1.1.1"], {
      publicNetworkAccess: "Disabled",
      privateEndpointConnections: [{ name: "pe-aks", status: "Pending" }, { name: "pe-old", status: "Rejected" }],
    });
    const [f] = network(inventory);
    expect(f?.message).toContain("(pe-aks is not approved)");
    expect(f?.fix).toEqual([`az acr private-endpoint-connection approve -r acrshared -n pe-aks --subscription ${SUB}`]);
  });

  it("with an approved endpoint, nothing", () => {
    const { inventory } = firewalledRegistry([], ["52.1.1.1"], {
      publicNetworkAccess: "Disabled",
      privateEndpointConnections: [{ name: "pe-aks", status: "Approved" }],
    });
    expect(network(inventory)).toEqual([]);
  });
});
