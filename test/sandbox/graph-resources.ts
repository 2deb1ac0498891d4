// Fixture records as Microsoft Graph v1.0 serves them. Property sets follow the v1.0 resource pages
// in microsoftgraph/microsoft-graph-docs-contrib (api-reference/v1.0/resources/application.md,
// serviceprincipal.md, passwordcredential.md, keycredential.md, user.md); properties the fixture
// does not model are served with their empty value (null or []), never invented.
import type {
  Fixture,
  FixtureApplication,
  FixtureKeyCredential,
  FixtureOwner,
  FixturePasswordCredential,
  FixtureServicePrincipal,
} from "./fixture-schema.js";

type Wire = Record<string, unknown>;

// passwordcredential.md. secretText is only ever returned by addPassword: always null on reads.
// A start the fixture leaves out is served as null rather than made up: Graph always has one, but
// an invented start would feed lifetime checks a value nobody chose.
function passwordCredential(c: FixturePasswordCredential): Wire {
  return {
    customKeyIdentifier: null,
    displayName: c.displayName ?? null,
    endDateTime: c.endDateTime,
    hint: c.hint ?? null,
    keyId: c.keyId,
    secretText: null,
    startDateTime: c.startDateTime ?? null,
  };
}

// keycredential.md. key is only returned on a single-object $select: always null on collection reads.
function keyCredential(c: FixtureKeyCredential): Wire {
  return {
    customKeyIdentifier: c.customKeyIdentifier ?? null,
    displayName: c.displayName ?? null,
    endDateTime: c.endDateTime,
    key: null,
    keyId: c.keyId,
    startDateTime: c.startDateTime ?? null,
    type: c.type,
    usage: c.usage,
  };
}

// application.md (a subset of its properties, in the service's order).
export function applicationResource(a: FixtureApplication): Wire {
  return {
    id: a.id,
    deletedDateTime: null,
    appId: a.appId,
    applicationTemplateId: null,
    createdDateTime: a.createdDateTime ?? null,
    description: null,
    displayName: a.displayName,
    identifierUris: [],
    notes: null,
    serviceManagementReference: null,
    signInAudience: "AzureADMyOrg",
    tags: [],
    tokenEncryptionKeyId: null,
    keyCredentials: (a.keyCredentials ?? []).map(keyCredential),
    passwordCredentials: (a.passwordCredentials ?? []).map(passwordCredential),
  };
}

// serviceprincipal.md (a subset). Managed identities belong to no tenant's app registration.
export function servicePrincipalResource(s: FixtureServicePrincipal, fixture: Fixture): Wire {
  return {
    id: s.id,
    deletedDateTime: null,
    accountEnabled: s.accountEnabled,
    alternativeNames: s.alternativeNames ?? [],
    appDisplayName: s.displayName,
    appId: s.appId,
    appOwnerOrganizationId: s.servicePrincipalType === "ManagedIdentity" ? null : fixture.tenantId,
    description: null,
    displayName: s.displayName,
    notes: null,
    servicePrincipalNames: [s.appId],
    servicePrincipalType: s.servicePrincipalType,
    signInAudience: s.servicePrincipalType === "ManagedIdentity" ? null : "AzureADMyOrg",
    tags: [],
    keyCredentials: (s.keyCredentials ?? []).map(keyCredential),
    passwordCredentials: (s.passwordCredentials ?? []).map(passwordCredential),
  };
}

// Owners are directoryObjects; the fixture's are users (user.md default properties), typed by @odata.type.
export function ownerResource(o: FixtureOwner): Wire {
  return {
    "@odata.type": "#microsoft.graph.user",
    id: o.id,
    businessPhones: [],
    displayName: o.displayName,
    givenName: null,
    jobTitle: null,
    mail: o.mail ?? null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: null,
    userPrincipalName: o.userPrincipalName ?? null,
  };
}
