// Azure built-in role names a fixture may use, and their role-definition GUIDs (the same in every
// tenant). Source: learn.microsoft.com/azure/role-based-access-control/built-in-roles ("Containers"
// and "Privileged" tables; MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles.md).

export const BUILT_IN_ROLES: Readonly<Record<string, string>> = {
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  AcrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
  AcrDelete: "c2f4ef07-c644-48eb-af81-4b1b4947fb11",
  AcrImageSigner: "6cef56e8-d556-48e5-a04f-b8e64114680f",
  AcrQuarantineReader: "cdda3590-29a3-44f6-95f2-9f980659eb04",
  AcrQuarantineWriter: "c8d4ff99-41c3-41a8-9f60-21dfdad59608",
  "Container Registry Repository Reader": "b93aa761-3e63-49ed-ac28-beffa264f7ac",
  "Container Registry Repository Writer": "2a1e307c-b015-4ebd-883e-5b7698a07328",
  "Container Registry Repository Contributor": "2efddaa5-3f1f-4df3-97df-af3f13818f4c",
  "Container Registry Repository Catalog Lister": "bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7",
  "Container Registry Data Importer and Data Reader": "577a9874-89fd-4f24-9dbd-b5034d0ad23a",
};

export const GUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The role-definition GUID a fixture's `role` names (a built-in name or a GUID); undefined if neither. */
export function roleDefinitionGuid(role: string): string | undefined {
  if (GUID_PATTERN.test(role)) return role.toLowerCase();
  return BUILT_IN_ROLES[role];
}
