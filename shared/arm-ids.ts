// ARM resource ids compare case-insensitively (Azure itself returns the same resource group in
// different casings on different APIs). Normalise once, compare normalised.

/** Lower-cased, trimmed, without trailing slashes ("/" stays "/"). */
export function normalizeArmId(id: string | null | undefined): string {
  if (typeof id !== "string") return "";
  const t = id.trim().toLowerCase().replace(/\/+$/, "");
  return t === "" && id.trim().startsWith("/") ? "/" : t;
}

export function sameArmId(a: string | null | undefined, b: string | null | undefined): boolean {
  const na = normalizeArmId(a);
  return na !== "" && na === normalizeArmId(b);
}

/** Case-insensitive equality for names, GUIDs and enum-like strings; null never matches. */
export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === "string" && typeof b === "string" && a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function lower(value: string | null | undefined): string {
  return typeof value === "string" ? value.trim().toLowerCase() : "";
}

export interface ResourceIdParts {
  subscriptionId: string | null;
  resourceGroup: string | null;
  /** The last name segment, e.g. the registry's name. */
  name: string | null;
}

/** Splits /subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/...] (any casing). */
export function parseResourceId(id: string): ResourceIdParts {
  const segments = id.split("/").filter((s) => s.length > 0);
  const valueAfter = (key: string): string | null => {
    const index = segments.findIndex((s) => s.toLowerCase() === key.toLowerCase());
    return index >= 0 && index + 1 < segments.length ? (segments[index + 1] ?? null) : null;
  };
  const hasProvider = segments.some((s) => s.toLowerCase() === "providers");
  return {
    subscriptionId: valueAfter("subscriptions"),
    resourceGroup: valueAfter("resourceGroups"),
    name: hasProvider ? (segments[segments.length - 1] ?? null) : null,
  };
}
