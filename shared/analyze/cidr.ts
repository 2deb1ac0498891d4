// IPv4 addresses and CIDR ranges, as registry firewall rules hold them. A bare address is a /32.
// Anything that is not a well-formed IPv4 address or range parses to null and matches nothing.

export interface Ipv4Range {
  /** Network address as an unsigned 32-bit integer (host bits cleared). */
  network: number;
  prefix: number;
}

/** Unsigned 32-bit value of a dotted-quad IPv4 address, or null. No leading zeros, no extras. */
export function parseIpv4(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const parts = text.trim().split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value >>> 0;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** "a.b.c.d" (= /32) or "a.b.c.d/n" with 0 ≤ n ≤ 32; null when malformed. */
export function parseIpv4Range(text: unknown): Ipv4Range | null {
  if (typeof text !== "string") return null;
  const [addr, prefixText, ...rest] = text.trim().split("/");
  if (rest.length > 0 || addr === undefined) return null;
  const ip = parseIpv4(addr);
  if (ip === null) return null;
  let prefix = 32;
  if (prefixText !== undefined) {
    if (!/^(0|[1-9]\d?)$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    if (prefix > 32) return null;
  }
  return { network: (ip & mask(prefix)) >>> 0, prefix };
}

export function rangeContains(range: Ipv4Range, ip: number): boolean {
  return ((ip & mask(range.prefix)) >>> 0) === range.network;
}
