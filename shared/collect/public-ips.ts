// Addresses of public-IP resources, read with one paged listing per subscription instead of one
// GET per address.
import type { NetworkManagementClient } from "@azure/arm-network";
import { normalizeArmId } from "../arm-ids.js";
import { readAll } from "./paging.js";

/** Map of normalized public-IP resource id → address, for every allocated address in the subscription. */
export async function listPublicIpAddresses(client: NetworkManagementClient): Promise<Map<string, string>> {
  const addresses = new Map<string, string>();
  for (const ip of await readAll(client.publicIPAddresses.listAll())) {
    if (ip.id && ip.ipAddress) addresses.set(normalizeArmId(ip.id), ip.ipAddress);
  }
  return addresses;
}
