// credwatch on Azure Functions (Flex Consumption), deployed with `azd up`.
//
// Everything runs as one user-assigned managed identity, which gets exactly:
//   - Reader on each subscription to sweep (modules/subscription-reader.bicep);
//   - the Microsoft Graph application permission Application.Read.All (modules/graph-app-role.bicep,
//     or infra/grant-graph-permission.sh where the Graph Bicep extension cannot be used);
//   - data-plane roles on its own storage account, Key Vault secrets and Application Insights.
// No key, connection string or secret value appears in app settings: storage and telemetry use the
// identity, and the Slack / Teams secrets are Key Vault references.
//
// Every resource names its API version's source in a comment above it (in the modules).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; seeds the resource names.')
param environmentName string

@minLength(1)
@description('Region of every resource. It must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Resource group to create. Empty: rg-<environmentName>.')
param resourceGroupName string = ''

@description('Comma-separated ids of the subscriptions credwatch sweeps: its identity gets Reader on each. Empty: the subscription of this deployment.')
param readerSubscriptions string = ''

@description('Grant the identity Microsoft Graph Application.Read.All through the Graph Bicep extension (needs a Privileged Role Administrator deploying; public cloud only). False: run infra/grant-graph-permission.sh instead.')
param grantGraphPermission bool = true

