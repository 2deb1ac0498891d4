// The scope maps every token-capable registry has without anyone creating them (`type: SystemDefined`
// in a ScopeMap listing), so a token can name `_repositories_pull` without the fixture declaring it.
// Source: learn.microsoft.com/azure/container-registry/container-registry-token-based-repository-permissions
// ("System-defined scope maps").

export interface SystemScopeMap {
  name: string;
  description: string;
  actions: string[];
}

export const SYSTEM_SCOPE_MAPS: readonly SystemScopeMap[] = [
  {
    name: "_repositories_admin",
    description: "Can perform all read, write and delete operations on the registry",
    actions: [
      "repositories/*/metadata/read",
      "repositories/*/metadata/write",
      "repositories/*/content/read",
      "repositories/*/content/write",
      "repositories/*/content/delete",
    ],
  },
  { name: "_repositories_pull", description: "Can pull any repository of the registry", actions: ["repositories/*/content/read"] },
  {
    name: "_repositories_push",
    description: "Can push to any repository of the registry",
    actions: ["repositories/*/content/read", "repositories/*/content/write"],
  },
];
