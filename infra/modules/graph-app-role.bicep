// Microsoft Graph application permission Application.Read.All for credwatch's identity, through the
// Microsoft Graph Bicep extension (alias configured in infra/bicepconfig.json). The deployer needs a
// Microsoft Entra role that may grant Microsoft Graph app roles (Privileged Role Administrator, or
// Global Administrator); deployments are supported in the public cloud only. Where that does not
// hold, deploy with grantGraphPermission=false and run infra/grant-graph-permission.sh.
//
// Application.Read.All reads every application and service principal with its passwordCredentials /
// keyCredentials metadata (ids, names, start and end dates) and owners. Graph never returns a
// password's value on read (secretText is only in addPassword's answer), so this permission shows
// credwatch no secret.
extension microsoftGraphV1

@description('Principal (object) id of credwatch\'s managed identity.')
param principalId string

// Microsoft Graph's first-party application id, the same in every tenant.
var microsoftGraphAppId = '00000003-0000-0000-c000-000000000000'
// The id of the Application.Read.All app role (application permission) that Microsoft Graph exposes:
// Graph permissions reference (learn.microsoft.com/graph/permissions-reference#applicationreadall).
var applicationReadAll = '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30'

// Microsoft.Graph/servicePrincipals@v1.0 (existing, by its appId alternate key) — microsoftgraph/
// msgraph-bicep-types generated/microsoftgraph/microsoft.graph/v1.0/1.0.0/types.md, and
// quickstart-templates/resource-application-access-grant-to-client-application/main.bicep.
resource microsoftGraph 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: microsoftGraphAppId
}

// Microsoft.Graph/appRoleAssignedTo@v1.0 — microsoftgraph/msgraph-bicep-types, same types.md
// (principalId, resourceId, appRoleId: required GUIDs) and quickstart.
resource applicationReadAllGrant 'Microsoft.Graph/appRoleAssignedTo@v1.0' = {
  principalId: principalId
  resourceId: microsoftGraph.id
  appRoleId: applicationReadAll
}
