// Reader for credwatch's identity on one subscription (deployed with scope: subscription(id)).
//
// Reader (acdd72a7-3385-48ef-bd42-f606fba81ae7) is actions */read and no dataActions: every ARM GET
// credwatch makes — subscriptions, registries, scoped tokens and scope maps (token passwords' names
// and expiry only), role assignments, activity-log events, managed clusters, public IPs — and nothing
// else. Every call that returns or changes a secret is a POST action (registries/listCredentials,
// regenerateCredential, tokens generateCredentials, managedClusters listClusterUserCredential ...),
// which */read does not grant. credwatch needs no secret value and gets none.
targetScope = 'subscription'

@description('Principal id of credwatch\'s managed identity.')
param principalId string

var reader = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'

// Microsoft.Authorization/roleAssignments@2022-04-01 — azure-rest-api-specs
// specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/
// authorization-RoleAssignmentsCalls.json (examples/RoleAssignments_CreateForSubscription.json).
resource readerAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, reader)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', reader)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'credwatch: read-only sweep of registries, tokens, role assignments, activity log, AKS and public IPs'
  }
}
