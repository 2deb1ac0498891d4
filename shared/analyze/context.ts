// Look-up tables built once per analysis from the inventory, so rules stay simple and linear.

import type { Inventory, ManagedCluster, Policy, Registry, RoleAssignment, ServicePrincipal } from "../model.js";
import { lower, normalizeArmId } from "../arm-ids.js";

export interface NormalizedPolicy {
  /** Positive, finite, distinct, ascending. */
  thresholds: number[];
  /** Largest threshold, or 0 when there is none (then nothing is "expiring"). */
  tmax: number;
  maxLifetimeDays: number;
  adminEventLookbackDays: number;
}

export interface Context {
  inventory: Inventory;
  policy: NormalizedPolicy;
  /** Epoch ms of the sweep's clock. */
  now: number;
  servicePrincipalsByAppId: Map<string, ServicePrincipal[]>;
  servicePrincipalsById: Map<string, ServicePrincipal>;
  registriesByName: Map<string, Registry[]>;
  registriesById: Map<string, Registry>;
  assignmentsByPrincipal: Map<string, RoleAssignment[]>;
  clustersByClientId: Map<string, ManagedCluster[]>;
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function normalizePolicy(policy: Policy): NormalizedPolicy {
  const raw = Array.isArray(policy?.thresholds) ? policy.thresholds : [];
  const thresholds = [...new Set(raw.filter((t) => typeof t === "number" && Number.isFinite(t) && t > 0))].sort(
    (a, b) => a - b,
  );
  return {
    thresholds,
    tmax: thresholds[thresholds.length - 1] ?? 0,
    maxLifetimeDays: finiteOr(policy?.maxLifetimeDays, 730),
    adminEventLookbackDays: finiteOr(policy?.adminEventLookbackDays, 7),
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const arr = <T>(v: readonly T[] | null | undefined): readonly T[] => (Array.isArray(v) ? v : []);

export function buildContext(inventory: Inventory, policy: Policy, now: Date): Context {
  const ctx: Context = {
    inventory,
    policy: normalizePolicy(policy),
    now: now.getTime(),
    servicePrincipalsByAppId: new Map(),
    servicePrincipalsById: new Map(),
    registriesByName: new Map(),
    registriesById: new Map(),
    assignmentsByPrincipal: new Map(),
    clustersByClientId: new Map(),
  };
  for (const sp of arr(inventory.servicePrincipals)) {
    if (!sp) continue;
    if (sp.appId) push(ctx.servicePrincipalsByAppId, lower(sp.appId), sp);
    if (sp.id && !ctx.servicePrincipalsById.has(lower(sp.id))) ctx.servicePrincipalsById.set(lower(sp.id), sp);
  }
  for (const r of arr(inventory.registries)) {
    if (!r) continue;
    if (r.name) push(ctx.registriesByName, lower(r.name), r);
    if (r.id && !ctx.registriesById.has(normalizeArmId(r.id))) ctx.registriesById.set(normalizeArmId(r.id), r);
  }
  for (const a of arr(inventory.roleAssignments)) {
    if (a?.principalId) push(ctx.assignmentsByPrincipal, lower(a.principalId), a);
  }
  for (const c of arr(inventory.managedClusters)) {
    if (c?.servicePrincipalClientId) push(ctx.clustersByClientId, lower(c.servicePrincipalClientId), c);
  }
  return ctx;
}

export function assignmentsOf(ctx: Context, principalId: string | null | undefined): RoleAssignment[] {
  return ctx.assignmentsByPrincipal.get(lower(principalId)) ?? [];
}

export function registryList(ctx: Context): readonly Registry[] {
  return arr(ctx.inventory.registries).filter((r): r is Registry => !!r);
}

export function clusterList(ctx: Context): readonly ManagedCluster[] {
  return arr(ctx.inventory.managedClusters).filter((c): c is ManagedCluster => !!c);
}

export { arr };
