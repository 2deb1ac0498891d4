// ARM resource ids: /subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/...]
// ARM treats them case-insensitively; so does every comparison here.

export interface ResourceIdParts {
  subscriptionId: string | null;
  resourceGroup: string | null;
  /** The last name segment, e.g. the registry's name. */
  name: string | null;
}

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
    name: hasProvider && segments.length > 0 ? (segments[segments.length - 1] ?? null) : null,
  };
}

export function sameResourceId(a: string, b: string): boolean {
  return normalizeResourceId(a) === normalizeResourceId(b);
}

export function normalizeResourceId(id: string): string {
  return id.toLowerCase().replace(/\/+$/, "");
}