@description('Memory of each Flex Consumption instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to; a sweep needs one.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

// credwatch settings (shared/config/schema.ts), as environment strings. The defaults are the
// schema's; an empty string means "credwatch's default" for every setting.

@description('CREDWATCH_CLOUD. Default: the cloud this template is deployed to.')
@allowed(['AzurePublicCloud', 'AzureUSGovernment', 'AzureChinaCloud', 'Custom'])
param credwatchCloud string = environment().name == 'AzureUSGovernment' ? 'AzureUSGovernment' : (environment().name == 'AzureChinaCloud' ? 'AzureChinaCloud' : 'AzurePublicCloud')

@description('CREDWATCH_AUTHORITY_HOST: Microsoft Entra ID authority host (Custom cloud, or override).')
param authorityHost string = ''

@description('CREDWATCH_GRAPH_ENDPOINT: Microsoft Graph endpoint, e.g. https://dod-graph.microsoft.us.')
param graphEndpoint string = ''

@description('CREDWATCH_ARM_ENDPOINT: Azure Resource Manager endpoint (Custom cloud, or override).')
param armEndpoint string = ''

@description('CREDWATCH_SUBSCRIPTIONS: comma-separated subscription ids to sweep. Empty: every subscription the identity can read.')
param sweepSubscriptions string = ''

@description('CREDWATCH_THRESHOLDS: expiry windows in days.')
param thresholds string = '30,14,7,1'

@description('CREDWATCH_MAX_LIFETIME_DAYS: credentials valid for longer are reported as long-lived.')
param maxLifetimeDays string = '730'

@description('CREDWATCH_ADMIN_LOOKBACK_DAYS: how far back a registry admin-key regeneration is reported.')
param adminLookbackDays string = '7'

@secure()
@description('SLACK_BOT_TOKEN (xoxb-...): stored in Key Vault only. Empty: no Slack.')
param slackBotToken string = ''

@description('SLACK_CHANNEL: channel id or #name for the digest (required with a Slack token).')
param slackChannel string = ''

@description('SLACK_API_URL: Slack Web API base URL, e.g. https://slack-gov.com/api/ for GovSlack. Empty: https://slack.com/api/.')
param slackApiUrl string = ''

@secure()
@description('SLACK_SIGNING_SECRET: the Slack app\'s Signing Secret, for the Snooze / Acknowledge buttons (/api/slack/interactions); stored in Key Vault only. Empty: button clicks are refused.')
param slackSigningSecret string = ''

@secure()
@description('TEAMS_WEBHOOK_URL: Teams Workflows webhook URL; stored in Key Vault only. Empty: no Teams.')
param teamsWebhookUrl string = ''

@description('CREDWATCH_NOTIFY_OWNERS: also message owners directly in Slack.')
param notifyOwners string = 'false'

@description('CREDWATCH_HEARTBEAT: post "all clear" after a complete sweep with nothing new.')
param heartbeat string = 'false'

@description('CREDWATCH_SUPPRESSIONS: suppression rules as JSON (docs/suppressions.md). Empty: none.')
param suppressions string = ''

@description('CREDWATCH_LEDGER_TABLE: the alert ledger table, created here in the app\'s storage account.')
param ledgerTable string = 'credwatchledger'

@description('CREDWATCH_SCHEDULE: NCRONTAB (six fields, UTC) of the nightly sweep.')
param schedule string = '0 0 6 * * *'

@description('CREDWATCH_INCREMENTAL: read only what changed in the directory since the last sweep (Graph delta queries).')
param incremental string = 'false'

@description('CREDWATCH_FULL_SWEEP_DAYS: with incremental sweeps, read the whole directory at least this often.')
param fullSweepDays string = '7'

@description('CREDWATCH_FANOUT_SUBSCRIPTIONS: a sweep of more subscriptions than this fans out over the shard queue (0: only when asked, mode=fanout).')
param fanoutSubscriptions string = '50'

var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var functionAppName = 'func-credwatch-${resourceToken}'
// The service name in azure.yaml; azd finds the app by this tag.
var serviceName = 'credwatch'
var slackConfigured = !empty(slackBotToken)
var slackSigningConfigured = !empty(slackSigningSecret)
var teamsConfigured = !empty(teamsWebhookUrl)
var sweptSubscriptions = filter(map(split(readerSubscriptions, ','), id => toLower(trim(id))), id => !empty(id))
var readerSubscriptionIds = empty(sweptSubscriptions) ? [subscription().subscriptionId] : sweptSubscriptions

// Microsoft.Resources/resourceGroups@2024-03-01 — azure-rest-api-specs
// specification/resources/resource-manager/Microsoft.Resources/stable/2024-03-01 (resources.json).
resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'credwatch-identity'
  scope: rg
  params: {
    name: 'id-credwatch-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'credwatch-storage'
  scope: rg
  params: {
    name: 'stcw${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
    ledgerTableName: ledgerTable
    principalId: identity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'credwatch-monitoring'
  scope: rg
  params: {
    workspaceName: 'log-credwatch-${resourceToken}'
    applicationInsightsName: 'appi-credwatch-${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'credwatch-key-vault'
  scope: rg
  params: {
    name: 'kv-cw-${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    slackConfigured: slackConfigured
    slackBotToken: slackBotToken
    slackSigningConfigured: slackSigningConfigured
    slackSigningSecret: slackSigningSecret
    teamsConfigured: teamsConfigured
    teamsWebhookUrl: teamsWebhookUrl
  }
}

// Every app setting the deployed app reads. test/infra/ checks this block against the config
// schema: every setting credwatch reads in Azure is here, nothing here is unknown to credwatch, and
// secret settings are Key Vault references.
var appSettings = {
  CREDWATCH_CLOUD: credwatchCloud
  CREDWATCH_AUTHORITY_HOST: authorityHost
  CREDWATCH_GRAPH_ENDPOINT: graphEndpoint
  CREDWATCH_ARM_ENDPOINT: armEndpoint
  CREDWATCH_SUBSCRIPTIONS: sweepSubscriptions
  CREDWATCH_THRESHOLDS: thresholds
  CREDWATCH_MAX_LIFETIME_DAYS: maxLifetimeDays
  CREDWATCH_ADMIN_LOOKBACK_DAYS: adminLookbackDays
  CREDWATCH_NOTIFY_OWNERS: notifyOwners
  CREDWATCH_HEARTBEAT: heartbeat
  CREDWATCH_LEDGER_TABLE: ledgerTable
  CREDWATCH_SUPPRESSIONS: suppressions
  CREDWATCH_SCHEDULE: schedule
  CREDWATCH_INCREMENTAL: incremental
  CREDWATCH_FULL_SWEEP_DAYS: fullSweepDays
  CREDWATCH_FANOUT_SUBSCRIPTIONS: fanoutSubscriptions
  AZURE_TENANT_ID: tenant().tenantId
  AZURE_CLIENT_ID: identity.outputs.clientId
  SLACK_BOT_TOKEN: slackConfigured ? '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.slackBotTokenSecretUri})' : ''
  SLACK_CHANNEL: slackChannel
  SLACK_API_URL: slackApiUrl
  SLACK_SIGNING_SECRET: slackSigningConfigured ? '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.slackSigningSecretUri})' : ''
  TEAMS_WEBHOOK_URL: teamsConfigured ? '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.teamsWebhookUrlSecretUri})' : ''
  // The Functions host's storage, through the identity (no account key: the account allows none).
  // The service URIs work in every cloud; the ledger lives in the same account's table service, and
  // fan-out sweeps in its queue and table services.
  AzureWebJobsStorage__accountName: storage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
  // Telemetry through the identity (local authentication is off on the Application Insights resource).
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
}

module functionApp 'modules/function-app.bicep' = {
  name: 'credwatch-function-app'
  scope: rg
  params: {
    planName: 'plan-credwatch-${resourceToken}'
    appName: functionAppName
    location: location
    tags: tags
    serviceName: serviceName
    identityId: identity.outputs.id
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    appSettings: appSettings
  }
  // appSettings reads the storage, Key Vault and monitoring modules' outputs, so the app is created
  // after them, and after the role assignments they make: it uses them as soon as it starts.
}

// Reader on each subscription to sweep. Reader is every ARM read credwatch makes (registries, scoped
// tokens' metadata, role assignments, activity log, managed clusters, public IPs) and nothing more:
// it has no */action permission, so it cannot call listCredentials, regenerateCredential or
// generateCredentials, nor read any secret value.
module reader 'modules/subscription-reader.bicep' = [
  for subscriptionId in readerSubscriptionIds: {
    name: 'credwatch-reader-${take(resourceToken, 7)}-${subscriptionId}'
    scope: subscription(subscriptionId)
    params: {
      principalId: identity.outputs.principalId
    }
  }
]

// Microsoft Graph Application.Read.All: the directory's applications and service principals with
// their credentials' metadata (never a secret value: Graph returns no secretText on read).
module graphPermission 'modules/graph-app-role.bicep' = if (grantGraphPermission) {
  name: 'credwatch-graph-permission'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.url
output AZURE_FUNCTION_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output READER_SUBSCRIPTION_IDS array = readerSubscriptionIds
