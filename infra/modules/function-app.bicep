// The Functions app: Flex Consumption (Linux, Node.js 22), running as the user-assigned identity,
// deployed from a blob container it reads with that identity.

param planName string
param appName string
param location string
param tags object
@description('azd service name (azure.yaml); azd finds the app by its azd-service-name tag.')
param serviceName string
@description('Resource id of the user-assigned identity.')
param identityId string
@description('URL of the blob container that holds the deployment package.')
param deploymentContainerUrl string
param instanceMemoryMB int
param maximumInstanceCount int
@description('App settings, name to value.')
param appSettings object

// Microsoft.Web/serverfarms@2024-04-01 — azure-rest-api-specs
// specification/web/resource-manager/Microsoft.Web/AppService/stable/2024-04-01 (AppServicePlans,
// examples/CreateOrUpdateAppServicePlan.json);
// Flex Consumption: kind functionapp, sku FC1 / FlexConsumption, reserved (Linux), as in
// Azure-Samples/azure-functions-flex-consumption-samples IaC/bicep (core/host/function.bicep).
resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

// Microsoft.Web/sites@2024-04-01 — azure-rest-api-specs
// specification/web/resource-manager/Microsoft.Web/AppService/stable/2024-04-01/WebApps.json;
// functionAppConfig (deployment.storage blobContainer + UserAssignedIdentity authentication,
// scaleAndConcurrency, runtime) exists since 2023-12-01 (learn.microsoft.com/azure/templates/
// microsoft.web/change-log/sites; examples/CreateOrUpdateFunctionAppFlexConsumption.json in
// 2024-11-01); keyVaultReferenceIdentity is a site property (learn.microsoft.com/azure/app-service/
// app-service-key-vault-references, "Access vaults with a user-assigned identity"). Flex Consumption
// rejects FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE and the
// other settings its functionAppConfig replaces (functions-app-settings#flex-consumption-plan-deprecations):
// none is set.
resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

// Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01 — same spec (WebApps.json,
// examples/GetPublishingCredentialsPolicy.json: properties.allow). No publishing password for the
// deployment endpoint: azd deploys with its Microsoft Entra sign-in.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
