// The Azure clouds credwatch knows by name, and the three endpoints it needs in each.
// Sources: Microsoft Graph "national cloud deployments" (learn.microsoft.com/graph/deployments)
// and the clouds `az cloud list` ships (activeDirectory / microsoftGraphResourceId / resourceManager).

export const CLOUD_NAMES = ["AzurePublicCloud", "AzureUSGovernment", "AzureChinaCloud", "Custom"] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface CloudEndpoints {
  /** Microsoft Entra ID (token service) host, for @azure/identity's `authorityHost`. */
  authorityHost: string;
  /** Microsoft Graph service root, without the version segment. */
  graphEndpoint: string;
  /** Azure Resource Manager. */
  armEndpoint: string;
}

export interface Cloud extends CloudEndpoints {
  name: CloudName;
}

export const KNOWN_CLOUDS: Readonly<Record<Exclude<CloudName, "Custom">, CloudEndpoints>> = {
  AzurePublicCloud: {
    authorityHost: "https://login.microsoftonline.com",
    graphEndpoint: "https://graph.microsoft.com",
    armEndpoint: "https://management.azure.com",
  },
  // Graph for US Government L4 (GCC High). DoD (L5) tenants use https://dod-graph.microsoft.us:
  // set CREDWATCH_GRAPH_ENDPOINT to it — Entra ID and ARM are the same for both.
  AzureUSGovernment: {
    authorityHost: "https://login.microsoftonline.us",
    graphEndpoint: "https://graph.microsoft.us",
    armEndpoint: "https://management.usgovcloudapi.net",
  },
  // Azure operated by 21Vianet.
  AzureChinaCloud: {
    authorityHost: "https://login.chinacloudapi.cn",
    graphEndpoint: "https://microsoftgraph.chinacloudapi.cn",
    armEndpoint: "https://management.chinacloudapi.cn",
  },
};
