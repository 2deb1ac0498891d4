// The one identity credwatch runs as: the Functions host's storage, Key Vault references,
// telemetry, ARM (Reader) and Microsoft Graph (Application.Read.All) all use it.

param name string
param location string
param tags object

// Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31 — azure-rest-api-specs
// specification/msi/resource-manager/Microsoft.ManagedIdentity/stable/2023-01-31/ManagedIdentity.json
// (examples/IdentityCreate.json: properties.clientId, properties.principalId).
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
