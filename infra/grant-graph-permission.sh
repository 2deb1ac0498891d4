#!/usr/bin/env bash
# Grants credwatch's managed identity the Microsoft Graph application permission Application.Read.All,
# for deployments that do not use the Graph Bicep extension (azd env set
# CREDWATCH_GRANT_GRAPH_PERMISSION false): sovereign clouds, or a deployer who is not allowed to grant
# Graph app roles — then someone who is (Privileged Role Administrator) runs this, once.
#
#   infra/grant-graph-permission.sh [PRINCIPAL_ID]
#
# PRINCIPAL_ID: the identity's object (principal) id. Default: AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID from
# the environment, else from the current azd environment (azd env get-value).
# GRAPH_ENDPOINT: Microsoft Graph root, e.g. https://dod-graph.microsoft.us for US Government DoD.
# Default: the signed-in Azure CLI cloud's (az cloud show).
#
# Idempotent: an existing assignment is left as it is. Needs the Azure CLI, signed in (az login).
set -euo pipefail

graph_app_id=00000003-0000-0000-c000-000000000000   # Microsoft Graph, in every tenant
permission=Application.Read.All                     # app role id 9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30

die() { echo "grant-graph-permission: $*" >&2; exit 1; }

command -v az >/dev/null || die "the Azure CLI (az) is not installed"

principal_id=${1:-${AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID:-}}
if [[ -z "$principal_id" ]] && command -v azd >/dev/null; then
  principal_id=$(azd env get-value AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID 2>/dev/null || true)
fi
[[ "$principal_id" =~ ^[0-9a-fA-F-]{36}$ ]] || die "give the identity's principal id (azd env get-value AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID)"

graph=${GRAPH_ENDPOINT:-$(az cloud show --query endpoints.microsoftGraphResourceId -o tsv)}
graph=${graph%/}
[[ "$graph" == https://* ]] || die "no Microsoft Graph endpoint (set GRAPH_ENDPOINT)"

# Microsoft Graph's service principal in this tenant, and the id of its Application.Read.All app role.
graph_sp=$(az rest --method GET --resource "$graph" \
  --url "$graph/v1.0/servicePrincipals(appId='$graph_app_id')?\$select=id" --query id -o tsv)
role_id=$(az rest --method GET --resource "$graph" \
  --url "$graph/v1.0/servicePrincipals/$graph_sp?\$select=appRoles" \
  --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)
[[ -n "$graph_sp" && -n "$role_id" ]] || die "could not find Microsoft Graph's $permission app role"

existing=$(az rest --method GET --resource "$graph" \
  --url "$graph/v1.0/servicePrincipals/$principal_id/appRoleAssignments" \
  --query "length(value[?appRoleId=='$role_id' && resourceId=='$graph_sp'])" -o tsv)
if [[ "$existing" != "0" ]]; then
  echo "$principal_id already has Microsoft Graph $permission."
  exit 0
fi

# POST /servicePrincipals/{id}/appRoleAssignments (learn.microsoft.com/graph/api/serviceprincipal-post-approleassignments)
az rest --method POST --resource "$graph" \
  --url "$graph/v1.0/servicePrincipals/$principal_id/appRoleAssignments" \
  --headers "Content-Type=application/json" \
  --body "{\"principalId\":\"$principal_id\",\"resourceId\":\"$graph_sp\",\"appRoleId\":\"$role_id\"}" \
  --output none
echo "Granted Microsoft Graph $permission to $principal_id."
