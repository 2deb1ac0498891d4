// The Functions host's storage account: host coordination and timer locks (blobs), the deployment
// package container (Flex Consumption), the alert ledger table, and fan-out sweeps (the shard queue
// the sweep-shard trigger listens on, and the table their shards meet in). Shared keys are off: every
// client, the host included, signs in with the managed identity.

param name string
param location string
param tags object
param deploymentContainerName string
param ledgerTableName string
@description('Queue of fan-out sweep shards (shared/fanout/message.ts SHARD_QUEUE; the sweep-shard trigger listens on it).')
param shardQueueName string = 'credwatch-shards'
@description('Table of fan-out sweep records (shared/fanout/records.ts SWEEP_TABLE).')
param sweepTableName string = 'credwatchsweeps'
@description('Principal id of the managed identity that uses the account.')
param principalId string

// Built-in role definition ids (learn.microsoft.com/azure/role-based-access-control/built-in-roles;
// the same ids as Azure-Samples/azure-functions-flex-consumption-samples IaC/bicep/rbac.bicep).
// Azure Functions' "Connecting to host storage with an identity": Storage Blob Data Owner is the
// host's minimum (coordination, timer locks, keys, and the Flex deployment container); Table Data
// Contributor covers the host's diagnostic events, credwatch's ledger and fan-out sweep records; Queue
// Data Contributor covers the shard queue (the starter sends, the trigger receives and deletes) and
// the host's own queue use.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// Microsoft.Storage/storageAccounts@2024-01-01 — azure-rest-api-specs
// specification/storage/resource-manager/Microsoft.Storage/stable/2024-01-01/storage.json
// (examples/StorageAccountCreate.json: allowSharedKeyAccess, allowBlobPublicAccess,
// defaultToOAuthAuthentication, minimumTlsVersion TLS1_2, primaryEndpoints.blob/queue/table).
resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// Microsoft.Storage/storageAccounts/blobServices@2024-01-01 — same spec (blob.json,
// examples/BlobServicesPut.json); the service is always named 'default'.
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

// Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01 — same spec (blob.json,
// BlobContainers_Create; publicAccess None). Flex Consumption runs the package azd uploads here.
resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Microsoft.Storage/storageAccounts/tableServices@2024-01-01 — same spec (table.json); named 'default'.
resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

// Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01 — same spec (table.json,
// Table_Create; name ^[A-Za-z][A-Za-z0-9]{2,62}$, as learn.microsoft.com/azure/templates documents).
// The alert ledger (CREDWATCH_LEDGER_TABLE).
resource ledgerTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = {
  parent: tableService
  name: ledgerTableName
}

// Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01 — as above. The records of
// fan-out sweeps: one partition per sweep, dropped after 7 days.
resource sweepTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = {
  parent: tableService
  name: sweepTableName
}

// Microsoft.Storage/storageAccounts/queueServices@2024-01-01 — same spec (queue.json,
// examples/QueueServicesPut.json); the service is always named 'default'.
resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

// Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01 — same spec (queue.json,
// Queue_Create; name ^[a-z0-9]([a-z0-9]|(-(?!-))){1,61}[a-z0-9]$). The shards of fan-out sweeps.
resource shardQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = {
  parent: queueService
  name: shardQueueName
}

// Microsoft.Authorization/roleAssignments@2022-04-01 — azure-rest-api-specs
// specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/
// authorization-RoleAssignmentsCalls.json (examples/RoleAssignments_CreateForResource.json).
resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'credwatch: Functions host storage and the Flex Consumption deployment package'
  }
}

// Microsoft.Authorization/roleAssignments@2022-04-01 — as above.
resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'credwatch: fan-out shard queue and Functions host queues'
  }
}

// Microsoft.Authorization/roleAssignments@2022-04-01 — as above.
resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'credwatch: alert ledger, fan-out sweep records and Functions host diagnostic events'
  }
}

output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
output deploymentContainerUrl string = '${storage.properties.primaryEndpoints.blob}${deploymentContainer.name}'
output ledgerTableName string = ledgerTable.name
output shardQueueName string = shardQueue.name
output sweepTableName string = sweepTable.name
