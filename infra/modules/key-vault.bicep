// The secrets credwatch can be given — the Slack bot token, the Slack app's signing secret and the
// Teams Workflows webhook URL — live here and nowhere else. App settings reference them (@Microsoft.KeyVault(SecretUri=...)),
// resolved by the platform with the app's user-assigned identity (keyVaultReferenceIdentity).

param name string
param location string
param tags object
@description('Principal id of the managed identity that resolves the Key Vault references.')
param principalId string
@description('Whether a Slack bot token was given (a plain flag, so no output depends on a secure value).')
param slackConfigured bool
@secure()
param slackBotToken string
@description('Whether a Slack signing secret was given (the Snooze / Acknowledge buttons).')
param slackSigningConfigured bool
@secure()
param slackSigningSecret string
@description('Whether a Teams webhook URL was given.')
param teamsConfigured bool
@secure()
param teamsWebhookUrl string

// Key Vault Secrets User: read secret contents, nothing else (learn.microsoft.com/azure/
// role-based-access-control/built-in-roles/security#key-vault-secrets-user). Assigned on this vault,
// which holds only credwatch's own secrets.
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

// Microsoft.KeyVault/vaults@2023-07-01 — azure-rest-api-specs
// specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2023-07-01 (vaults API;
// examples/getVault.json: sku family A / standard, tenantId, vaultUri; enableRbacAuthorization,
// enableSoftDelete, softDeleteRetentionInDays, enablePurgeProtection as learn.microsoft.com/azure/
// templates/microsoft.keyvault/vaults documents for 2023-07-01).
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// Microsoft.KeyVault/vaults/secrets@2023-07-01 — same spec folder, secrets.json
// (examples/createSecret.json: properties.value in; properties.secretUri out, versionless).
resource slackBotTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (slackConfigured) {
  parent: vault
  name: 'slack-bot-token'
  properties: {
    value: slackBotToken
    contentType: 'Slack bot token (SLACK_BOT_TOKEN)'
  }
}

// Microsoft.KeyVault/vaults/secrets@2023-07-01 — as above.
resource slackSigningSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (slackSigningConfigured) {
  parent: vault
  name: 'slack-signing-secret'
  properties: {
    value: slackSigningSecret
    contentType: 'Slack app signing secret (SLACK_SIGNING_SECRET)'
  }
}

// Microsoft.KeyVault/vaults/secrets@2023-07-01 — as above.
resource teamsWebhookUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (teamsConfigured) {
  parent: vault
  name: 'teams-webhook-url'
  properties: {
    value: teamsWebhookUrl
    contentType: 'Teams Workflows webhook URL (TEAMS_WEBHOOK_URL)'
  }
}

// Microsoft.Authorization/roleAssignments@2022-04-01 — azure-rest-api-specs
// specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/
// authorization-RoleAssignmentsCalls.json.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'credwatch: resolve its own Slack / Teams Key Vault references'
  }
}

output name string = vault.name
// Versionless secret URIs: the app follows a rotated secret (the platform refreshes references
// within 24 hours, or at once on any app-setting change / restart).
output slackBotTokenSecretUri string = slackConfigured ? slackBotTokenSecret.properties.secretUri : ''
output slackSigningSecretUri string = slackSigningConfigured ? slackSigningSecretValue.properties.secretUri : ''
output teamsWebhookUrlSecretUri string = teamsConfigured ? teamsWebhookUrlSecret.properties.secretUri : ''
