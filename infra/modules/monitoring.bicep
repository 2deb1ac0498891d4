// Logs and telemetry: a Log Analytics workspace and a workspace-based Application Insights resource
// that accepts only Microsoft Entra-authenticated ingestion (the app signs in with its identity,
// APPLICATIONINSIGHTS_AUTHENTICATION_STRING), so the connection string carries no usable secret.

param workspaceName string
param applicationInsightsName string
param location string
param tags object
@description('Principal id of the managed identity that sends telemetry.')
param principalId string

// Monitoring Metrics Publisher: what Entra-authenticated Application Insights ingestion requires
// (learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication; the same id as
// Azure-Samples/azure-functions-flex-consumption-samples IaC/bicep/rbac.bicep).
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

// Microsoft.OperationalInsights/workspaces@2023-09-01 — azure-rest-api-specs
// specification/operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2023-09-01/
// Workspaces.json (properties.sku.name PerGB2018, properties.retentionInDays).
resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

// Microsoft.Insights/components@2020-02-02 — azure-rest-api-specs
// specification/applicationinsights/resource-manager/Microsoft.Insights/stable/2020-02-02/
// components_API.json (Application_Type, WorkspaceResourceId, IngestionMode, DisableLocalAuth;
// ConnectionString read-only).
resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true
  }
}

// Microsoft.Authorization/roleAssignments@2022-04-01 — azure-rest-api-specs
// specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/
// authorization-RoleAssignmentsCalls.json.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'credwatch: Entra-authenticated telemetry ingestion'
  }
}

output connectionString string = applicationInsights.properties.ConnectionString
output name string = applicationInsights.name
