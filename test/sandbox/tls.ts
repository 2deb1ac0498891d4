// The sandbox's own certificate authority and a server certificate for 127.0.0.1 / localhost.
// HTTPS is not optional: the ARM pipeline refuses to send bearer tokens over http and the Graph
// client ignores http hosts, so clients must trust this CA (caFile / tlsOptions.ca).
import { randomBytes } from "node:crypto";
import forge from "node-forge";

export interface SandboxTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

let cached: Promise<SandboxTls> | undefined;

/** Generated once per process: key generation is the slow part of starting a sandbox. */
export function sandboxTls(): Promise<SandboxTls> {
  cached ??= Promise.resolve().then(generate);
  return cached;
}

function generate(): SandboxTls {
  const { pki, md } = forge;
  const caKeys = pki.rsa.generateKeyPair(2048);
  const serverKeys = pki.rsa.generateKeyPair(2048);
  const now = Date.now();

  const caName = [{ name: "commonName", value: "credwatch sandbox CA" }];
  const ca = pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serialNumber();
  ca.validity.notBefore = new Date(now - 86_400_000);
  ca.validity.notAfter = new Date(now + 365 * 86_400_000);
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  ca.sign(caKeys.privateKey, md.sha256.create());

  const server = pki.createCertificate();
  server.publicKey = serverKeys.publicKey;
  server.serialNumber = serialNumber();
  server.validity.notBefore = ca.validity.notBefore;
  server.validity.notAfter = ca.validity.notAfter;
  server.setSubject([{ name: "commonName", value: "127.0.0.1" }]);
  server.setIssuer(caName);
  server.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    // type 7 = iPAddress, type 2 = dNSName (RFC 5280 GeneralName).
    { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
  ]);
  server.sign(caKeys.privateKey, md.sha256.create());

  return { caPem: pki.certificateToPem(ca), certPem: pki.certificateToPem(server), keyPem: pki.privateKeyToPem(serverKeys.privateKey) };
}

/** A positive serial: a leading 0x00..0x7f byte keeps the DER integer from reading as negative. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}
